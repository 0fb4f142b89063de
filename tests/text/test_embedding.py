"""The MiniLM embedder: shape, dtype, normalization, process-wide cache."""

from __future__ import annotations

import numpy as np

from litsynth.settings import EmbeddingSettings
from litsynth.text.embedding import MiniLMEmbedder, get_embedder


def test_encode_is_normalized_float32(embedder: MiniLMEmbedder) -> None:
    vectors = embedder.encode(["int8 quantization", "a cat on a mat", "8-bit quantization"])
    assert vectors.shape == (3, embedder.dim) == (3, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[2] > vectors[0] @ vectors[1]
    assert embedder.encode([]).shape == (0, 384)


def test_get_embedder_is_cached() -> None:
    assert get_embedder() is get_embedder(EmbeddingSettings())
    assert get_embedder().name == "all-MiniLM-L6-v2"
