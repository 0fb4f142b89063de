"""Node helpers that need no store or model: MMR, planning fallbacks, gate terms, aggregation."""

from __future__ import annotations

import numpy as np

from litsynth.agents.aggregator import GAP_CAP, aggregate, route_after_aggregate
from litsynth.agents.planner import facet_queries, fallback_plan, round_queries
from litsynth.agents.retriever import mmr
from litsynth.schema.judgements import Plan, SubQuestion
from litsynth.schema.records import CriterionScore, Facet, FacetCoverage, Review
from litsynth.settings import AggregatorSettings
from litsynth.text.facets import find_facets
from litsynth.text.terms import key_terms


def test_mmr_prefers_novel_items() -> None:
    vecs = np.array([[1.0, 0.0], [0.99, 0.141], [0.0, 1.0]], dtype=np.float32)
    rel = np.array([0.9, 0.89, 0.5])
    assert mmr(rel, vecs, 2, lam=1.0) == [0, 1]
    assert mmr(rel, vecs, 2, lam=0.5) == [0, 2]


def test_key_terms_drop_stop_words() -> None:
    assert key_terms("How does 4-bit quantization affect the accuracy of LLMs?") == [
        "4-bit",
        "quantization",
        "accuracy",
        "llms",
    ]


def test_round_queries_put_question_first_and_skip_tried() -> None:
    plan = Plan(sub_questions=[SubQuestion(question="what?", queries=["a b", "A  B", "c d"])])
    assert round_queries(plan, "What is x y?", 1, []) == ["What is x y?", "a b", "c d"]
    assert round_queries(plan, "What is x y?", 2, ["a b"]) == ["c d"]


def test_fallback_plan_always_offers_new_queries() -> None:
    q = "How does 4-bit weight quantization affect accuracy?"
    first = fallback_plan(q, 1, [])
    tried = first.sub_questions[0].queries
    second = fallback_plan(q, 2, tried)
    assert second.sub_questions[0].queries
    assert not set(second.sub_questions[0].queries) & set(tried)


def _review(name: str, score: float, leak: bool = False) -> Review:
    crit = CriterionScore(criterion="off_topic_excluded", score=0.0 if leak else 10.0, reason="x y")
    return Review(reviewer=name, criteria=[crit], score=score, comment="c", source="rules")


def test_aggregate_rules() -> None:
    cfg = AggregatorSettings(min_supported_claims=3, max_rounds=2)
    high = aggregate([_review("a", 9.0), _review("b", 8.0)], supported=5, round_=1, cfg=cfg)
    assert (high.tier, high.gate_verdict, high.replan) == ("high", "pass", False)
    assert high.agreement == 0.9
    capped = aggregate([_review("a", 9.0)], supported=1, round_=1, cfg=cfg)
    assert capped.quality_score == 4.0 and capped.replan and capped.gate_verdict == "needs_review"
    last = aggregate([_review("a", 9.0)], supported=1, round_=2, cfg=cfg)
    assert not last.replan
    none = aggregate([_review("a", 2.0)], supported=0, round_=2, cfg=cfg)
    assert none.gate_verdict == "insufficient_evidence" and none.tier == "low"
    leaked = aggregate([_review("a", 9.0, leak=True)], supported=5, round_=1, cfg=cfg)
    assert leaked.gate_verdict == "needs_review"
    assert route_after_aggregate({"question": "q", "aggregate": capped}) == "planner"
    assert route_after_aggregate({"question": "q", "aggregate": high}) == "reporter"


def test_grounding_reviewers_cannot_lift_a_weak_answer() -> None:
    """Demo: answer 7.9 (5 of 19 claims bear on the question) beside 10s for grounding made a
    9.2/10 report."""
    cfg = AggregatorSettings(min_supported_claims=3, max_rounds=2)
    reviews = [_review("answer", 6.0), _review("citation_grounding", 10.0), _review("u", 10.0)]
    got = aggregate(reviews, supported=5, round_=1, cfg=cfg)
    assert got.mean == 8.67 and got.quality_score == 7.0
    assert any("above the answer reviewer's 6.00" in r for r in got.rules)
    fine = aggregate([_review("answer", 9.0), _review("u", 10.0)], supported=5, round_=1, cfg=cfg)
    assert fine.quality_score == 9.5


def _coverage(*statuses: str) -> list[FacetCoverage]:
    return [
        FacetCoverage(
            facet=Facet(id=f"F{i}", name=f"x{i}", kind="model", sub_question="q?"),
            status=s,
            claim_ids=["C1"] if s != "gap" else [],
        )
        for i, s in enumerate(statuses, 1)
    ]


def test_no_answered_facet_means_insufficient_evidence_and_replan() -> None:
    cfg = AggregatorSettings(min_supported_claims=3, max_rounds=2)
    reviews = [_review("a", 9.0), _review("b", 8.0)]
    none = aggregate(reviews, supported=5, round_=1, cfg=cfg, coverage=_coverage("partial", "gap"))
    assert none.gate_verdict == "insufficient_evidence" and none.replan
    assert any("no facet of the question is answered" in r for r in none.rules)
    last = aggregate(reviews, supported=5, round_=2, cfg=cfg, coverage=_coverage("gap"))
    assert last.gate_verdict == "insufficient_evidence" and not last.replan
    gap = aggregate(reviews, supported=5, round_=2, cfg=cfg, coverage=_coverage("answered", "gap"))
    assert gap.gate_verdict == "needs_review"
    # a partial answer is not "high" beside needs_review (ask "... GPTQ at 3-bit on OPT-175B?"
    # printed 9.1/10 high while the corpus held nothing on OPT-175B)
    assert (gap.quality_score, gap.tier) == (GAP_CAP, "medium")
    assert any("no evidence on x2, a facet of the question" in r for r in gap.rules)
    full = aggregate(reviews, supported=5, round_=2, cfg=cfg, coverage=_coverage("answered"))
    assert full.gate_verdict == "pass"
    assert any(r.startswith("coverage: 1 of 1 facets answered") for r in full.rules)


def test_facet_queries_retry_unanswered_facets_only() -> None:
    facets = find_facets("How does 3-bit quantization affect the accuracy of Mistral-7B?")
    first = facet_queries(facets, [], 1)
    assert first == ["3-bit quantization accuracy", "Mistral-7B quantization accuracy"]
    cov = [
        FacetCoverage(facet=facets[0], status="answered", claim_ids=["C1"]),
        FacetCoverage(facet=facets[1], status="gap", claim_ids=[]),
    ]
    again = facet_queries(facets, cov, 2)
    assert "Mistral 7B results" in again and "Mistral-7B" in again
    assert not any(q.startswith("3-bit") for q in again)
