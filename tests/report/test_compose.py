"""Results sentences are checked against the claims they cite."""

from __future__ import annotations

from litsynth.report.compose import (
    abstention,
    abstract,
    checked_synthesis,
    limitations,
    results_from_claims,
)
from litsynth.schema.records import Claim, Facet, FacetCoverage, PanelAggregate


def _claim(cid: str, text: str, verdict: str = "supported", rel: float = 0.5) -> Claim:
    return Claim(
        id=cid,
        text=text,
        verbatim=True,
        doc_id="d",
        title="T",
        page=1,
        char_start=0,
        char_end=len(text),
        quote=text,
        passage_id="p",
        relevance=rel,
        round=1,
        selected_by="rules",
        verdict=verdict,
        confidence=0.9,
    )


CLAIMS = [
    _claim("C1", "GPTQ keeps OPT-175B within 0.3 perplexity at 4 bits.", rel=0.4),
    _claim("C2", "Round-to-nearest collapses at 3 bits.", rel=0.8),
    _claim("C3", "A claim nobody checked.", verdict="unverified"),
]


def test_checked_synthesis_keeps_grounded_sentences_only() -> None:
    drafted = [
        ("GPTQ keeps OPT-175B close to full precision at 4 bits.", ["C1"]),
        ("Mistral-7B is unaffected.", ["C1"]),
        ("Unverified things hold.", ["C3"]),
        ("no capital letter and no stop", ["C2"]),
    ]
    kept, rejected = checked_synthesis(drafted, CLAIMS)
    assert [s.text for s in kept] == ["GPTQ keeps OPT-175B close to full precision at 4 bits."]
    assert rejected == 3


def test_results_from_claims_use_supported_only_by_relevance() -> None:
    results = results_from_claims(CLAIMS, limit=5)
    assert [r.claim_ids for r in results] == [["C2"], ["C1"]]


def _cov(name: str, status: str, closest: str = "") -> FacetCoverage:
    return FacetCoverage(
        facet=Facet(id="F1", name=name, kind="model", sub_question="q?"),
        status=status,
        claim_ids=["C1"] if status != "gap" else [],
        closest=closest,
    )


def _agg(verdict: str) -> PanelAggregate:
    return PanelAggregate(
        mean=3.0,
        spread=0.0,
        agreement=1.0,
        quality_score=3.0,
        tier="low",
        gate_verdict=verdict,
        rules=[],
        replan=False,
    )


def test_gaps_are_one_plain_sentence_in_abstract_and_limitations() -> None:
    cov = [
        _cov("3-bit", "answered"),
        _cov("Mistral-7B", "gap"),
        _cov("Llama-2-7B", "partial", "near neighbour only: LLaMA-65B"),
    ]
    text = abstract("Q?", CLAIMS, [], [], _agg("needs_review"), cov)
    assert "The corpus holds no evidence on Mistral-7B." in text
    assert "Evidence on Llama-2-7B is partial (near neighbour only: LLaMA-65B; C1)" in text
    assert "does not answer this question" not in text
    lims = limitations(CLAIMS, [], 8, "embedding", 0, 1, cov)
    assert lims[0] == "The corpus holds no evidence on Mistral-7B."
    assert sum("no evidence on" in line for line in lims) == 1


def test_abstention_comes_first_when_no_facet_is_answered() -> None:
    cov = [_cov("Mistral-7B", "gap"), _cov("GSM8K", "gap")]
    text = abstract("Q?", CLAIMS, [], [], _agg("insufficient_evidence"), cov)
    assert text.startswith(
        "This synthesis asks: Q? The corpus does not answer this question: none of its 2 facets "
        "(Mistral-7B, GSM8K)"
    )
    assert abstention([_cov("x", "answered")]) is None


def test_abstract_counts_quotes_apart_from_verified_restatements() -> None:
    restated = CLAIMS[0].model_copy(update={"id": "C9", "verbatim": False, "text": "Restated."})
    text = abstract("Q?", [*CLAIMS, restated], [], [], _agg("pass"))
    quoted = sum(1 for c in CLAIMS if c.verbatim)
    assert f"{quoted} quoted verbatim (located on their pages; a quote is not verified" in text
    assert "1 restated (" in text
    only_quotes = abstract("Q?", [c for c in CLAIMS if c.verbatim], [], [], _agg("pass"))
    assert "none restated" in only_quotes and "0 of them supported" not in only_quotes
