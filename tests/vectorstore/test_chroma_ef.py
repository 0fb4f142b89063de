"""Chroma only ever gets our embedding function; its default one is never used."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from chromadb.api import types as chroma_types
from chromadb.utils.embedding_functions import known_embedding_functions
from chromadb.utils.embedding_functions.onnx_mini_lm_l6_v2 import ONNXMiniLM_L6_V2

from litsynth.schema.documents import ParsedDocument
from litsynth.settings import StoreSettings
from litsynth.text.embedding import MiniLMEmbedder
from litsynth.vectorstore.chroma_ef import EF_NAME, MiniLMEmbeddingFunction
from litsynth.vectorstore.store import PaperStore


def _forbidden(*_args: Any, **_kwargs: Any) -> Any:
    raise AssertionError("chromadb's default embedding function must not be used")


def test_default_embedding_function_never_used(
    tmp_path: Path,
    embedder: MiniLMEmbedder,
    make_doc: Callable[..., ParsedDocument],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The class is instantiated once by chromadb at import (a default argument); any later
    # instantiation or call would mean a collection fell back to it.
    monkeypatch.setattr(chroma_types.DefaultEmbeddingFunction, "__init__", _forbidden)
    monkeypatch.setattr(chroma_types.DefaultEmbeddingFunction, "__call__", _forbidden)
    monkeypatch.setattr(ONNXMiniLM_L6_V2, "__init__", _forbidden)
    monkeypatch.setattr(ONNXMiniLM_L6_V2, "__call__", _forbidden)
    settings = StoreSettings(path=tmp_path / "s")
    store = PaperStore.open(settings, embedder)
    store.add_document(make_doc())
    assert store.search("outliers", k=1)[0].page == 1
    reopened = PaperStore.open(settings, embedder)
    for collection in (reopened._chunks, reopened._pages, reopened._docs):
        ef = collection._embedding_function
        assert isinstance(ef, MiniLMEmbeddingFunction)
        assert ef.embedder is embedder
    assert reopened.search("cats", k=1)[0].page == 2


def test_embedding_function_contract(embedder: MiniLMEmbedder) -> None:
    ef = MiniLMEmbeddingFunction(embedder)
    assert ef.name() == EF_NAME
    assert known_embedding_functions[EF_NAME] is MiniLMEmbeddingFunction
    assert ef.is_legacy() is False
    assert ef.default_space() == "cosine"
    assert ef.get_config() == {"model": "all-MiniLM-L6-v2"}
    vectors = ef(["hello", "world"])
    assert len(vectors) == 2 and len(vectors[0]) == 384
    with pytest.raises(ValueError, match="built with"):
        MiniLMEmbeddingFunction.validate_config({"model": "other"})


def test_collections_use_cosine_space(store: PaperStore) -> None:
    config = store._chunks.configuration
    assert config["hnsw"]["space"] == "cosine"  # type: ignore[index]
    assert config["embedding_function"].name() == EF_NAME  # type: ignore[union-attr]
