"""Aggregator: combine the panel, decide tier and gate verdict by stated rules, maybe re-plan."""

from __future__ import annotations

import statistics
from typing import Any, Literal

from langgraph.runtime import Runtime

from litsynth.agents.answer_rubric import ANSWERS, RELEVANCE
from litsynth.agents.context import Context
from litsynth.agents.support import timed
from litsynth.schema.records import FacetCoverage, PanelAggregate, Review, answer_claims
from litsynth.schema.state import ResearchState
from litsynth.settings import AggregatorSettings

LOW_EVIDENCE_CAP = 4.0
OFF_TOPIC_CAP = 5.0
NO_ANSWER_CAP = 3.0
# A facet of the question without evidence ("OPT-175B" asked, never stated) leaves the answer
# partial: medium at best, not "high" beside a needs_review verdict.
GAP_CAP = 7.0
MIN_AGREEMENT_FOR_HIGH = 0.6
# The answer is what a reader came for; the grounding reviewers cannot lift a weak one.
ANSWER_REVIEWER = "answer"
ANSWER_MARGIN = 1.0


def _criterion(reviews: list[Review], name: str) -> float | None:
    scores = [c.score for r in reviews for c in r.criteria if c.criterion == name]
    return min(scores) if scores else None


def _caps(reviews: list[Review], quality: float) -> tuple[float, list[str], bool]:
    """Caps for a report that cites an off-topic source or does not answer; (score, rules, hit)."""
    rules: list[str] = []
    relevance = _criterion(reviews, RELEVANCE)
    answers = _criterion(reviews, ANSWERS)
    hit = False
    if relevance is not None and relevance < 10 and quality > OFF_TOPIC_CAP:
        quality, hit = OFF_TOPIC_CAP, True
        rules.append(f"capped at {OFF_TOPIC_CAP} because the report cites off-topic sources")
    if answers is not None and answers == 0 and quality > NO_ANSWER_CAP:
        quality, hit = NO_ANSWER_CAP, True
        rules.append(f"capped at {NO_ANSWER_CAP} because no verified sentence answers the question")
    return quality, rules, hit


def _gap_cap(gaps: list[str], quality: float) -> tuple[float, list[str]]:
    """At most ``GAP_CAP`` when a facet of the question has no evidence; (score, rules)."""
    if not gaps or quality <= GAP_CAP:
        return quality, []
    return GAP_CAP, [
        f"capped at {GAP_CAP} because the corpus gives no evidence on {', '.join(gaps)}, "
        "a facet of the question (the answer is partial)"
    ]


def aggregate(
    reviews: list[Review],
    supported: int,
    round_: int,
    cfg: AggregatorSettings,
    coverage: list[FacetCoverage] | None = None,
) -> PanelAggregate:
    """Apply the rules; every rule that fires is written down.

    With ``coverage``, a run in which no facet of the question is answered by a supported
    claim is ``insufficient_evidence`` however many claims are supported (they bear on
    something else), and asks for another round while rounds are left.
    """
    scores = [r.score for r in reviews]
    mean = statistics.fmean(scores) if scores else 0.0
    spread = statistics.pstdev(scores) if len(scores) > 1 else 0.0
    agreement = min(1.0, max(0.0, 1.0 - spread / 5.0))
    rules = [f"quality score starts at the panel mean {mean:.2f}"]
    quality = mean
    if supported < cfg.min_supported_claims and quality > LOW_EVIDENCE_CAP:
        quality = LOW_EVIDENCE_CAP
        rules.append(
            f"capped at {LOW_EVIDENCE_CAP} because only {supported} claims are supported "
            f"(fewer than {cfg.min_supported_claims})"
        )
    answer = next((r.score for r in reviews if r.reviewer == ANSWER_REVIEWER), None)
    if answer is not None and quality > answer + ANSWER_MARGIN:
        quality = answer + ANSWER_MARGIN
        rules.append(
            f"capped at {quality:.2f}: at most {ANSWER_MARGIN:g} above the answer reviewer's "
            f"{answer:.2f} (grounding cannot lift a weak answer)"
        )
    quality, cap_rules, capped = _caps(reviews, quality)
    rules += cap_rules
    gaps = [c.facet.name for c in coverage or [] if c.status == "gap"]
    quality, gap_rules = _gap_cap(gaps, quality)
    rules += gap_rules
    if quality >= cfg.tier_high and agreement >= MIN_AGREEMENT_FOR_HIGH:
        tier: Literal["high", "medium", "low"] = "high"
    elif quality >= cfg.tier_medium:
        tier = "medium"
    else:
        tier = "low"
    rules.append(
        f"tier {tier}: high needs >= {cfg.tier_high} and agreement >= {MIN_AGREEMENT_FOR_HIGH}, "
        f"medium needs >= {cfg.tier_medium}"
    )
    leaked = any(
        c.criterion == "off_topic_excluded" and c.score < 10 for r in reviews for c in r.criteria
    )
    answered = [c for c in coverage or [] if c.status == "answered"]
    unanswered = bool(coverage) and not answered
    gapped = bool(gaps)
    if supported == 0:
        verdict: Literal["pass", "needs_review", "insufficient_evidence"] = "insufficient_evidence"
        rules.append("gate: insufficient_evidence because no claim is supported")
    elif unanswered:
        verdict = "insufficient_evidence"
        rules.append(
            "gate: insufficient_evidence because no facet of the question is answered by a "
            "supported claim"
        )
    elif (
        tier != "low"
        and supported >= cfg.min_supported_claims
        and not leaked
        and not gapped
        and not capped
    ):
        verdict = "pass"
        rules.append(
            "gate: pass (tier medium or high, enough supported claims, no dropped or off-topic "
            "source cited, a direct answer, no facet without evidence)"
        )
    else:
        verdict = "needs_review"
        rules.append(
            "gate: needs_review (low tier, too few supported claims, a dropped or off-topic "
            "source cited, no direct answer, or a facet of the question without evidence)"
        )
    too_few = supported < cfg.min_supported_claims
    replan = (too_few or unanswered) and round_ < cfg.max_rounds
    if replan:
        why = "too few supported claims" if too_few else "no facet of the question answered"
        rules.append(f"re-plan: round {round_} of {cfg.max_rounds} left {why}")
    if coverage:
        rules.append(
            f"coverage: {len(answered)} of {len(coverage)} facets answered"
            + (f"; no evidence on {', '.join(gaps)}" if gaps else "")
        )
    return PanelAggregate(
        mean=round(mean, 2),
        spread=round(spread, 2),
        agreement=round(agreement, 2),
        quality_score=round(quality, 2),
        tier=tier,
        gate_verdict=verdict,
        rules=rules,
        replan=replan,
    )


@timed("aggregator")
def aggregator(state: ResearchState, *, runtime: Runtime[Context]) -> dict[str, Any]:
    """Combine the panel's reviews."""
    supported = sum(1 for c in answer_claims(state.get("claims", [])) if c.verdict == "supported")
    agg = aggregate(
        state.get("reviews", []),
        supported,
        state.get("round", 1),
        runtime.context.settings.aggregator,
        state.get("coverage"),
    )
    spent = runtime.context.budget_exhausted() if agg.replan else None
    if spent is not None:
        agg = agg.model_copy(
            update={"replan": False, "rules": [*agg.rules, f"re-plan: skipped, {spent}"]}
        )
    return {"aggregate": agg}


def route_after_aggregate(state: ResearchState) -> Literal["planner", "reporter"]:
    """Another round when the aggregator asked for one, else write the report."""
    agg = state.get("aggregate")
    return "planner" if agg is not None and agg.replan else "reporter"
