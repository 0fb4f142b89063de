"""The one schema every gold-set loader maps its dataset into."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

GoldLabel = Literal["supported", "contradicted", "not_enough_info"]
Split = Literal["train", "dev", "test"]


class GoldEvidence(BaseModel):
    """One evidence document (or passage) for a gold claim."""

    model_config = ConfigDict(extra="forbid")

    doc_id: str = Field(description="Document id in the dataset's corpus.")
    title: str = Field("", description="Document title, when known.")
    text: str = Field(description="Evidence text (whole abstract or passage).")
    sentences: list[str] = Field(
        default_factory=list, description="The text split into sentences, when the dataset does."
    )
    rationale: list[int] = Field(
        default_factory=list, description="Indices of gold rationale sentences, when given."
    )


class GoldRecord(BaseModel):
    """A claim with its gold evidence and label."""

    model_config = ConfigDict(extra="forbid")

    dataset: str = Field(description="Dataset name, e.g. scifact.")
    id: str = Field(description="Record id, unique within dataset and split.")
    claim: str = Field(description="The claim text.")
    label: GoldLabel = Field(description="Gold label mapped to the common three.")
    evidence: list[GoldEvidence] = Field(
        default_factory=list, description="Gold evidence documents (may be empty for NEI)."
    )
    split: Split = Field(description="Which split the record belongs to.")
