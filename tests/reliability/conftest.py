"""Fixtures of the reliability tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from litsynth.settings import StoreSettings
from litsynth.vectorstore.store import PaperStore


@pytest.fixture
def open_store() -> Callable[[Path], PaperStore]:
    """Open an existing embedded store as any caller would (other processes' writes show)."""
    from litsynth.text.embedding import get_embedder

    def open_(path: Path) -> PaperStore:
        return PaperStore.open(StoreSettings(path=path), get_embedder(), must_exist=True)

    return open_
