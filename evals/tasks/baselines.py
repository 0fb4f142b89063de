"""Reference numbers printed beside ours: majority class, tuned embedding baseline, literature."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from litsynth.evals.schema import GoldRecord
from litsynth.evals.tasks.common import Item, label_metrics, score

if TYPE_CHECKING:
    from rich.progress import Progress

    from litsynth.text.embedding import Embedder

# Published figures, for orientation only: other splits/settings than ours, so not comparable 1:1.
PUBLISHED: dict[str, list[dict[str, Any]]] = {
    "scifact": [
        {
            "name": "VeriSci (Wadden et al. 2020, arXiv 2004.14974)",
            "setting": "abstract-level label F1, open setting (its own retrieval), SciFact",
            "value": 0.47,
            "note": "approximate (~0.47), the figure the verifier issue cites; the oracle-abstract "
            "figure is not verified offline here",
        },
        {
            "name": "MultiVerS (Wadden et al. 2022, arXiv 2112.01640)",
            "setting": "abstract-level label F1, open retrieval, SciFact test",
            "value": 0.72,
            "note": "approximate (~0.72)",
        },
    ],
}


# Tuned parameters per (dataset, train record ids): verify and retrieve of one run share them.
_TUNED: dict[tuple[str, tuple[str, ...]], Any] = {}


def majority(train: Sequence[GoldRecord], gold: Sequence[str]) -> dict[str, Any]:
    """Always predict the most frequent TRAIN label (ties: alphabetical)."""
    if not train:
        return {"skipped": "no train split"}
    counts = Counter(r.label for r in train)
    label = sorted(counts, key=lambda lab: (-counts[lab], lab))[0]
    return {"label": label, **label_metrics(gold, [label] * len(gold))}


def tuned_embedding(
    train: Sequence[GoldRecord],
    items: Sequence[Item],
    gold: Sequence[str],
    *,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
    dataset: str = "",
) -> dict[str, Any]:
    """The embedding verifier tuned on TRAIN only (thresholds + calibration), run on ``items``."""
    from litsynth.evals.tasks.common import verify_batched
    from litsynth.training.tune_embedding import tune
    from litsynth.verification.embedding import EmbeddingVerifier

    if not any(r.evidence for r in train):
        return {"skipped": "no train split with evidence"}
    key = (dataset, tuple(r.id for r in train))
    if key not in _TUNED:
        _TUNED[key] = tune(train, embedder=embedder, source=f"{dataset} train")
    params = _TUNED[key]
    verifier = EmbeddingVerifier(params, embedder=embedder)
    verdicts = verify_batched(verifier, items, progress, "baseline: tuned embedding")
    scored = score(gold, verdicts)
    return {
        **scored["metrics"],
        "t_support": params.t_support,
        "t_contradict": params.t_contradict,
        "tuned_on": params.source,
    }


def published(dataset: str) -> list[dict[str, Any]]:
    """Literature figures for ``dataset`` (empty when none is cited)."""
    return PUBLISHED.get(dataset, [])
