"""What a verifier returns: labels, evidence sentences, verdicts."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

VerdictLabel = Literal["supported", "contradicted", "unverified"]
LABELS: tuple[VerdictLabel, ...] = ("supported", "contradicted", "unverified")


class EvidencePassage(BaseModel):
    """A passage offered to the verifier as possible evidence for a claim."""

    model_config = ConfigDict(frozen=True)

    text: str = Field(description="Passage text.")
    doc_id: str = Field("", description="Document the passage comes from.")
    page: int | None = Field(None, description="1-based page number, when known.")
    char_start: int | None = Field(None, description="Start of the passage in its page text.")
    char_end: int | None = Field(None, description="End of the passage in its page text.")
    title: str = Field("", description="Title of the document.")


class EvidenceSentence(BaseModel):
    """A sentence the verifier relied on, located in its passage."""

    text: str = Field(description="The sentence.")
    doc_id: str = Field("", description="Document it comes from.")
    page: int | None = Field(None, description="1-based page number, when known.")
    char_start: int | None = Field(None, description="Start in the page text, when known.")
    char_end: int | None = Field(None, description="End in the page text, when known.")
    score: float = Field(description="How strongly the judge relied on it (higher = more).")


class Verdict(BaseModel):
    """A verifier's judgement of one claim against its evidence."""

    label: VerdictLabel = Field(description="supported / contradicted / unverified.")
    confidence: float = Field(ge=0.0, le=1.0, description="Calibrated probability of the label.")
    probabilities: dict[VerdictLabel, float] = Field(
        default_factory=dict, description="Probability per label, summing to 1 when given."
    )
    evidence: list[EvidenceSentence] = Field(
        default_factory=list, description="Sentences the verdict rests on, best first."
    )
    reason: str = Field("", description="Why, in words a reader can check.")
    judge: str = Field(description="Name and version of the judge that gave the verdict.")
