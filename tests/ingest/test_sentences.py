"""Sentence splitting of scientific prose."""

from __future__ import annotations

from litsynth.ingest.sentences import sentence_spans


def _sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in sentence_spans(text)]


def test_splits_on_sentence_ends_not_abbreviations() -> None:
    text = "Dettmers et al. show this (see Fig. 3). It works, e.g. for OPT. Next one? Yes."
    assert _sentences(text) == [
        "Dettmers et al. show this (see Fig. 3).",
        "It works, e.g. for OPT.",
        "Next one?",
        "Yes.",
    ]


def test_decimals_and_initials_do_not_split() -> None:
    text = "Accuracy rose by 3.5 points. T. Dettmers wrote it."
    assert _sentences(text) == ["Accuracy rose by 3.5 points.", "T. Dettmers wrote it."]


def test_paragraph_break_ends_a_sentence() -> None:
    spans = sentence_spans("Heading\n\nBody text without end")
    assert [s.paragraph_start for s in spans] == [True, True]
    assert [(s.start, s.end) for s in spans] == [(0, 7), (9, 30)]
