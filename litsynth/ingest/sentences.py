"""Sentence and paragraph spans of a normalized page.

A small rule-based splitter tuned for scientific prose: a sentence ends at ``.``, ``!`` or ``?``
(plus closing quotes/brackets) followed by whitespace and an upper-case letter, digit or opening
bracket, unless the word before is a common abbreviation ("e.g.", "et al.", "Fig.") or an
initial. Paragraph breaks (blank lines) always end a sentence. NLTK's punkt would need a data
download at run time and pysbd is unmaintained, so this is hand-written and tested.
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


@dataclass(frozen=True)
class Span:
    """A sentence ``text[start:end]``; ``paragraph_start`` marks the first of a paragraph."""

    start: int
    end: int
    paragraph_start: bool


def _is_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    match = _WORD_BEFORE.search(text, 0, dot)
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


def sentence_spans(text: str) -> list[Span]:
    """All sentences of a page as spans without leading or trailing whitespace."""
    spans: list[Span] = []
    para_start = 0
    bounds = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text)] + [(len(text), len(text))]
    for para_end, next_start in bounds:
        first = True
        start = para_start
        while start < para_end and text[start].isspace():
            start += 1
        for s, e in _sentences_in(text, start, para_end):
            spans.append(Span(s, e, first))
            first = False
        para_start = next_start
    return spans
