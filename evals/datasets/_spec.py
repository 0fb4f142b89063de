"""What the registry knows about each dataset."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from litsynth.evals.schema import GoldEvidence, GoldRecord

ClaimLoader = Callable[[str, Path | None, Path | None], list[GoldRecord]]
CorpusLoader = Callable[[Path | None], list[GoldEvidence]]


@dataclass(frozen=True)
class DatasetSpec:
    """A gold set: its splits, default files (relative to the shared data root) and loaders."""

    name: str
    description: str
    splits: tuple[str, ...]
    default_claims: dict[str, tuple[str, ...]]
    load_claims: ClaimLoader
    default_corpus: tuple[str, ...] | None = None
    load_corpus: CorpusLoader | None = None
    split_note: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def has_corpus(self) -> bool:
        """Whether the dataset ships a retrieval corpus."""
        return self.load_corpus is not None
