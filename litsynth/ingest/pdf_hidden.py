"""Text a reader cannot see, dropped from a PDF page before its text is extracted.

A PDF can draw text that no reader sees: in white, in render mode 3 or 7 (neither filled nor
stroked), at a vanishing size or horizontal scale. Such text is a classic way to slip
instructions to a model, so it never reaches the store. The page's own content stream is
walked with the graphics state (``q``/``Q``, ``cm``, fill colour, text state, text matrix)
and each text-showing operator drawn invisibly is removed; form XObjects are left as they
are. White text on a dark box is dropped too: losing a label is the safer mistake.

On the 8 arXiv papers in shared/data/papers nothing is dropped and every page's text is
identical; walking the stream first took extraction from 15.1 s to 22.3 s for all 8 (one run,
machine under load), which the ingest pipeline hides behind encoding.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pypdf import PageObject

_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_SHOW = {b"Tj", b"TJ", b"'", b'"'}
_INVISIBLE_MODES = {3, 7}
MIN_VISIBLE_PT = 1.0
"""Glyphs drawn smaller than this (height or width in points) count as invisible."""
WHITE = 0.97
"""Fill colour components at least this light (RGB, gray; CMYK at most 1 - WHITE) are white."""

Matrix = tuple[float, float, float, float, float, float]


def _mult(m: Matrix, n: Matrix) -> Matrix:
    """m × n for PDF's row-vector affine matrices."""
    return (
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    )


def _numbers(operands: list[Any]) -> list[float] | None:
    try:
        return [float(x) for x in operands]
    except (TypeError, ValueError):
        return None  # a pattern or colour-space name: not a plain colour


def _is_white(operands: list[Any]) -> bool:
    """Whether a fill colour operator's operands (gray, RGB or CMYK) make white."""
    values = _numbers(operands)
    if values is None or len(values) not in (1, 3, 4):
        return False
    if len(values) == 4:
        return all(v <= 1 - WHITE for v in values)
    return all(v >= WHITE for v in values)


@dataclass
class _State:
    """The parts of the graphics state that decide whether text shows."""

    ctm: Matrix = _IDENTITY
    white: bool = False
    mode: int = 0
    size: float = 1.0
    h_scale: float = 1.0
    stack: list[_State] = field(default_factory=list)

    def invisible(self, tm: Matrix) -> bool:
        if self.white or self.mode in _INVISIBLE_MODES:
            return True
        m = _mult(tm, self.ctm)
        height = abs(self.size) * math.hypot(m[2], m[3])
        width = abs(self.size * self.h_scale) * math.hypot(m[0], m[1])
        return height < MIN_VISIBLE_PT or width < MIN_VISIBLE_PT


def _step(state: _State, operands: list[Any], op: bytes) -> _State:
    """The state after one non-showing operator (the text matrix is handled by the caller)."""
    nums = _numbers(operands[-6:]) if op == b"cm" else None
    if op == b"q":
        state.stack.append(replace(state, stack=[]))
    elif op == b"Q" and state.stack:
        saved = state.stack.pop()
        state = replace(saved, stack=state.stack)
    elif op == b"cm" and nums is not None and len(nums) == 6:
        state.ctm = _mult((nums[0], nums[1], nums[2], nums[3], nums[4], nums[5]), state.ctm)
    elif op in (b"g", b"rg", b"k", b"sc", b"scn"):
        state.white = _is_white(operands)
    elif op == b"cs":
        state.white = False  # a new colour space starts at its black/initial colour
    elif op == b"Tr" and operands:
        state.mode = int(operands[0])
    elif op == b"Tf" and len(operands) >= 2:
        state.size = float(operands[1])
    elif op == b"Tz" and operands:
        state.h_scale = float(operands[0]) / 100
    return state


def _moved(tm: Matrix, operands: list[Any], op: bytes) -> Matrix:
    """The text matrix after BT, Tm or a move (line starts are not tracked: scale is enough)."""
    if op == b"BT":
        return _IDENTITY
    if op == b"Tm":
        nums = _numbers(operands[:6])
        if nums is not None and len(nums) == 6:
            return (nums[0], nums[1], nums[2], nums[3], nums[4], nums[5])
    return tm


def _kept_for(operands: list[Any], op: bytes) -> list[tuple[list[Any], bytes]]:
    """What stays of an invisible show operator: the line moves of ``'`` and ``"``."""
    if op == b"'":
        return [([], b"T*")]
    if op == b'"' and len(operands) >= 2:
        return [([operands[0]], b"Tw"), ([operands[1]], b"Tc"), ([], b"T*")]
    return []


def drop_hidden_text(page: PageObject) -> int:
    """Remove the text-showing operators that draw invisibly from ``page``; how many."""
    from pypdf.generic import NameObject

    content = page.get_contents()
    if content is None:
        return 0
    state, tm = _State(), _IDENTITY
    kept: list[tuple[list[Any], bytes]] = []
    dropped = 0
    for operands, op in content.operations:
        try:
            if op in _SHOW and state.invisible(tm):
                dropped += 1
                kept.extend(_kept_for(operands, op))
                continue
            state = _step(state, operands, op)
            tm = _moved(tm, operands, op)
        except (TypeError, ValueError, IndexError):
            pass  # a malformed operand: keep the operator, as a viewer would try to
        kept.append((operands, op))
    if dropped:
        content.operations = kept
        page[NameObject("/Contents")] = content
    return dropped
