"""Fit the combiner of the verdict head and the cross-encoder: ``python -m
litsynth.training.stack [--cross PATH]``.

Both models were trained on the 80 % fit part of train, so their logits on the 20 %
calibration part are out-of-sample. A multinomial logistic regression over the six logits
(head, cross-encoder) is chosen and fitted there by 5-fold cross-validation (each dataset the
same total weight), its temperature fitted on the out-of-fold logits. Dev is reported for the
head, the cross-encoder and the combination, never used for a choice. The combiner (21 numbers)
is written into the cross-encoder's JSON, which the cross verifier then applies.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from litsynth.training.cross import pairs
from litsynth.training.data import (
    SEED,
    Example,
    build_matrix,
    calibration_mask,
    dataset_weights,
    embed_all,
    load_examples,
)
from litsynth.training.metrics import mean_f1, scores
from litsynth.verification.calibration import ece_of_probs, fit_temperature, softmax
from litsynth.verification.cross import CrossEncoder, default_cross_artifact
from litsynth.verification.features import TOP_K
from litsynth.verification.trained import TrainedVerifier

C_GRID = (0.01, 0.1, 1.0, 10.0)


def _fit_lr(z: np.ndarray, y: np.ndarray, w: np.ndarray, c: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=2000, random_state=SEED).fit(z, y, sample_weight=w)


def out_of_fold(
    z: np.ndarray, y: np.ndarray, w: np.ndarray, groups: Sequence[str], c: float
) -> np.ndarray:
    """Decision values of 5-fold cross-validation (folds by claim, so a claim never straddles)."""
    from sklearn.model_selection import GroupKFold

    out = np.zeros((len(y), 3))
    for tr, te in GroupKFold(n_splits=5).split(z, y, groups):
        out[te] = _fit_lr(z[tr], y[tr], w[tr], c).decision_function(z[te])
    return out


def main(argv: Sequence[str] | None = None) -> None:
    """Fit, report and write the combiner into the cross-encoder JSON."""
    ap = argparse.ArgumentParser(description="Fit the head + cross-encoder combiner.")
    ap.add_argument("--cross", type=Path, default=None, help="cross-encoder .safetensors")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    path = args.cross or default_cross_artifact()
    cross = CrossEncoder.load(path)
    head_verifier = TrainedVerifier.load()
    head = head_verifier.head
    train, dev = load_examples("train"), load_examples("dev")
    calib = calibration_mask(train)
    cal = [ex for ex, c in zip(train, calib, strict=True) if c]
    vecs = embed_all([t for ex in [*cal, *dev] for t in [ex.claim, *ex.sentences]])

    def logits(examples: list[Example]) -> tuple[np.ndarray, np.ndarray]:
        x, orders = build_matrix(examples, vecs)
        ce = cross.logits([e.claim for e in examples], pairs(examples, orders), batch=32)
        return head.logits(x), ce

    (h_cal, c_cal), (h_dev, c_dev) = logits(cal), logits(dev)
    print(f"logits for {len(cal)} calibration / {len(dev)} dev examples", flush=True)
    y_cal, y_dev = np.array([e.label for e in cal]), np.array([e.label for e in dev])
    w = dataset_weights(cal)
    groups = [e.group for e in cal]
    z_cal, z_dev = np.hstack([h_cal, c_cal]), np.hstack([h_dev, c_dev])
    cv = {c: mean_f1(scores(cal, softmax(out_of_fold(z_cal, y_cal, w, groups, c)))) for c in C_GRID}
    best_c = max(cv, key=lambda c: cv[c])
    temperature = fit_temperature(out_of_fold(z_cal, y_cal, w, groups, best_c), y_cal)
    lr = _fit_lr(z_cal, y_cal, w, best_c)
    stacked = softmax(lr.decision_function(z_dev), temperature)
    t_cross = fit_temperature(c_cal, y_cal)
    rows = {
        "head": scores(dev, softmax(h_dev, head.temperature)),
        "cross": scores(dev, softmax(c_dev, t_cross)),
        "stacked": scores(dev, stacked),
    }
    print(f"calibration CV mean macro-F1 by C: {cv}; chosen C={best_c}, T={temperature:.3f}")
    for name, table in rows.items():
        cells = " ".join(f"{k}={v['macro_f1']:.3f}/{v['ece']:.3f}" for k, v in table.items())
        print(f"dev {name:8s} mean {mean_f1(table):.3f}  (macro-F1/ECE) {cells}")
    print(f"dev pooled ECE stacked: {ece_of_probs(stacked, y_dev):.3f}")
    meta_path = path.with_suffix(".json")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["combiner"] = {
        "inputs": ["head logits (supported, contradicted, unverified)", "cross-encoder logits"],
        "head_artifact": head_verifier.name,
        "weights": lr.coef_.T.tolist(),
        "bias": lr.intercept_.tolist(),
        "temperature": temperature,
        "C": best_c,
        "calibration_cv_mean_macro_f1": cv,
        "fitted_on": f"calibration split ({len(cal)} examples), 5-fold by claim",
        "top_k": TOP_K,
    }
    meta["metrics"]["dev_by_stage"] = rows
    meta["metrics"]["dev_ece_pooled_stacked"] = ece_of_probs(stacked, y_dev)
    meta_path.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote combiner into {meta_path} in {time.perf_counter() - t0:.0f}s")


if __name__ == "__main__":
    main()
