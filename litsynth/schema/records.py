"""Records the graph keeps in its state: passages, decisions, claims, reviews, errors."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from litsynth.schema.verdicts import EvidenceSentence, VerdictLabel

ClaimKind = Literal["answer", "source_result"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Passage(_Record):
    """A retrieved chunk with the span metadata needed to quote it."""

    id: str = Field(description="Chunk id in the store.")
    doc_id: str = Field(description="Document id.")
    title: str = Field(description="Document title.")
    authors: list[str] = Field(default_factory=list, description="Authors, when known.")
    year: int | None = Field(None, description="Year, when known.")
    source_path: str = Field("", description="Where the document was ingested from.")
    page: int = Field(ge=1, description="1-based page number.")
    char_start: int = Field(ge=0, description="Start of the chunk in the page text.")
    char_end: int = Field(ge=0, description="End of the chunk in the page text.")
    text: str = Field(description="Chunk text (equals the page slice).")
    section: str | None = Field(None, description="Section heading, when detected.")
    query: str = Field(description="The search query that found it.")
    retrieval_score: float = Field(description="Cosine similarity to that query.")
    question_score: float = Field(0.0, description="Cosine similarity to the question.")
    round: int = Field(ge=1, description="Planner round that retrieved it.")


class DroppedSource(_Record):
    """A paper the relevance gate refused, with the reason; never cited."""

    doc_id: str = Field(description="Document id.")
    title: str = Field(description="Document title.")
    reason: str = Field(description="Why it was dropped.")
    decided_by: Literal["embedding", "llm", "lexical", "subject", "relevance"] = Field(
        description="Which test dropped it."
    )
    best_score: float = Field(description="Best sentence relevance to the question.")


class KeptSource(_Record):
    """A paper the gate let through, with why."""

    doc_id: str = Field(description="Document id.")
    title: str = Field(description="Document title.")
    reason: str = Field(description="Why it was kept.")
    best_score: float = Field(description="Best sentence relevance to the question.")


class Claim(_Record):
    """An atomic claim resting on a verbatim span of a stored page."""

    id: str = Field(description="Stable id derived from its span.")
    text: str = Field(description="The claim, one whole sentence.")
    verbatim: bool = Field(description="True when the claim text is the quoted sentence itself.")
    doc_id: str = Field(description="Source document id.")
    title: str = Field(description="Source document title.")
    page: int = Field(ge=1, description="1-based page number.")
    char_start: int = Field(ge=0, description="Start of the quote in the page text.")
    char_end: int = Field(ge=0, description="End of the quote in the page text.")
    quote: str = Field(description="page_text[char_start:char_end], exactly.")
    passage_id: str = Field(description="Passage the claim came from.")
    sub_question: str = Field("", description="Sub-question it answers, when known.")
    relevance: float = Field(description="Relevance of the quote to the question (0-1).")
    round: int = Field(ge=1, description="Planner round that produced it.")
    selected_by: Literal["llm", "rules"] = Field(description="Who chose the sentence.")
    kind: ClaimKind = Field(
        "answer",
        description="answer: chosen for the question; source_result: one of a cited source's "
        "headline results (its abstract or introduction), reported apart from the answer.",
    )
    verdict: VerdictLabel | None = Field(None, description="Verifier label, once verified.")
    confidence: float | None = Field(None, ge=0.0, le=1.0, description="Verifier probability.")
    verdict_reason: str = Field("", description="Verifier's reason.")
    judge: str = Field("", description="Verifier that judged it.")
    evidence: list[EvidenceSentence] = Field(
        default_factory=list, description="Evidence sentences the verdict rests on."
    )


def answer_claims(claims: Iterable[Claim]) -> list[Claim]:
    """The claims chosen for the question (not the cited sources' other headline results)."""
    return [c for c in claims if c.kind == "answer"]


class Contradiction(_Record):
    """Two claims from different sources that the verifier finds in conflict."""

    claim_a: str = Field(description="Id of the first claim.")
    claim_b: str = Field(description="Id of the second claim.")
    confidence: float = Field(ge=0.0, le=1.0, description="Verifier probability of conflict.")
    reason: str = Field(description="Verifier's reason.")


class CriterionScore(_Record):
    """One rubric criterion's score with its reason."""

    criterion: str = Field(description="Criterion name.")
    score: float = Field(ge=0.0, le=10.0, description="Score out of 10.")
    reason: str = Field(min_length=3, description="Why this score, with the measured figures.")


class Review(_Record):
    """One reviewer agent's verdict on the synthesis."""

    reviewer: str = Field(description="Reviewer (rubric) name.")
    criteria: list[CriterionScore] = Field(min_length=1, description="Per-criterion scores.")
    score: float = Field(ge=0.0, le=10.0, description="Overall score out of 10.")
    comment: str = Field(description="Summary in words.")
    source: Literal["rules", "rules+llm"] = Field(description="How the review was written.")


class PanelAggregate(_Record):
    """The panel's combined judgement and the decisions taken from it."""

    mean: float = Field(ge=0.0, le=10.0, description="Mean of the reviewers' scores.")
    spread: float = Field(ge=0.0, description="Standard deviation of the reviewers' scores.")
    agreement: float = Field(ge=0.0, le=1.0, description="1 - spread / 5, clipped to [0, 1].")
    quality_score: float = Field(ge=0.0, le=10.0, description="Quality score out of 10.")
    tier: Literal["high", "medium", "low"] = Field(description="Quality tier.")
    gate_verdict: Literal["pass", "needs_review", "insufficient_evidence"] = Field(
        description="Whether the synthesis can be relied on."
    )
    rules: list[str] = Field(description="The rules that fired, in words.")
    replan: bool = Field(description="Whether another planner round was asked for.")


class StepError(_Record):
    """A failure recorded in state instead of being swallowed."""

    node: str = Field(description="Node where it happened.")
    kind: str = Field(description="Short category, e.g. llm_malformed_output.")
    message: str = Field(description="What went wrong.")


FacetKind = Literal[
    "model", "method", "benchmark", "hardware", "metric", "precision", "other", "relation"
]
CoverageStatus = Literal["answered", "partial", "gap"]


class Facet(_Record):
    """One checkable part of the question: an entity it names, or the relation it asks about."""

    id: str = Field(description="F1, F2, ... in question order.")
    name: str = Field(description="The entity as the question names it, or the relation terms.")
    kind: FacetKind = Field(description="What sort of facet it is.")
    terms: list[str] = Field(
        default_factory=list, description="Relation facets: the content terms to look for."
    )
    sub_question: str = Field(description="The sub-question this facet asks.")
    queries: list[str] = Field(default_factory=list, description="Search queries serving it.")


class FacetCoverage(_Record):
    """How far the supported evidence answers one facet."""

    facet: Facet = Field(description="The facet.")
    status: CoverageStatus = Field(
        description="answered: a supported claim's quote names it; partial: a near neighbour "
        "only; gap: nothing in the corpus."
    )
    claim_ids: list[str] = Field(description="Supported claims behind the status.")
    closest: str = Field("", description="When partial: the near neighbour the evidence is on.")


Direction = Literal["no_loss", "small_loss", "loss", "gain", "speedup", "memory_saving", "none"]


class Finding(_Record):
    """A result one supported claim states, read into fields by rules (empty when not stated)."""

    claim_id: str = Field(description="The claim it is read from.")
    doc_id: str = Field(description="Source document id.")
    title: str = Field(description="Source document title.")
    sub_question: str = Field("", description="Sub-question the claim answers.")
    method: str = Field("", description="Quantization method named (GPTQ, RTN, LLM.int8()...).")
    model: str = Field("", description="Model or model family named (OPT-175B, BLOOM...).")
    weight_bits: list[int] = Field(default_factory=list, description="Weight bit widths.")
    bits_text: str = Field("", description="The weight bit widths as the quote words them.")
    activation_bits: list[int] = Field(default_factory=list, description="Activation bits.")
    metric: str = Field("", description="Benchmark or metric named (perplexity, accuracy...).")
    value: str = Field("", description="Measured value or amount (2.4 points, 3.25x...).")
    direction: Direction = Field(description="What the result says happens to the metric.")
    compared_with: str = Field("", description="What the result is compared with.")
    answer_bearing: bool = Field(
        description="True when the sentence states a result about the question's subject."
    )
    span: str = Field(
        "",
        description="The part of the quote this finding reads when the quote contrasts two "
        "results ('no loss for encoder models, but a significant drop for decoder-only "
        "models'); empty for the whole quote.",
    )


class SourceAgreement(_Record):
    """Findings from different sources on the same setting: agreeing, or in conflict."""

    kind: Literal["agreement", "conflict"] = Field(description="Agree or conflict.")
    setting: str = Field(description="What they share, e.g. '4-bit weights, accuracy'.")
    width: int | None = Field(
        None, description="The one weight bit width they share, when they share exactly one."
    )
    claim_ids: list[str] = Field(min_length=2, description="Claims involved.")
    doc_ids: list[str] = Field(min_length=2, description="Distinct sources involved.")
    explanation: str = Field(description="In words, with the conditions that differ.")
