"""Graph state: what goes in, what the nodes share, what comes out.

Every field that accumulates across nodes or rounds has an explicit reducer.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Annotated, Any, TypedDict, TypeVar

from pydantic import BaseModel

from litsynth.schema.conversation import Turn
from litsynth.schema.judgements import Plan
from litsynth.schema.records import (
    Claim,
    Contradiction,
    DroppedSource,
    Facet,
    FacetCoverage,
    KeptSource,
    PanelAggregate,
    Passage,
    Review,
    StepError,
)
from litsynth.schema.report import Report, Synthesis

_M = TypeVar("_M", bound=BaseModel)


def _merge_by(key: str) -> Any:
    def merge(left: Sequence[_M] | None, right: Sequence[_M] | None) -> list[_M]:
        """Union keyed by ``key``; a newer record replaces an older one in place."""
        merged: dict[Any, _M] = {getattr(x, key): x for x in left or []}
        for item in right or []:
            merged[getattr(item, key)] = item
        return list(merged.values())

    merge.__name__ = f"merge_by_{key}"
    return merge


merge_by_id = _merge_by("id")
merge_by_doc = _merge_by("doc_id")
merge_by_reviewer = _merge_by("reviewer")


def add_counts(left: dict[str, int] | None, right: dict[str, int] | None) -> dict[str, int]:
    """Sum counters key by key."""
    out = dict(left or {})
    for key, value in (right or {}).items():
        out[key] = out.get(key, 0) + value
    return out


def merge_dicts(left: dict[str, Any] | None, right: dict[str, Any] | None) -> dict[str, Any]:
    """Shallow merge; right wins."""
    return {**(left or {}), **(right or {})}


def add_unique(left: list[str] | None, right: list[str] | None) -> list[str]:
    """Append, keeping first occurrences only."""
    out = list(left or [])
    seen = set(out)
    for item in right or []:
        if item not in seen:
            out.append(item)
            seen.add(item)
    return out


class InputState(TypedDict):
    """What a caller gives the graph."""

    question: str


class OutputState(TypedDict, total=False):
    """What the graph hands back."""

    report: Report


class ResearchState(InputState, OutputState, total=False):
    """Everything the nodes share while the graph runs."""

    round: int
    plan: Plan
    facets: list[Facet]
    coverage: list[FacetCoverage]
    round_queries: list[str]
    queries: Annotated[list[str], add_unique]
    passages: Annotated[list[Passage], merge_by_id]
    kept_passage_ids: Annotated[list[str], add_unique]
    extracted_passage_ids: Annotated[list[str], add_unique]
    kept_sources: Annotated[list[KeptSource], merge_by_doc]
    dropped_sources: Annotated[list[DroppedSource], merge_by_doc]
    claims: Annotated[list[Claim], merge_by_id]
    contradictions: Annotated[list[Contradiction], operator.add]
    reviews: Annotated[list[Review], merge_by_reviewer]
    synthesis: Synthesis
    aggregate: PanelAggregate
    counters: Annotated[dict[str, int], add_counts]
    errors: Annotated[list[StepError], operator.add]
    timings: Annotated[dict[str, float], merge_dicts]
    started_at: str
    # Chat: the thread's finished turns, appended once per answered question.
    history: Annotated[list[Turn], operator.add]


class ReviewerInput(TypedDict):
    """What one reviewer agent receives through ``Send``."""

    reviewer: str
    question: str
    claims: list[Claim]
    kept_sources: list[KeptSource]
    dropped_sources: list[DroppedSource]
    contradictions: list[Contradiction]
    counters: dict[str, int]
    errors: list[StepError]
    coverage: list[FacetCoverage]
    synthesis: Synthesis | None
    llm_temperature: float
    llm_seed: int | None
