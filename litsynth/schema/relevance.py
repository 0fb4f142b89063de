"""The (question, sentence) relevance scorer's interface: the gate and the extractor rank by it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable


@runtime_checkable
class RelevanceScorer(Protocol):
    """Scores how strongly each sentence bears on a research question."""

    def score(self, question: str, sentences: Sequence[str]) -> list[float]:
        """One score in [0, 1] per sentence; 0.5 and above means it bears on the question."""
        ...
