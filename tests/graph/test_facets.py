"""Facets of a question and literal coverage matching (no store, no model)."""

from __future__ import annotations

import pytest

from litsynth.schema.records import Claim, Facet
from litsynth.text.facets import (
    classify,
    coverage,
    find_facets,
    literal_pattern,
    match,
    merge_plan,
    summary,
)

MUST_SHOW = "How does 3-bit quantization affect the accuracy of Mistral-7B on GSM8K?"


def _claim(cid: str, quote: str, verdict: str = "supported") -> Claim:
    return Claim(
        id=cid,
        text=quote,
        verbatim=True,
        doc_id="d",
        title="T",
        page=1,
        char_start=0,
        char_end=len(quote),
        quote=quote,
        passage_id="p",
        relevance=0.5,
        round=1,
        selected_by="rules",
        verdict=verdict,
        confidence=0.9,
    )


def _facet(name: str) -> Facet:
    return next(f for f in find_facets(f"What about {name} here?") if f.name == name)


def test_facets_of_the_must_show_question() -> None:
    facets = find_facets(MUST_SHOW)
    assert [(f.kind, f.name) for f in facets] == [
        ("precision", "3-bit"),
        ("model", "Mistral-7B"),
        ("benchmark", "GSM8K"),
        ("relation", "quantization / accuracy"),
    ]
    assert facets[-1].terms == ["quantization", "accuracy"]
    assert all(f.queries and f.sub_question for f in facets)
    assert [f.id for f in facets] == ["F1", "F2", "F3", "F4"]


def test_facets_join_multiword_model_names_and_classify_hardware() -> None:
    facets = find_facets("What is the perplexity of Llama 2 7B with GPTQ on WikiText2 on an A100?")
    kinds = {f.name: f.kind for f in facets}
    assert kinds == {
        "Llama-2-7B": "model",
        "GPTQ": "method",
        "WikiText2": "benchmark",
        "A100": "hardware",
        "perplexity": "relation",
    }
    assert classify("OPT-175B") == "model"
    assert classify("RTX-4090") == "hardware"


@pytest.mark.parametrize(
    ("quote", "hit"),
    [
        ("We quantize weights to 3-bit.", True),
        ("at 3 bit precision", True),
        ("down to 3-bits per weight", True),
        ("a 13-bit accumulator", False),
        ("3-bitwise operations", False),
    ],
)
def test_bit_width_matches_on_token_boundaries(quote: str, hit: bool) -> None:
    assert bool(literal_pattern("3-bit").search(quote)) is hit


def test_model_match_is_literal_and_neighbours_are_partial() -> None:
    llama = _facet("Llama-2-7B")
    assert match(llama, "Llama 2 7B loses 1 point.").status == "answered"
    near = match(llama, "LLaMA-65B loses 1 point.")
    assert (near.status, near.neighbour) == ("partial", "LLaMA-65B")
    assert match(llama, "OPT-175B loses 1 point.").status == ""
    bits = match(_facet("3-bit"), "At 4-bit, accuracy holds.")
    assert (bits.status, bits.neighbour) == ("partial", "4-bit")


def test_coverage_statuses_from_supported_claims_only() -> None:
    facets = find_facets(MUST_SHOW)
    claims = [
        _claim("C1", "GPTQ quantizes OPT-175B to 3-bit with small accuracy loss."),
        _claim("C2", "Mistral-7B scores 40% on GSM8K.", verdict="unverified"),
        _claim("C3", "Quantization to 4-bit keeps accuracy."),
    ]
    cov = {c.facet.name: c for c in coverage(facets, claims)}
    assert cov["3-bit"].status == "answered" and cov["3-bit"].claim_ids == ["C1"]
    # the only claim naming Mistral-7B / GSM8K is not supported: it does not count
    assert cov["Mistral-7B"].status == "gap" and cov["Mistral-7B"].claim_ids == []
    assert cov["GSM8K"].status == "gap"
    assert cov["quantization / accuracy"].status == "answered"
    assert summary(list(cov.values())) == {"answered": 2, "partial": 0, "gap": 2}


def test_partial_coverage_names_the_neighbour() -> None:
    facets = find_facets("How does 2-bit quantization affect Falcon-180B?")
    cov = {c.facet.name: c for c in coverage(facets, [_claim("C4", "Falcon-40B at 4-bit.")])}
    assert cov["2-bit"].status == "partial" and "4-bit" in cov["2-bit"].closest
    assert cov["Falcon-180B"].status == "partial" and "Falcon-40B" in cov["Falcon-180B"].closest
    assert cov["Falcon-180B"].claim_ids == ["C4"]


def test_plan_sub_questions_attach_only_to_facets_they_name() -> None:
    facets = find_facets(MUST_SHOW)
    merged = merge_plan(
        facets,
        [
            ("How does GPTQ do at 3 bits?", ["gptq 3 bit accuracy"]),
            ("What about Llama-2?", ["llama 2 quantization"]),
        ],
    )
    by_name = {f.name: f for f in merged}
    assert by_name["3-bit"].sub_question == "How does GPTQ do at 3 bits?"
    assert "gptq 3 bit accuracy" in by_name["3-bit"].queries
    assert "llama 2 quantization" not in by_name["Mistral-7B"].queries
    assert [f.name for f in merged] == [f.name for f in facets]  # the plan adds no facet


def test_a_bit_range_answers_each_width_it_names() -> None:
    facet = next(f for f in find_facets("What about 3-bit quantization?") if f.kind == "precision")
    gptq = "GPTQ reduces the bitwidth down to 3 or 4 bits per weight with negligible degradation."
    assert match(facet, gptq).status == "answered"
    assert match(facet, "We quantize the weights to 4 bits.").status == "partial"
