"""The verifier node hands the judge whole sentences, located in the page."""

from __future__ import annotations

from litsynth.agents.verifier import evidence_of
from litsynth.schema.records import Passage

PAGE = (
    "Table 2 lists the runs. GPTQ quantizes OPT-175B to 3 bits in four GPU hours while "
    "perplexity rises by 0.3 relative to FP16. Results follow."
)


def _chunk(start: int, end: int) -> Passage:
    return Passage(
        id="d:1:0",
        doc_id="d",
        title="T",
        page=1,
        char_start=start,
        char_end=end,
        text=PAGE[start:end],
        query="q",
        retrieval_score=0.5,
        round=1,
    )


def test_chunk_cut_mid_sentence_is_widened_to_the_sentence_end() -> None:
    cut = PAGE.index(" relative to") + len(" relative to")  # the chunk ends mid-sentence
    ev = evidence_of(_chunk(0, cut), PAGE)
    assert ev.text.endswith("relative to FP16.")
    assert PAGE[ev.char_start : ev.char_end] == ev.text
    assert ev.char_start == 0


def test_without_page_text_or_on_mismatch_the_chunk_is_used_as_is() -> None:
    chunk = _chunk(5, 60)
    assert evidence_of(chunk).text == chunk.text
    assert evidence_of(chunk, "something else entirely").text == chunk.text
