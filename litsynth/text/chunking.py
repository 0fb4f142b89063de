"""Sentence-packing chunker with overlap; every chunk is an exact span of its page's text.

Chunks never cross a page (spans index one page) or a section heading, start and end on sentence
boundaries, and hold at most ``max_tokens`` MiniLM tokens unless one word alone is longer. A
sentence longer than the budget is cut at whitespace, never inside a word.
"""

from __future__ import annotations

from dataclasses import dataclass

from litsynth.schema.documents import ParsedDocument
from litsynth.settings import ChunkSettings
from litsynth.text.pages import heading_of
from litsynth.text.sentences import split_sentences
from litsynth.text.tokens import TokenCounter, get_token_counter

CHUNKER_VERSION = "sent-v1"


def chunker_version(settings: ChunkSettings | None = None) -> str:
    """The chunker's version including the settings that change its output."""
    cfg = settings or ChunkSettings()
    return f"{CHUNKER_VERSION}/t{cfg.max_tokens}/o{cfg.overlap_sentences}"


@dataclass(frozen=True)
class Chunk:
    """One chunk: ``pages[page - 1][char_start:char_end] == text``."""

    index: int
    page: int
    char_start: int
    char_end: int
    text: str
    section: str | None
    n_tokens: int


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    tokens: int
    heading: str | None


def _split_long(
    text: str, start: int, end: int, max_tokens: int, counter: TokenCounter
) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` at whitespace into pieces of at most ``max_tokens`` tokens."""
    pieces: list[tuple[int, int]] = []
    while start < end:
        ends = counter.token_ends(text[start:end])
        if len(ends) <= max_tokens:
            pieces.append((start, end))
            break
        target = start + ends[max_tokens - 1]
        cut = text.rfind(" ", start + 1, target + 1)
        if cut <= start:  # one word longer than the budget: keep it whole
            cut = text.find(" ", target)
            cut = end if cut == -1 else cut
        pieces.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    return pieces


def _units(page: str, max_tokens: int, counter: TokenCounter) -> list[_Unit]:
    spans = split_sentences(page)
    counts = counter.count_many([page[s.start : s.end] for s in spans])
    units: list[_Unit] = []
    for span, count in zip(spans, counts, strict=True):
        text = page[span.start : span.end]
        heading = heading_of(text) if span.paragraph_start and "\n" not in text else None
        if count <= max_tokens:
            units.append(_Unit(span.start, span.end, count, heading))
            continue
        for s, e in _split_long(page, span.start, span.end, max_tokens, counter):
            units.append(_Unit(s, e, counter.count(page[s:e]), None))
    return units


def chunk_document(
    doc: ParsedDocument,
    settings: ChunkSettings | None = None,
    counter: TokenCounter | None = None,
) -> list[Chunk]:
    """All chunks of a document, in reading order."""
    cfg = settings or ChunkSettings()
    counter = counter or get_token_counter()
    chunks: list[Chunk] = []
    section: str | None = None
    for page_no, page in enumerate(doc.pages, start=1):
        units = _units(page, cfg.max_tokens, counter)
        i = 0
        while i < len(units):
            if units[i].heading is not None:
                section = units[i].heading
            j, tokens = i, 0
            while j < len(units) and (
                j == i or (units[j].heading is None and tokens + units[j].tokens <= cfg.max_tokens)
            ):
                tokens += units[j].tokens
                j += 1
            if not (j == i + 1 and units[i].heading is not None):  # skip heading-only chunks
                start, end = units[i].start, units[j - 1].end
                chunks.append(
                    Chunk(len(chunks), page_no, start, end, page[start:end], section, tokens)
                )
            if j >= len(units) or units[j].heading is not None:
                i = j
            else:
                i = max(i + 1, j - cfg.overlap_sentences)
    return chunks
