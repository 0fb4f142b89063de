"""What the paper store returns: hits, document records and ingest outcomes."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Hit(BaseModel):
    """One retrieved chunk; ``page_text(doc_id, page)[char_start:char_end] == text``."""

    model_config = ConfigDict(extra="forbid")

    chunk_id: str
    doc_id: str
    title: str
    page: int = Field(ge=1)
    char_start: int = Field(ge=0)
    char_end: int = Field(ge=0)
    text: str
    score: float = Field(description="Cosine similarity to the query; higher is better.")
    section: str | None = None
    authors: list[str] = Field(default_factory=list)
    year: int | None = None
    source_path: str
    embedding: list[float] | None = None


class DocumentInfo(BaseModel):
    """One committed document of the store."""

    model_config = ConfigDict(extra="forbid")

    doc_id: str
    title: str
    authors: list[str] = Field(default_factory=list)
    year: int | None = None
    source_path: str
    content_hash: str
    pages: int
    chunks: int


class IngestOutcome(BaseModel):
    """What adding one document did to the store."""

    model_config = ConfigDict(extra="forbid")

    doc_id: str
    status: Literal["added", "unchanged", "replaced"]
    chunks_added: int = 0
    chunks_removed: int = 0
    replaced_doc_ids: list[str] = Field(default_factory=list)


class StoreCheck(BaseModel):
    """What ``PaperStore.check`` found (and repaired): records against what the store holds."""

    model_config = ConfigDict(extra="forbid")

    documents: int = Field(description="Committed document records.")
    chunks: int = Field(description="Chunks of committed documents the store holds.")
    pages: int = Field(description="Pages of committed documents the store holds.")
    orphans: int = Field(description="Chunks and pages no record names (interrupted writes).")
    missing_chunks: list[str] = Field(description="Documents with fewer chunks than recorded.")
    missing_pages: list[str] = Field(description="Documents with fewer pages than recorded.")
    repaired: bool = False
    orphans_removed: int = 0
    rechunked: list[str] = Field(
        default_factory=list, description="Documents chunked again from their stored pages."
    )

    @property
    def ok(self) -> bool:
        """True when every record agrees with what the store holds."""
        return not (self.orphans or self.missing_chunks or self.missing_pages)
