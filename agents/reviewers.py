"""Reviewer panel: one agent per rubric, fanned out with ``Send`` so they run concurrently.

Each agent measures its rubric's criteria from the run (scores with the figures as reasons);
when the panel may use the LLM, the agent adds a written comment and a bounded adjustment.
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime
from langgraph.types import Send

from litsynth.agents.context import Context
from litsynth.agents.rubrics import RUBRICS
from litsynth.agents.support import ask
from litsynth.schema.judgements import ReviewerComment
from litsynth.schema.records import Review, StepError
from litsynth.schema.state import ResearchState, ReviewerInput

MAX_CLAIMS_SHOWN = 12


def fan_out_reviewers(state: ResearchState, *, runtime: Runtime[Context]) -> list[Send]:
    """One ``Send`` per reviewer on the panel."""
    llm = runtime.context.settings.llm
    return [
        Send(
            "reviewer",
            ReviewerInput(
                reviewer=name,
                question=state["question"],
                claims=state.get("claims", []),
                kept_sources=state.get("kept_sources", []),
                dropped_sources=state.get("dropped_sources", []),
                contradictions=state.get("contradictions", []),
                counters=state.get("counters", {}),
                errors=state.get("errors", []),
                coverage=state.get("coverage", []),
                synthesis=state.get("synthesis"),
                llm_temperature=llm.temperature,
                llm_seed=llm.seed,
            ),
        )
        for name in runtime.context.settings.panel.reviewers
    ]


def reviewer(state: ReviewerInput, *, runtime: Runtime[Context]) -> dict[str, Any]:
    """Score one rubric; optionally let the LLM comment and nudge the score by at most 1."""
    ctx = runtime.context
    rubric = RUBRICS[state["reviewer"]]
    criteria = rubric.measure(state)
    measured = sum(c.score for c in criteria) / len(criteria)
    comment = "; ".join(f"{c.criterion}: {c.reason}" for c in criteria)
    source = "rules"
    errors: list[StepError] = []
    if ctx.settings.panel.use_llm and state["claims"]:
        claims = "\n".join(
            f"{c.id} | {c.verdict} | {c.confidence} | {c.text}"
            for c in state["claims"][:MAX_CLAIMS_SHOWN]
        )
        facts = "\n".join(f"- {c.criterion}: {c.score}/10 ({c.reason})" for c in criteria)
        judgement, errors = ask(
            ctx,
            "reviewer",
            "reviewer",
            ReviewerComment,
            reviewer=rubric.name,
            rubric=rubric.description,
            question=state["question"],
            measurements=facts,
            claims=claims,
        )
        if judgement is not None:
            measured = min(10.0, max(0.0, measured + judgement.adjustment))
            comment = f"{judgement.comment} (measured: {comment})"
            source = "rules+llm"
    review = Review(
        reviewer=rubric.name,
        criteria=criteria,
        score=round(measured, 2),
        comment=comment,
        source=source,
    )
    return {"reviews": [review], "errors": errors}
