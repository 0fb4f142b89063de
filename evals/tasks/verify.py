"""Task ``verify``: given each claim and its gold evidence document(s), predict the label."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from litsynth.errors import DatasetError
from litsynth.evals.schema import GoldRecord
from litsynth.evals.tasks import baselines as bl
from litsynth.evals.tasks.common import (
    Prediction,
    TaskResult,
    artifact_summary,
    gold_items,
    has_evidence,
    make_verifier,
    score,
    shared_embedder,
    verify_batched,
)

if TYPE_CHECKING:
    from pathlib import Path

    from rich.progress import Progress

    from litsynth.settings import Settings


def load_train(dataset: str, split: str) -> list[GoldRecord]:
    """The TRAIN split used for baselines (empty when the dataset has none or it is reported)."""
    from litsynth.evals.datasets import DATASETS, load

    spec = DATASETS.get(dataset)
    if spec is None or "train" not in spec.splits or split == "train":
        return []
    try:
        return load(dataset, "train")
    except DatasetError:
        return []


def run_verify(
    dataset: str,
    settings: Settings,
    *,
    split: str = "dev",
    claims: Path | None = None,
    corpus: Path | None = None,
    limit: int | None = None,
    with_baselines: bool = True,
    progress: Progress | None = None,
    embedder: Any | None = None,
) -> TaskResult:
    """Verify each record's claim against its gold evidence with the configured verifier."""
    from litsynth.evals.datasets import load

    started = time.perf_counter()
    records = load(dataset, split, claims=claims, corpus=corpus, limit=limit)
    config = {
        "split": split,
        "limit": limit,
        "claims": str(claims) if claims else None,
        "verifier": settings.verifier.model_dump(mode="json"),
    }
    if not records or not has_evidence(records):
        return TaskResult(
            dataset=dataset,
            task="verify",
            split=split,
            n=len(records),
            metrics={},
            config=config,
            skipped="no evidence text in this dataset: claim-only sets cannot be verified",
        )
    embedder = embedder or shared_embedder(settings)
    verifier = make_verifier(settings, embedder)
    config["artifact"] = artifact_summary(verifier)
    items = gold_items(records)
    gold = [r.label for r in records]
    verdicts = verify_batched(verifier, items, progress, f"verify {dataset}")
    config["runtime"] = getattr(verifier, "runtime_summary", None)
    scored = score(gold, verdicts)
    baselines: dict[str, Any] = {}
    notes: list[str] = []
    if with_baselines:
        train = load_train(dataset, split)
        if not train:
            notes.append("no train split available: train-tuned baselines skipped")
        baselines["majority"] = bl.majority(train, gold)
        baselines["embedding_tuned_on_train"] = bl.tuned_embedding(
            train, items, gold, embedder=embedder, progress=progress, dataset=dataset
        )
    baselines["published"] = {"figures": bl.published(dataset)}
    return TaskResult(
        dataset=dataset,
        task="verify",
        split=split,
        n=len(records),
        metrics=scored["metrics"],
        per_label=scored["per_label"],
        confusion=scored["confusion"],
        calibration=scored["calibration"],
        baselines=baselines,
        config=config,
        verifier=getattr(verifier, "name", type(verifier).__name__),
        seconds=round(time.perf_counter() - started, 2),
        notes=notes,
        predictions=[
            Prediction(
                id=r.id, gold=r.label, pred=v.label, confidence=v.confidence, reason=v.reason
            )
            for r, v in zip(records, verdicts, strict=True)
        ],
    )
