"""The parsed form of one input document, before chunking."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ParsedDocument(BaseModel):
    """One document with its normalized page texts (page ``n`` is ``pages[n - 1]``).

    ``content_hash`` is the hash of the raw input (file bytes, or the canonical JSON of a record),
    so an unchanged input can be recognised before it is parsed again.
    ``source_key`` names what the document was read from (a file path, or ``path#record``); a new
    document from the same source replaces the old one even when its ``doc_id`` changed.
    """

    model_config = ConfigDict(extra="forbid")

    doc_id: str = Field(min_length=1)
    title: str
    authors: list[str] = Field(default_factory=list)
    year: int | None = None
    source_path: str
    source_key: str
    content_hash: str
    pages: list[str] = Field(min_length=1)
