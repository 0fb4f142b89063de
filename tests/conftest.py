"""Shared fixtures. Tests never touch the network or a model hub."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from litsynth.text.embedding import MiniLMEmbedder, get_embedder

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared real datasets beside the repo; skip when absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def embedder() -> MiniLMEmbedder:
    """The process-wide MiniLM embedder (the model is shipped locally by a package)."""
    return get_embedder()
