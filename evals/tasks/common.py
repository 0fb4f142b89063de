"""What every eval task shares: the result record, gold -> verifier inputs, scoring, progress."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from litsynth import __version__
from litsynth.evals import metrics
from litsynth.evals.schema import GoldRecord
from litsynth.schema.verdicts import EvidencePassage, Verdict

if TYPE_CHECKING:
    from rich.progress import Progress

    from litsynth.settings import Settings
    from litsynth.verification.base import Verifier

Item = tuple[str, list[EvidencePassage]]


class Prediction(BaseModel):
    """One scored claim: what gold says and what the verifier said."""

    id: str
    gold: str
    pred: str
    confidence: float
    reason: str = ""
    retrieved: list[str] = Field(default_factory=list)


class TaskResult(BaseModel):
    """The outcome of one task on one dataset (the JSON written by ``--json``)."""

    dataset: str
    task: str
    split: str = "dev"
    n: int
    metrics: dict[str, float | None]
    per_label: dict[str, dict[str, float]] = Field(default_factory=dict)
    confusion: dict[str, dict[str, int]] = Field(default_factory=dict)
    baselines: dict[str, dict[str, Any]] = Field(default_factory=dict)
    config: dict[str, Any] = Field(default_factory=dict)
    litsynth_version: str = __version__
    verifier: str = ""
    seconds: float = 0.0
    notes: list[str] = Field(default_factory=list)
    calibration: list[dict[str, float]] = Field(default_factory=list)
    predictions: list[Prediction] = Field(default_factory=list)
    skipped: str | None = Field(None, description="Why the task did not run, when it did not.")


def passages_of(record: GoldRecord) -> list[EvidencePassage]:
    """The record's gold evidence documents as verifier passages."""
    return [EvidencePassage(text=e.text, doc_id=e.doc_id, title=e.title) for e in record.evidence]


def gold_items(records: Sequence[GoldRecord]) -> list[Item]:
    """(claim, gold evidence passages) per record."""
    return [(r.claim, passages_of(r)) for r in records]


def has_evidence(records: Sequence[GoldRecord]) -> bool:
    """Whether any record carries evidence text (claim-only sets cannot be verified)."""
    return any(e.text.strip() for r in records for e in r.evidence)


def score(gold: Sequence[str], verdicts: Sequence[Verdict]) -> dict[str, Any]:
    """Metrics, per-label table, confusion and calibration bins of verdicts against gold."""
    pred = [metrics.to_gold(v.label) for v in verdicts]
    conf = [v.confidence for v in verdicts]
    correct = [metrics.to_gold(g) == p for g, p in zip(gold, pred, strict=True)]
    return {
        "metrics": {
            "accuracy": metrics.accuracy(gold, pred),
            "macro_f1": metrics.macro_f1(gold, pred),
            "precision_supported": metrics.precision_supported(gold, pred),
            "ece": metrics.expected_calibration_error(conf, correct),
            "ece_floor": metrics.ece_sampling_floor(conf),
        },
        "per_label": metrics.per_label(gold, pred),
        "confusion": metrics.confusion(gold, pred),
        "calibration": metrics.calibration_bins(conf, correct),
    }


def label_metrics(gold: Sequence[str], pred: Sequence[str]) -> dict[str, float]:
    """Accuracy, macro-F1 and claim precision of plain label predictions (for baselines)."""
    return {
        "accuracy": metrics.accuracy(gold, pred),
        "macro_f1": metrics.macro_f1(gold, pred),
        "precision_supported": metrics.precision_supported(gold, pred),
    }


def make_verifier(settings: Settings, embedder: Any | None = None) -> Verifier:
    """The configured verifier, from the project factory.

    The embedding verifier is built here so it can share the run's caching ``embedder``.
    """
    from litsynth.verification.embedding import EmbeddingVerifier
    from litsynth.verification.factory import make_verifier as factory

    if settings.verifier.kind == "embedding":
        return EmbeddingVerifier.from_settings(settings.verifier, embedder=embedder)
    return factory(settings.verifier)


def artifact_summary(verifier: Verifier) -> dict[str, Any] | None:
    """Format, version, temperature and training data hashes of a trained judge's artefact."""
    meta = getattr(verifier, "metadata", None)
    if not isinstance(meta, dict):
        return None
    keys = ("format", "version", "temperature", "frozen_layers", "max_length", "seed")
    out = {k: meta[k] for k in keys if k in meta}
    out["training_files_sha256"] = meta.get("training", {}).get("file_sha256", {})
    return out


def verify_batched(
    verifier: Verifier, items: Sequence[Item], progress: Progress | None, what: str, batch: int = 64
) -> list[Verdict]:
    """``verifier.verify_many`` in batches, advancing a progress bar."""
    out: list[Verdict] = []
    task = progress.add_task(what, total=len(items)) if progress is not None else None
    for start in range(0, len(items), batch):
        chunk = items[start : start + batch]
        out.extend(verifier.verify_many(chunk))
        if progress is not None and task is not None:
            progress.advance(task, len(chunk))
    return out


@contextmanager
def progress_bar(enabled: bool = True) -> Iterator[Progress | None]:
    """A rich progress display on stderr (None when disabled)."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(file=sys.stderr)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as bar:
        yield bar


class CachingEmbedder:
    """Wraps an embedder so texts seen before (same run) are not embedded again."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self._cache: dict[str, Any] = {}

    def encode(self, texts: Sequence[str]) -> Any:
        """Vectors of ``texts``, embedding only the ones not seen yet."""
        import numpy as np

        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            for text, row in zip(missing, self.inner.encode(missing), strict=True):
                self._cache[text] = row
        if not texts:
            return self.inner.encode([])
        return np.stack([self._cache[t] for t in texts])


def shared_embedder(settings: Settings) -> CachingEmbedder:
    """One caching MiniLM embedder for a whole eval run."""
    from litsynth.text.embedding import get_embedder

    return CachingEmbedder(get_embedder(settings.embedding))
