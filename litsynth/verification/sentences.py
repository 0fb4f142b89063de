"""Evidence passages cut into sentences that keep their place in the page text.

Offsets come from :func:`litsynth.text.sentences.split_sentences` (exact slices of the passage);
when the passage knows where it sits in its page (``char_start``), sentence offsets are shifted
into page coordinates so a reader can find the sentence in the stored page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from litsynth.schema import EvidencePassage, EvidenceSentence
from litsynth.text.sentences import split_sentences

# Very long "sentences" (tables, reference lists) are cut so one embedding stays meaningful.
MAX_SENTENCE_CHARS = 400


@dataclass(frozen=True, slots=True)
class PassageSentence:
    """One sentence of one passage, located in the passage and (when known) in its page."""

    text: str
    passage_index: int
    start: int
    end: int
    doc_id: str = ""
    page: int | None = None
    page_start: int | None = None
    page_end: int | None = None

    def as_evidence(self, score: float) -> EvidenceSentence:
        """The sentence as verdict evidence with the judge's score."""
        return EvidenceSentence(
            text=self.text,
            doc_id=self.doc_id,
            page=self.page,
            char_start=self.page_start,
            char_end=self.page_end,
            score=score,
        )


def _pieces(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for span in split_sentences(text):
        start = span.start
        while span.end - start > MAX_SENTENCE_CHARS:
            cut = text.rfind(" ", start, start + MAX_SENTENCE_CHARS)
            cut = cut if cut > start else start + MAX_SENTENCE_CHARS
            spans.append((start, cut))
            start = cut + 1
        spans.append((start, span.end))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def passage_sentences(passages: Sequence[EvidencePassage]) -> list[PassageSentence]:
    """All sentences of all passages, in passage order."""
    out: list[PassageSentence] = []
    for i, passage in enumerate(passages):
        base = passage.char_start
        for start, end in _pieces(passage.text):
            out.append(
                PassageSentence(
                    text=passage.text[start:end],
                    passage_index=i,
                    start=start,
                    end=end,
                    doc_id=passage.doc_id,
                    page=passage.page,
                    page_start=None if base is None else base + start,
                    page_end=None if base is None else base + end,
                )
            )
    return out


def presplit_sentences(
    sentences: Sequence[str], *, doc_id: str = "", passage_index: int = 0
) -> list[PassageSentence]:
    """Sentences a dataset already split, laid end to end with one space (as the loaders join)."""
    out: list[PassageSentence] = []
    pos = 0
    for text in sentences:
        if text.strip():
            out.append(PassageSentence(text, passage_index, pos, pos + len(text), doc_id=doc_id))
        pos += len(text) + 1
    return out
