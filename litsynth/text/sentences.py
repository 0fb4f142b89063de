"""Sentence spans with exact character offsets: the one splitter for chunks, claims and evidence.

A rule-based splitter tuned for scientific prose: a sentence ends at ``.``, ``!`` or ``?`` (plus
closing quotes or brackets) followed by whitespace and an upper-case letter, digit or opening
bracket, unless the word before is a common abbreviation ("e.g.", "et al.", "Fig.") or an
initial. Blank lines always end a sentence; single line breaks are layout. Offsets index the
text given, so ``text[s.start:s.end] == s.text`` always holds; that is what lets a claim cite a
verbatim span of a stored page. It was kept over pysbd on measurement (see ``text/README.md``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BOUNDARY = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_PARAGRAPH = re.compile(r"\n\s*\n")
_ABBREVIATIONS = frozenset(
    {"al", "fig", "figs", "eq", "eqs", "eqn", "tab", "sec", "secs", "e.g", "i.e", "cf", "vs"}
    | {"etc", "approx", "resp", "no", "nos", "dr", "mr", "ms", "prof", "st", "ch", "vol", "pp"}
    | {"ref", "refs", "app", "alg", "def", "thm", "lem", "prop", "cor"}
)
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
# A full stop after a word, then a lower-case word: in text extracted from a PDF, a jump to
# another column or page ("... making 4-bit precision optimal. quantization, we can expect").
_RUN_ON = re.compile(r"(?<=[a-z]{3})\.\s+(?=[a-z])")
# Longest abbreviation-like word looked at before a full stop; bounds the backward search.
_LOOKBEHIND = 40


@dataclass(frozen=True, slots=True)
class SentenceSpan:
    """A sentence and where it sits in the text it was cut from."""

    start: int
    end: int
    text: str
    paragraph_start: bool = False


def _is_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    match = _WORD_BEFORE.search(text, max(0, dot - _LOOKBEHIND), dot)
    if match is None:
        return False
    word = match.group(1).lower().rstrip(".")
    return word in _ABBREVIATIONS or (len(word) == 1 and text[match.start()].isupper())


def _sentences_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _BOUNDARY.finditer(text, start, end):
        if _is_abbreviation(text, match.start()):
            continue
        stop = match.end()
        while stop > match.start() and text[stop - 1].isspace():
            stop -= 1
        if stop > cursor:
            spans.append((cursor, stop))
        cursor = match.end()
    while end > cursor and text[end - 1].isspace():
        end -= 1
    if end > cursor:
        spans.append((cursor, end))
    return spans


def split_sentences(text: str) -> list[SentenceSpan]:
    """All sentences of ``text`` as trimmed spans; the first of each paragraph is marked."""
    spans: list[SentenceSpan] = []
    para_start = 0
    bounds = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text)] + [(len(text), len(text))]
    for para_end, next_start in bounds:
        start = para_start
        while start < para_end and text[start].isspace():
            start += 1
        for i, (s, e) in enumerate(_sentences_in(text, start, para_end)):
            spans.append(SentenceSpan(s, e, text[s:e], paragraph_start=i == 0))
        para_start = next_start
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


def run_on_parts(span: SentenceSpan) -> list[SentenceSpan]:
    """``span`` cut again where a full stop after a word meets a lower-case word, unless the
    word is an abbreviation. ``split_sentences`` keeps such text whole, since a sentence may
    open with "k-bit" or "nuQmm"; a claim must not run on into another column's text."""
    out: list[SentenceSpan] = []
    cursor = 0
    text = span.text
    for m in _RUN_ON.finditer(text):
        if _is_abbreviation(text, m.start()):
            continue
        out.append(
            SentenceSpan(
                span.start + cursor,
                span.start + m.start() + 1,
                text[cursor : m.start() + 1],
                span.paragraph_start and not out,
            )
        )
        cursor = m.end()
    if not out:
        return [span]
    out.append(SentenceSpan(span.start + cursor, span.end, text[cursor:]))
    return out
