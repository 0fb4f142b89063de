"""What the chat model is asked to return: one pydantic model per judgement.

Bounds and lengths are part of the schema so that a malformed answer fails validation
(and is retried) instead of leaking into state.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class _Judgement(BaseModel):
    model_config = ConfigDict(extra="ignore")


class SubQuestion(_Judgement):
    """One checkable part of the research question."""

    question: str = Field(min_length=3, max_length=300, description="The sub-question.")
    queries: list[str] = Field(
        min_length=1, max_length=4, description="Search queries for the paper store."
    )

    @field_validator("queries")
    @classmethod
    def _clean_queries(cls, v: list[str]) -> list[str]:
        out = [q.strip() for q in v if q and q.strip()]
        if not out:
            raise ValueError("at least one non-empty query")
        return out


class Plan(_Judgement):
    """The planner's decomposition of the question."""

    sub_questions: list[SubQuestion] = Field(
        min_length=1, max_length=5, description="Sub-questions with their search queries."
    )


class GateJudgement(_Judgement):
    """Whether one source paper bears on the question."""

    relevant: bool = Field(description="True if the paper bears on the question.")
    reason: str = Field(min_length=3, max_length=400, description="Why, in one sentence.")


class SelectedClaim(_Judgement):
    """A claim the extractor takes from one numbered candidate sentence."""

    sentence_id: int = Field(ge=1, description="Number of the candidate sentence it rests on.")
    claim: str = Field(
        "", max_length=600, description="The claim in one whole sentence; empty = verbatim."
    )


class ClaimSelection(_Judgement):
    """The extractor's choice of findings among candidate sentences."""

    claims: list[SelectedClaim] = Field(
        default_factory=list, max_length=20, description="Findings that answer the question."
    )


class ReviewerComment(_Judgement):
    """A reviewer agent's written judgement on top of its measured rubric."""

    comment: str = Field(min_length=3, max_length=600, description="The reviewer's view.")
    adjustment: float = Field(
        0.0, ge=-1.0, le=1.0, description="Bounded correction to the measured score."
    )


class SynthesisSentence(_Judgement):
    """One sentence of the results section and the claims it rests on."""

    text: str = Field(min_length=10, max_length=600, description="The sentence.")
    claim_ids: list[str] = Field(min_length=1, description="Ids of supported claims it cites.")


class SynthesisDraft(_Judgement):
    """The results section as cited sentences."""

    sentences: list[SynthesisSentence] = Field(
        min_length=1, max_length=20, description="Results sentences, each citing claims."
    )


RelevanceSource = Literal["embedding", "llm", "lexical"]
