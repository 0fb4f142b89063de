"""Sentence spans are exact slices and respect scientific abbreviations."""

from __future__ import annotations

from litsynth.text.sentences import split_sentences

TEXT = (
    "Quantization reduces memory, e.g. for OPT-175B (Frantar et al., 2022). GPTQ reaches\n"
    "3.5 bits per weight with small loss.\n\n"
    "Figure 1: Perplexity of OPT models\n"
    "\n  Results. We show that 4-bit models are Pareto optimal."
)


def test_spans_are_exact_slices() -> None:
    spans = split_sentences(TEXT)
    assert spans, "expected sentences"
    for s in spans:
        assert TEXT[s.start : s.end] == s.text
        assert s.text == s.text.strip()


def test_abbreviations_decimals_and_paragraphs() -> None:
    texts = [s.text for s in split_sentences(TEXT)]
    assert texts[0] == ("Quantization reduces memory, e.g. for OPT-175B (Frantar et al., 2022).")
    assert texts[1] == "GPTQ reaches\n3.5 bits per weight with small loss."
    assert "Figure 1: Perplexity of OPT models" in texts
    assert texts[-1] == "We show that 4-bit models are Pareto optimal."


def test_empty_text() -> None:
    assert split_sentences("") == []
    assert split_sentences("  \n\n ") == []
