"""A small hand-built report for the renderers: three verdicts, hostile source text, a gap."""

from __future__ import annotations

from litsynth.schema.records import (
    Claim,
    CriterionScore,
    DroppedSource,
    Facet,
    FacetCoverage,
    KeptSource,
    PanelAggregate,
    Review,
)
from litsynth.schema.report import Manifest, Panel, Reference, Report, ResultSentence
from litsynth.schema.verdicts import EvidenceSentence

HOSTILE = '<script>document.title="pwned"</script><img src=x onerror=alert(1)> & "quotes"'


def _claim(i: int, doc: str, title: str, verdict: str, quote: str) -> Claim:
    return Claim(
        id=f"C{i}",
        text=quote,
        verbatim=True,
        doc_id=doc,
        title=title,
        page=1,
        char_start=10 * i,
        char_end=10 * i + len(quote),
        quote=quote,
        passage_id=f"{doc}#p1#{i}",
        relevance=0.8 - i / 10,
        round=1,
        selected_by="rules",
        verdict=verdict,
        confidence=0.9 - i / 10,
        verdict_reason=f"reason {i}",
        judge="embedding",
        evidence=[
            EvidenceSentence(
                text=quote, page=1, char_start=10 * i, char_end=10 * i + len(quote), score=0.9
            )
        ],
    )


def sample_report() -> Report:
    """A report citing an arXiv paper, a DOI paper and a hashed text file."""
    claims = [
        _claim(
            1,
            "arxiv:2210.17323",
            "GPTQ: Accurate Post-Training Quantization",
            "supported",
            "GPTQ quantizes 175B models to 3-4 bits with negligible accuracy loss.",
        ),
        _claim(
            2,
            "doi:10.1000/xyz_123",
            "Outliers & 8-bit Matrix Multiplication",
            "contradicted",
            "Int8 inference halves memory at no cost.",
        ),
        _claim(3, "sha256:0123456789abcdef", "Notes {draft}", "unverified", HOSTILE),
    ]
    facet = Facet(id="F1", name="4-bit", kind="precision", sub_question="What about 4-bit?")
    gap = Facet(id="F2", name="Llama-3", kind="model", sub_question="What about Llama-3?")
    review = Review(
        reviewer="evidence_strength",
        criteria=[CriterionScore(criterion="support", score=7.0, reason="2 of 3 supported")],
        score=7.0,
        comment="Mostly supported.",
        source="rules",
    )
    agg = PanelAggregate(
        mean=7.0,
        spread=0.0,
        agreement=1.0,
        quality_score=7.0,
        tier="medium",
        gate_verdict="needs_review",
        rules=["one contradicted claim"],
        replan=False,
    )
    return Report(
        title="Evidence synthesis: how does 4-bit quantization affect accuracy?",
        question="How does 4-bit quantization affect accuracy?",
        abstract="GPTQ keeps accuracy at 3-4 bits [C1]. The corpus holds no evidence on Llama-3.",
        introduction="intro",
        methodology="method",
        results=[ResultSentence(text="GPTQ keeps accuracy at 4 bits.", claim_ids=["C1"])],
        coverage=[
            FacetCoverage(facet=facet, status="answered", claim_ids=["C1"]),
            FacetCoverage(facet=gap, status="gap", claim_ids=[]),
        ],
        limitations=["Only one claim is supported."],
        claims=claims,
        contradictions=[],
        references=[
            Reference(
                doc_id="arxiv:2210.17323",
                title="GPTQ: Accurate Post-Training Quantization",
                authors=["Elias Frantar", "Saleh Ashkboos"],
                year=2022,
                claim_ids=["C1"],
            ),
            Reference(
                doc_id="doi:10.1000/xyz_123",
                title="Outliers & 8-bit Matrix Multiplication",
                authors=["Dettmers, Tim"],
                year=2022,
                claim_ids=["C2"],
            ),
            Reference(doc_id="sha256:0123456789abcdef", title="Notes {draft}", claim_ids=["C3"]),
        ],
        kept_sources=[
            KeptSource(doc_id="arxiv:2210.17323", title="GPTQ", reason="on topic", best_score=0.7)
        ],
        dropped_sources=[
            DroppedSource(
                doc_id="x:1",
                title="Protein folding",
                reason="off-topic",
                decided_by="embedding",
                best_score=0.1,
            )
        ],
        panel=Panel(reviews=[review], aggregate=agg),
        quality_score=7.0,
        quality_tier="medium",
        gate_verdict="needs_review",
        errors=[],
        manifest=Manifest(
            litsynth_version="0.1.0",
            models={"chat": {"name": "fake"}},
            prompt_hashes={},
            config={},
            corpus={"documents": 3},
            started_at="2026-01-01T00:00:00",
            finished_at="2026-01-01T00:00:01",
            token_usage={},
            rounds=1,
            queries=["q"],
            counters={},
            timings_s={},
            thread_id="t1",
        ),
    )
