"""Report writer: the pydantic ``Report`` with its provenance manifest."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from langgraph.runtime import Runtime

from litsynth import __version__
from litsynth.agents.context import Context
from litsynth.agents.support import timed
from litsynth.report import compose
from litsynth.schema.records import Claim, PanelAggregate, Passage, StepError, answer_claims
from litsynth.schema.report import (
    Manifest,
    Panel,
    Reference,
    Report,
    ResultSentence,
    Synthesis,
)
from litsynth.schema.state import ResearchState
from litsynth.text.facets import summary as coverage_summary

# The prompts a research run can send; the manifest hashes these (not the evals' judge prompt).
GRAPH_PROMPTS = ("planner", "gate", "extractor", "reviewer", "synthesis")


def references(
    claims: list[Claim], passages: list[Passage], synthesis: Synthesis | None = None
) -> list[Reference]:
    """Only sources that the answer, its sections or its context cite (every claim's source
    when there is no synthesis), in order of first citation."""
    meta = {p.doc_id: p for p in passages}
    cited: dict[str, list[str]] = {}
    used = set(synthesis.cited_claim_ids()) if synthesis is not None else None
    for c in sorted(claims, key=lambda c: int(c.id[1:])):
        if used is not None and c.id not in used:
            continue
        cited.setdefault(c.doc_id, []).append(c.id)
    return [
        Reference(
            doc_id=doc_id,
            title=meta[doc_id].title,
            authors=meta[doc_id].authors,
            year=meta[doc_id].year,
            source_path=meta[doc_id].source_path,
            claim_ids=ids,
        )
        for doc_id, ids in cited.items()
    ]


def _results(state: ResearchState, claims: list[Claim], limit: int) -> list[ResultSentence]:
    """Every verified answer sentence; the supported claims themselves when there is no
    synthesis (a graph built without the synthesizer)."""
    synthesis = state.get("synthesis")
    if synthesis is None:
        return compose.results_from_claims(claims, limit)
    return [ResultSentence(text=s.text, claim_ids=s.claim_ids) for s in synthesis.sentences()]


def _introduction(state: ResearchState) -> str:
    plan = state.get("plan")
    subs = [sq.question for sq in plan.sub_questions] if plan else [state["question"]]
    rounds = state.get("round", 1)
    split = (
        "The question was searched as asked (no sub-questions)."
        if subs == [state["question"]]
        else f"The question was broken into {len(subs)} sub-questions: "
        + "; ".join(s.rstrip(".") for s in subs)
        + ("" if subs[-1].rstrip().endswith(("?", ".")) else ".")
    )
    return (
        f"Research question: {state['question']} {split} Planning ran for {rounds} "
        f"round{'s' if rounds != 1 else ''}; each round searched the paper store with new queries."
    )


def _runtime(verifier: object) -> dict[str, str]:
    summary = getattr(verifier, "runtime_summary", None)
    return {"runtime": summary} if isinstance(summary, str) else {}


def _methodology(state: ResearchState, n_docs: int, judge: str) -> str:
    counters = state.get("counters", {})
    queries = state.get("queries", [])
    kept = state.get("kept_sources", [])
    dropped = state.get("dropped_sources", [])
    retrieved = counters.get("passages_retrieved", 0)
    rewrites = counters.get("claims_restatement_rejected", 0)
    return (
        f"The store held {n_docs} documents. {len(queries)} queries were run "
        f"({'; '.join(queries)}), retrieving {retrieved} passages after de-duplication and MMR "
        f"diversification. The relevance gate kept {counters.get('passages_kept', 0)} passages "
        f"from {len(kept)} sources and dropped {len(dropped)} sources (embedding similarity to "
        "the question, shared key terms, and an LLM judgement; reasons listed under Dropped "
        "sources). Claims were taken only from sentences of kept passages, located by character "
        "span in the stored page text, so each quote equals its page slice; restatements naming "
        f"anything the quote does not were replaced by the quote ({rewrites} times). Each claim "
        f"was judged against its cited passage by {judge}, and similar claims from different "
        "sources were checked against each other for contradictions. A panel of reviewers "
        "scored the result by rubric."
    )


@timed("reporter")
def reporter(state: ResearchState, *, runtime: Runtime[Context]) -> dict[str, Any]:
    """Write the report from the records in state."""
    ctx = runtime.context
    question = state["question"]
    claims = sorted(state.get("claims", []), key=lambda c: int(c.id[1:]))
    agg: PanelAggregate = state["aggregate"]
    store = ctx.get_store()
    n_docs = len(store.documents())
    judges = sorted({c.judge for c in claims if c.judge})
    judge = ", ".join(judges) or getattr(ctx.get_verifier(), "name", "verifier")
    synthesis = state.get("synthesis")
    results = _results(state, answer_claims(claims), ctx.settings.report.max_result_sentences)
    faults = ctx.get_usage().faults.faults()
    http_faults = [
        StepError(node="llm", kind="http_fault", message=f"{f.url}: {f.what}") for f in faults
    ]
    all_errors = [*state.get("errors", []), *http_faults]
    llm_failures = sum(1 for e in all_errors if e.kind.startswith("llm_"))
    counters = {**state.get("counters", {}), **(synthesis.counts if synthesis else {})}
    usage = ctx.get_usage().total()
    settings = ctx.settings
    coverage = state.get("coverage", [])
    report = Report(
        title=f"Evidence synthesis: {question}",
        question=question,
        abstract=compose.abstract(
            question,
            claims,
            state.get("kept_sources", []),
            state.get("dropped_sources", []),
            agg,
            coverage,
            synthesis,
        ),
        introduction=_introduction(state),
        methodology=_methodology(state, n_docs, judge),
        results=results,
        synthesis=synthesis,
        coverage=coverage,
        limitations=compose.limitations(
            claims,
            state.get("kept_sources", []),
            n_docs,
            judge,
            llm_failures,
            settings.aggregator.min_supported_claims,
            coverage,
        ),
        claims=claims,
        contradictions=state.get("contradictions", []),
        references=references(claims, state.get("passages", []), synthesis),
        kept_sources=state.get("kept_sources", []),
        dropped_sources=state.get("dropped_sources", []),
        panel=Panel(reviews=state.get("reviews", []), aggregate=agg),
        quality_score=agg.quality_score,
        quality_tier=agg.tier,
        gate_verdict=agg.gate_verdict,
        errors=all_errors,
        manifest=Manifest(
            litsynth_version=__version__,
            models={
                "chat": ctx.model_info(),
                "embedder": {"name": getattr(ctx.get_embedder(), "name", "all-MiniLM-L6-v2")},
                "verifier": {"name": judge, **_runtime(ctx.get_verifier())},
            },
            prompt_hashes=ctx.prompts.hashes(GRAPH_PROMPTS),
            config=settings.model_dump(mode="json"),
            corpus={
                "store": settings.store.chroma_url or str(settings.store.path),
                "collection": settings.store.collection,
                "fingerprint": store.fingerprint(),
                "documents": n_docs,
            },
            started_at=state.get("started_at") or datetime.now(UTC).isoformat(),
            finished_at=datetime.now(UTC).isoformat(),
            token_usage={
                "calls": usage.calls,
                "prompt_tokens": usage.prompt_tokens,
                "completion_tokens": usage.completion_tokens,
                "total_tokens": usage.total_tokens,
                "failed_http_attempts": len(faults),
            },
            rounds=state.get("round", 1),
            queries=state.get("queries", []),
            counters=counters,
            timings_s=state.get("timings", {}),
            thread_id=ctx.thread_id,
            coverage={
                **coverage_summary(coverage),
                "facets": {c.facet.name: c.status for c in coverage},
            },
        ),
    )
    return {"report": report}
