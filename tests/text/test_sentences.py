"""Sentence spans are exact slices and respect scientific abbreviations."""

from __future__ import annotations

from litsynth.text.sentences import run_on_parts, split_sentences, whole_sentence_span

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


def test_whole_sentence_span_widens_cut_edges_only() -> None:
    text = "First claim here. The model keeps 4-bit weights. It loses 0.3 points. Last one."
    start = text.index("model")  # a chunk that starts and ends mid-sentence
    end = text.index("loses") + len("loses")
    a, b = whole_sentence_span(text, start, end)
    assert text[a:b] == "The model keeps 4-bit weights. It loses 0.3 points."
    whole = text.index("The"), text.index(" Last")
    assert whole_sentence_span(text, *whole) == whole


def test_whole_sentence_span_keeps_edges_beyond_the_window() -> None:
    text = "x" * 50 + " " + "word " * 200 + "end."
    start = 500
    assert whole_sentence_span(text, start, start + 10, margin=20) == (start, start + 10)


def _sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


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
    spans = split_sentences("Heading\n\nBody text without end")
    assert [s.paragraph_start for s in spans] == [True, True]
    assert [(s.start, s.end) for s in spans] == [(0, 7), (9, 30)]


def test_a_sentence_running_on_into_another_column_is_cut_at_its_full_stop() -> None:
    """k-bit scaling, page 1: 'At 3-bits, this relationship reverses, making 4-bit precision
    optimal. quantization, we can expect the latency ...' was one candidate claim."""
    text = (
        "At 3-bits, this relationship reverses, making 4-bit precision optimal. quantization, "
        "we can expect the latency to fall. As in Dettmers et al. the trend holds, e.g. the "
        "OPT models."
    )
    parts = [p for s in split_sentences(text) for p in run_on_parts(s)]
    assert [p.text for p in parts] == [
        "At 3-bits, this relationship reverses, making 4-bit precision optimal.",
        "quantization, we can expect the latency to fall.",
        "As in Dettmers et al. the trend holds, e.g. the OPT models.",
    ]
    assert all(text[p.start : p.end] == p.text for p in parts)
