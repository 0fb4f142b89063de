"""Fit the embedding verifier's thresholds and calibration on a TRAIN split (deterministic).

``python -m litsynth.training.tune_embedding`` tunes on SciFact train and writes the bundled
``litsynth/verification/artifacts/embedding_v1.json``. Thresholds maximise macro-F1 on the train
records; probabilities come from a multinomial logistic fit of (best cosine, cue fired) -> label.
Never pass the split you report on.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from litsynth.evals import metrics
from litsynth.evals.schema import GoldRecord
from litsynth.evals.tasks.common import gold_items
from litsynth.schema import LABELS
from litsynth.verification.embedding import (
    EmbeddingParams,
    EmbeddingVerifier,
    Signals,
    default_artifact_path,
)

if TYPE_CHECKING:
    from litsynth.text.embedding import Embedder

SUPPORT_GRID = [round(0.30 + 0.01 * i, 2) for i in range(66)]  # 0.30 .. 0.95
CONTRADICT_GRID = [*SUPPORT_GRID, 1.01]  # 1.01 = never call a claim contradicted
DEFAULT_MAX_RECORDS = 600


def sample(records: Sequence[GoldRecord], max_records: int | None) -> list[GoldRecord]:
    """A deterministic subset: sorted by id, every n-th record when there are too many."""
    ordered = sorted((r for r in records if r.evidence), key=lambda r: r.id)
    if max_records is None or len(ordered) <= max_records:
        return ordered
    step = len(ordered) / max_records
    return [ordered[int(i * step)] for i in range(max_records)]


def _cue_score(signal: Signals) -> float:
    """Cosine of the first top sentence bearing a cue (the rule fires iff it is >= t_contradict)."""
    for score, cue in signal.top:
        if cue is not None:
            return score
    return float("-inf")


def fit(signals: Sequence[Signals], gold: Sequence[str], *, source: str) -> EmbeddingParams:
    """Thresholds by grid search on macro-F1, then the logistic calibration, from train signals."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    keep = [i for i, s in enumerate(signals) if s.best is not None]
    if len(keep) < 10:
        return EmbeddingParams(source=f"{source}: too few records ({len(keep)}), defaults")
    best = np.array([signals[i].best for i in keep], dtype=float)
    cue = np.array([_cue_score(signals[i]) for i in keep], dtype=float)
    y = [metrics.to_gold(gold[i]) for i in keep]
    scores: list[tuple[float, float, float]] = []
    for t_c in CONTRADICT_GRID:
        contra = cue >= t_c
        for t_s in SUPPORT_GRID:
            pred = np.where(
                contra, "contradicted", np.where(best >= t_s, "supported", "not_enough_info")
            )
            scores.append((metrics.macro_f1(y, pred.tolist()), t_c, t_s))
    # Ties are common (a plateau of equally good thresholds): take the middle of the plateau,
    # which generalises better than its edge.
    top_f1 = max(f for f, _, _ in scores)
    tied = [(t_c, t_s) for f, t_c, t_s in scores if f >= top_f1 - 1e-12]
    contra_ties = sorted({t_c for t_c, _ in tied})
    t_contradict = contra_ties[(len(contra_ties) - 1) // 2]
    support_ties = sorted(t_s for t_c, t_s in tied if t_c == t_contradict)
    t_support = support_ties[(len(support_ties) - 1) // 2]
    top = (top_f1, t_support, t_contradict)
    features = np.column_stack([best, (cue >= t_contradict).astype(float)])
    names = {
        "supported": "supported",
        "contradicted": "contradicted",
        "not_enough_info": "unverified",
    }
    target = [names[label] for label in y]
    model = LogisticRegression(C=10.0, max_iter=1000)
    model.fit(features, target)
    coef: list[list[float]] = []
    intercept: list[float] = []
    classes = list(model.classes_)
    for label in LABELS:
        if label in classes and len(classes) > 2:
            row = classes.index(label)
            coef.append([float(v) for v in model.coef_[row]])
            intercept.append(float(model.intercept_[row]))
        elif label in classes:  # binary fit: sklearn keeps one row for the second class
            sign = 1.0 if classes.index(label) == 1 else 0.0
            coef.append([sign * float(v) for v in model.coef_[0]])
            intercept.append(sign * float(model.intercept_[0]))
        else:  # label absent from train: never probable
            coef.append([0.0, 0.0])
            intercept.append(-30.0)
    params = EmbeddingParams(
        t_support=t_support,
        t_contradict=t_contradict,
        coef=coef,
        intercept=intercept,
        source=f"{source}: {len(keep)} records, train macro-F1 {top[0]:.3f}",
    )
    return params


def tune(
    records: Sequence[GoldRecord],
    *,
    embedder: Embedder | None = None,
    evidence_sentences: int = 2,
    max_records: int | None = DEFAULT_MAX_RECORDS,
    source: str = "train",
) -> EmbeddingParams:
    """Tuned parameters from gold TRAIN records (one batched embedding pass)."""
    chosen = sample(records, max_records)
    verifier = EmbeddingVerifier(
        EmbeddingParams(), embedder=embedder, evidence_sentences=evidence_sentences
    )
    signals = verifier.signals(gold_items(chosen))
    return fit(signals, [r.label for r in chosen], source=source)


def main(argv: Sequence[str] | None = None) -> None:
    """Tune on a dataset's train split and write the parameter JSON."""
    from litsynth.evals.datasets import load

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dataset", default="scifact")
    parser.add_argument("--max-records", type=int, default=DEFAULT_MAX_RECORDS)
    parser.add_argument("--out", type=Path, default=default_artifact_path())
    args = parser.parse_args(argv)
    records = load(args.dataset, "train")
    params = tune(records, max_records=args.max_records, source=f"{args.dataset} train")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(params.model_dump(), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {params.model_dump()}")


if __name__ == "__main__":
    main()
