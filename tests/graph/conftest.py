"""Fixtures for graph tests: one real store per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from litsynth.tests.research_fixtures import build_store
from litsynth.vectorstore.store import PaperStore
from litsynth.verification.embedding import EmbeddingVerifier


@pytest.fixture(scope="session")
def research_store(
    tmp_path_factory: pytest.TempPathFactory, fixture_data: Path
) -> tuple[PaperStore, set[str], Path]:
    """The demo corpus plus 20 SciFact distractors; (store, distractor ids, store dir)."""
    root = tmp_path_factory.mktemp("research")
    store, distractors = build_store(root, fixture_data)
    return store, distractors, root / "store"


@pytest.fixture(scope="session")
def verifier() -> EmbeddingVerifier:
    """The embedding verifier (offline, deterministic)."""
    return EmbeddingVerifier()
