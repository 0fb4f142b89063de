"""Planner: sub-questions and search queries for this round."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from langgraph.runtime import Runtime

from litsynth.agents.context import Context
from litsynth.agents.support import ask, prompt_echo, rejection_error, timed
from litsynth.schema.judgements import Plan, SubQuestion
from litsynth.schema.records import Facet, FacetCoverage, answer_claims
from litsynth.schema.state import ResearchState
from litsynth.text.facets import find_facets, merge_plan
from litsynth.text.terms import key_terms
from litsynth.text.validation import PromptEcho, query_problem

MAX_QUERIES_PER_ROUND = 8
CORPUS_PROBE_K = 3


def _now() -> str:
    return datetime.now(UTC).isoformat()


def fallback_plan(question: str, round_: int, tried: list[str]) -> Plan:
    """A deterministic plan: the question, its facets' queries, its key terms, then sliding
    windows of them."""
    terms = key_terms(question)
    facet_qs = [f.queries[0] for f in find_facets(question) if f.queries]
    candidates = [question, *facet_qs, " ".join(terms)]
    width = max(2, min(4, len(terms) - 1))
    candidates += [" ".join(terms[i : i + width]) for i in range(max(1, len(terms) - width + 1))]
    fresh = [q for q in candidates if q.strip() and q not in tried]
    queries = fresh[: 2 + round_] or [f"{question} results"]
    return Plan(sub_questions=[SubQuestion(question=question, queries=queries)])


def round_queries(
    plan: Plan, question: str, round_: int, tried: list[str], facet_first: list[str] | None = None
) -> list[str]:
    """This round's new queries: the question itself first in round 1, then the facets'
    queries, then the plan's; no repeats."""
    ordered = (
        ([question] if round_ == 1 else [])
        + list(facet_first or [])
        + [q for sq in plan.sub_questions for q in sq.queries]
    )
    out: list[str] = []
    seen = {t.casefold() for t in tried}
    for q in ordered:
        q = " ".join(q.split())
        if q and q.casefold() not in seen:
            out.append(q)
            seen.add(q.casefold())
    return out[:MAX_QUERIES_PER_ROUND]


def facet_queries(facets: list[Facet], coverage: list[FacetCoverage], round_: int) -> list[str]:
    """Queries serving the facets: each entity's own query in round 1; later rounds only the
    facets not yet answered, with other phrasings (spaces for hyphens, the bare name)."""
    if round_ == 1:
        return [f.queries[0] for f in facets if f.kind != "relation" and f.queries]
    open_ids = {c.facet.id for c in coverage if c.status != "answered"}
    out: list[str] = []
    for f in facets:
        if f.id not in open_ids:
            continue
        if f.kind == "relation":
            out += [*f.queries, " ".join([*f.terms, "results"])]
        else:
            out += [*f.queries, f"{f.name.replace('-', ' ')} results", f.name]
    return out


def validated_plan(
    plan: Plan, question: str, echo: PromptEcho, in_corpus: Callable[[str], bool]
) -> tuple[Plan | None, list[tuple[str, str]]]:
    """The plan without unusable sub-questions and queries, and each rejected text with why.

    A failing sub-question gives way to the question itself for its usable queries; one left
    without a query drops. None when nothing usable is left.
    """
    rejected: list[tuple[str, str]] = []
    subs: list[SubQuestion] = []

    def problem(text: str) -> str | None:
        return query_problem(text, question, echo=echo, in_corpus=in_corpus)

    for sq in plan.sub_questions:
        sub = sq.question
        if why := problem(sub):
            rejected.append((sub, why))
            sub = question  # its usable queries still serve the question itself
        queries = []
        for q in sq.queries:
            if why := problem(q):
                rejected.append((q, why))
            else:
                queries.append(q)
        if queries:
            subs.append(SubQuestion(question=sub, queries=queries))
    return (Plan(sub_questions=subs) if subs else None), rejected


def corpus_lookup(ctx: Context) -> Callable[[str], bool]:
    """Whether a term occurs in the text of the store's nearest passages to it."""
    cache: dict[str, bool] = {}

    def known(term: str) -> bool:
        if term not in cache:
            hits = ctx.get_store().search(term, k=CORPUS_PROBE_K)
            low = term.casefold()
            cache[term] = any(low in h.text.casefold() or low in h.title.casefold() for h in hits)
        return cache[term]

    return known


def _feedback(state: ResearchState) -> str:
    agg = state.get("aggregate")
    if agg is None:
        return "none (first round)"
    supported = sum(1 for c in answer_claims(state.get("claims", [])) if c.verdict == "supported")
    dropped = ", ".join(d.title for d in state.get("dropped_sources", [])[:5]) or "none"
    missing = [c.facet.name for c in state.get("coverage", []) if c.status != "answered"]
    gaps = f" No supported evidence yet on: {', '.join(missing)}." if missing else ""
    return (
        f"only {supported} supported claims so far; off-topic papers dropped: {dropped}.{gaps} "
        "Try different technical terms."
    )


def conversation(state: ResearchState) -> str:
    """Earlier turns of a chat thread for the prompt; empty (the prompt unchanged) without any."""
    turns = state.get("history", [])
    if not turns:
        return ""
    lines = "\n".join(f"{i}. {t.summary()}" for i, t in enumerate(turns, 1))
    return f"\nConversation so far (this question may follow up on it):\n{lines}"


@timed("planner")
def planner(state: ResearchState, *, runtime: Runtime[Context]) -> dict[str, Any]:
    """Ask for a plan; fall back to a keyword plan when the model's answer is unusable."""
    ctx = runtime.context
    question = state["question"]
    round_ = state.get("round", 0) + 1
    tried = state.get("queries", [])
    plan, errors = ask(
        ctx,
        "planner",
        "planner",
        Plan,
        question=question,
        round=round_,
        previous_queries="; ".join(tried) or "none",
        feedback=_feedback(state),
        conversation=conversation(state),
    )
    rejected: list[tuple[str, str]] = []
    if plan is not None:
        plan, rejected = validated_plan(
            plan, question, prompt_echo(ctx, "planner"), corpus_lookup(ctx)
        )
        if rejected:
            errors = [*errors, rejection_error("planner", "sub-questions or queries", rejected)]
    used_fallback = plan is None
    queries = round_queries(plan, question, round_, tried) if plan is not None else []
    if not queries:
        plan = fallback_plan(question, round_, tried)
        queries = round_queries(plan, question, round_, tried)
        used_fallback = True
    assert plan is not None
    facets = merge_plan(
        find_facets(question), [(sq.question, sq.queries) for sq in plan.sub_questions]
    )
    extra = facet_queries(facets, state.get("coverage", []), round_)
    if extra:
        queries = round_queries(plan, question, round_, tried, facet_first=extra) or queries
    update: dict[str, Any] = {} if state.get("started_at") else {"started_at": _now()}
    return update | {
        "round": round_,
        "plan": plan,
        "facets": facets,
        "round_queries": queries,
        "queries": queries,
        "errors": errors,
        "counters": {
            "planner_fallbacks": int(used_fallback),
            "planner_outputs_rejected": len(rejected),
            "llm_outputs_rejected": len(rejected),
        },
    }
