"""Sentence spans with exact character offsets (pysbd inside paragraphs).

Offsets index the text given, so ``text[s.start:s.end] == s.text`` always holds; that is
what lets a claim cite a verbatim span of a stored page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pysbd

_PARAGRAPH = re.compile(r"\n\s*\n")
_WS = re.compile(r"\s")


@dataclass(frozen=True, slots=True)
class SentenceSpan:
    """A sentence and where it sits in the text it was cut from."""

    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    bounds, pos = [], 0
    for m in _PARAGRAPH.finditer(text):
        bounds.append((pos, m.start()))
        pos = m.end()
    bounds.append((pos, len(text)))
    return [(a, b) for a, b in bounds if text[a:b].strip()]


def split_sentences(text: str) -> list[SentenceSpan]:
    """Split ``text`` into trimmed sentence spans; blank lines always end a sentence."""
    spans: list[SentenceSpan] = []
    for p_start, p_end in _paragraphs(text):
        # Single line breaks inside a paragraph are layout, not sentence ends: hide them from
        # pysbd without changing any offset.
        flat = _WS.sub(" ", text[p_start:p_end])
        for piece in _segmenter().segment(flat):
            start, end = p_start + piece.start, p_start + piece.end
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                spans.append(SentenceSpan(start, end, text[start:end]))
    return spans


def whole_sentence_span(text: str, start: int, end: int, margin: int = 600) -> tuple[int, int]:
    """Widen ``[start, end)`` of ``text`` so it neither begins nor ends inside a sentence.

    Only a window of ``margin`` characters on each side is split, so the cost does not grow
    with the page; a sentence longer than the margin keeps the original edge.
    """
    lo, hi = max(0, start - margin), min(len(text), end + margin)
    spans = split_sentences(text[lo:hi])
    new_start, new_end = start, end
    for i, s in enumerate(spans):
        a, b = lo + s.start, lo + s.end
        # The window's first and last pieces may be cut by the window itself, not real edges.
        if a < start < b and (i > 0 or lo == 0):
            new_start = a
        if a < end < b and (i < len(spans) - 1 or hi == len(text)):
            new_end = b
    return new_start, new_end
