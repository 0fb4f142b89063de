"""Scores the trainers report: per-dataset macro-F1/ECE, baselines and selection recall."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from litsynth.training.data import TRAIN_SETS, Example
from litsynth.verification.calibration import ece_of_probs
from litsynth.verification.features import TOP_K


def scores(examples: Sequence[Example], probs: np.ndarray) -> dict[str, dict[str, float]]:
    """Per dataset: macro-F1 (over its gold labels), accuracy, precision(supported), ECE, n."""
    from sklearn.metrics import f1_score, precision_score

    out: dict[str, dict[str, float]] = {}
    y = np.array([ex.label for ex in examples])
    names = np.array([ex.dataset for ex in examples])
    pred = probs.argmax(axis=1)
    for name in TRAIN_SETS:
        m = names == name
        if not m.any():
            continue
        labels = sorted(set(y[m].tolist()))
        out[name] = {
            "macro_f1": float(f1_score(y[m], pred[m], labels=labels, average="macro")),
            "accuracy": float((y[m] == pred[m]).mean()),
            "precision_supported": float(
                precision_score(y[m], pred[m], labels=[0], average="macro", zero_division=0)
            ),
            "ece": ece_of_probs(probs[m], y[m]),
            "n": int(m.sum()),
        }
    return out


def baselines(
    fit: Sequence[Example], dev: Sequence[Example], top1_fit: np.ndarray, top1_dev: np.ndarray
) -> dict[str, dict[str, float]]:
    """Majority class and an embedding-threshold rule (top-1 cosine >= t -> supported, else the
    dataset's commonest other label), both fitted per dataset on the train fit part."""
    from sklearn.metrics import f1_score

    out: dict[str, dict[str, float]] = {}
    yf, yd = np.array([e.label for e in fit]), np.array([e.label for e in dev])
    nf, nd = np.array([e.dataset for e in fit]), np.array([e.dataset for e in dev])
    for name in TRAIN_SETS:
        mf, md = nf == name, nd == name
        labels = sorted(set(yd[md].tolist()))
        counts = np.bincount(yf[mf], minlength=3)
        majority = int(counts.argmax())
        other = int(np.argmax(np.where(np.arange(3) == 0, -1, counts)))

        def macro(pred: np.ndarray, gold: np.ndarray, labs: list[int]) -> float:
            return float(f1_score(gold, pred, labels=labs, average="macro", zero_division=0))

        grid = np.quantile(top1_fit[mf], np.linspace(0.02, 0.98, 49))
        best_t = max(
            grid,
            key=lambda t: macro(
                np.where(top1_fit[mf] >= t, 0, other), yf[mf], sorted(set(yf[mf].tolist()))
            ),
        )
        out[name] = {
            "majority_macro_f1": macro(np.full(md.sum(), majority), yd[md], labels),
            "majority_accuracy": float((yd[md] == majority).mean()),
            "embedding_threshold_macro_f1": macro(
                np.where(top1_dev[md] >= best_t, 0, other), yd[md], labels
            ),
            "embedding_threshold": float(best_t),
        }
    return out


def selection_recall(examples: Sequence[Example], orders: Sequence[np.ndarray]) -> dict[str, Any]:
    """Evidence selection on its own: share of records whose gold rationale meets the top-k."""
    out: dict[str, Any] = {}
    for name in TRAIN_SETS:
        rows = [
            (ex, o)
            for ex, o in zip(examples, orders, strict=True)
            if ex.dataset == name and ex.rationale and len(ex.sentences) > TOP_K
        ]
        if rows:
            out[name] = {
                f"recall@{k}": float(
                    np.mean([bool(set(ex.rationale) & set(o[:k].tolist())) for ex, o in rows])
                )
                for k in (1, TOP_K)
            } | {"n": len(rows)}
    return out


def mean_f1(table: dict[str, dict[str, float]]) -> float:
    return float(np.mean([v["macro_f1"] for v in table.values()]))
