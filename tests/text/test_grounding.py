"""Claim checks: whole sentences, and no entity the quote does not contain."""

from __future__ import annotations

from litsynth.text.findings import finding_score, is_boilerplate
from litsynth.text.grounding import (
    claim_problems,
    entities,
    is_whole_sentence,
    ungrounded_entities,
)

QUOTE = "GPTQ quantizes OPT-175B to 3 bits with a perplexity increase of 0.3 on WikiText2."


def test_entities_are_numbers_acronyms_and_model_names() -> None:
    assert entities(QUOTE) == ["GPTQ", "OPT-175B", "3", "0.3", "WikiText2"]


def test_ungrounded_entity_is_reported() -> None:
    claim = "GPTQ quantizes Mistral-7B to 3 bits."
    assert ungrounded_entities(claim, QUOTE) == ["Mistral-7B"]
    assert ungrounded_entities("GPTQ quantizes OPT-175B to 3 bits.", QUOTE) == []


def test_whole_sentence() -> None:
    assert is_whole_sentence("Quantization to 4 bits is optimal.")
    assert not is_whole_sentence("quantization to 4 bits is optimal.")
    assert not is_whole_sentence("Quantization to 4 bits is opti")


def test_claim_problems_lists_every_reason() -> None:
    problems = claim_problems("GSM8K drops", QUOTE, min_words=3, max_words=40)
    assert any("words" in p for p in problems)
    assert "not a whole sentence" in problems
    assert any("GSM8K" in p for p in problems)
    assert claim_problems(QUOTE, QUOTE, min_words=3, max_words=40) == []


def test_findings_rank_results_above_method_prose() -> None:
    result = "We find that 4-bit models lose less than 1% accuracy."
    method = "In this paper, we propose a new technique for quantization."
    assert finding_score(result) > finding_score(method)
    assert is_boilerplate("A comprehensive study on quantization, 2023.")
    assert is_boilerplate("2. Low-bit weight-only quantization of weights.")
    assert not is_boilerplate(result)


def test_reference_entries_are_boilerplate() -> None:
    """The gate once cited '[44] Ying Sheng, ...' as AWQ's best evidence for finetuning."""
    assert is_boilerplate(
        "[44] Ying Sheng, Lianmin Zheng, Binhang Yuan, Zhuohan Li, Max Ryabinin, et al. "
        "High-throughput generative inference of large language models with a single gpu."
    )
    assert is_boilerplate("Ying Sheng, Lianmin Zheng, Binhang Yuan, Zhuohan Li, and Max Ryabinin.")
    assert not is_boilerplate("GPTQ, AWQ, SpQR, QLoRA and LLM.int8() all quantize weights.")
