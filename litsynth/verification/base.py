"""The verifier interface every judge implements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from litsynth.schema.verdicts import EvidencePassage, Verdict


@runtime_checkable
class Verifier(Protocol):
    """Anything that turns (claim, evidence passages) into a verdict."""

    name: str

    def verify(self, claim: str, evidence: Sequence[EvidencePassage]) -> Verdict:
        """Judge one claim against the passages offered as its evidence."""
        ...

    def verify_many(self, items: Sequence[tuple[str, Sequence[EvidencePassage]]]) -> list[Verdict]:
        """Judge many claims; implementations batch the embedding work."""
        ...
