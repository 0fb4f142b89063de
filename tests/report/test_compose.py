"""Results sentences are checked against the claims they cite."""

from __future__ import annotations

from litsynth.graph.models import Claim
from litsynth.report.compose import checked_synthesis, results_from_claims


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
        verdict=verdict,  # type: ignore[arg-type]
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
