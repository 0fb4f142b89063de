"""Fixtures: small temporary stores over the session's real MiniLM embedder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from litsynth.schema.documents import ParsedDocument
from litsynth.settings import StoreSettings
from litsynth.text.embedding import MiniLMEmbedder
from litsynth.vectorstore.store import PaperStore


@pytest.fixture
def store(tmp_path: Path, embedder: MiniLMEmbedder) -> PaperStore:
    """An empty embedded store in a temp directory."""
    return PaperStore.open(StoreSettings(path=tmp_path / "store"), embedder)


@pytest.fixture
def make_doc() -> Callable[..., ParsedDocument]:
    """Build a small ParsedDocument."""

    def make(
        doc_id: str = "doc:1",
        pages: list[str] | None = None,
        *,
        source_key: str | None = None,
        content_hash: str = "a" * 64,
        title: str = "A paper",
    ) -> ParsedDocument:
        return ParsedDocument(
            doc_id=doc_id,
            title=title,
            authors=["Ada Lovelace"],
            year=2023,
            source_path=f"/tmp/{doc_id}.txt",
            source_key=source_key or f"/tmp/{doc_id}.txt",
            content_hash=content_hash,
            pages=pages
            or [
                "Outlier features dominate 8-bit matrix multiplication. We isolate them in 16-bit.",
                "Cats sleep most of the day. They like warm places.",
            ],
        )

    return make
