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
import hashlib
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from litsynth.training.data import (
    CACHE_DIR,
    SEED,
    TRAIN_SETS,
    Example,
    build_matrix,
    calibration_mask,
    dataset_weights,
    embed_all,
    evidence_texts,
    load_examples,
)
from litsynth.training.metrics import mean_f1, scores
from litsynth.verification.calibration import ece_of_probs, fit_temperature, softmax
from litsynth.verification.combiner import CONFLICT_CUES, Combiner, design, supports_never_rise
from litsynth.verification.cross import CrossEncoder, default_cross_artifact
from litsynth.verification.features import TOP_K
from litsynth.verification.trained import TrainedVerifier, VerdictHead

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


def fit_combiner(
    cal: Sequence[Example], head: VerdictHead, x_cal: np.ndarray, c_cal: np.ndarray, head_name: str
) -> dict[str, Any]:
    """The combiner fitted on the calibration split: C by 5-fold CV (folds by claim), the
    temperature on the out-of-fold logits; a conflict cue whose weight would let it raise
    P(supported) is dropped and the rest refitted. Returns the artefact's ``combiner`` spec."""
    y_cal = np.array([e.label for e in cal])
    w = dataset_weights(cal)
    groups = [e.group for e in cal]
    cues = list(CONFLICT_CUES)
    dropped: list[str] = []
    while True:
        z_cal = design(head, x_cal, c_cal, cues, CONFLICT_CUES)
        cv = {
            c: mean_f1(scores(cal, softmax(out_of_fold(z_cal, y_cal, w, groups, c))))
            for c in C_GRID
        }
        best_c = max(cv, key=lambda c: cv[c])
        lr = _fit_lr(z_cal, y_cal, w, best_c)
        bad = supports_never_rise(lr.coef_.T, cues)
        if not bad:
            break
        dropped += bad
        cues = [c for c in cues if c not in bad]
    temperature = fit_temperature(out_of_fold(z_cal, y_cal, w, groups, best_c), y_cal)
    print(f"combiner: CV mean macro-F1 by C {cv}; C={best_c}, T={temperature:.3f}, cues {cues}")
    return {
        "inputs": [
            "head logits (supported, contradicted, unverified), conflict cues set to 0",
            "cross-encoder logits",
            *(f"cue {c}" for c in cues),
        ],
        "cues": cues,
        "neutral_cues": list(CONFLICT_CUES),
        "cues_dropped_for_raising_support": dropped,
        "head_artifact": head_name,
        "weights": lr.coef_.T.tolist(),
        "bias": lr.intercept_.tolist(),
        "temperature": temperature,
        "C": best_c,
        "calibration_cv_mean_macro_f1": cv,
        "fitted_on": f"calibration split ({len(cal)} examples), 5-fold by claim",
        "top_k": TOP_K,
    }


def leave_one_out(
    cal: Sequence[Example],
    dev: Sequence[Example],
    head: VerdictHead,
    cal_inputs: tuple[np.ndarray, np.ndarray],
    dev_inputs: tuple[np.ndarray, np.ndarray],
    head_name: str,
) -> dict[str, dict[str, float]]:
    """Per dataset: the combiner and its temperature fitted on the calibration split without
    that dataset, scored on its dev (the encoders themselves were trained with it)."""
    out: dict[str, dict[str, float]] = {}
    for name in TRAIN_SETS:
        keep = np.array([e.dataset != name for e in cal])
        mine = np.array([e.dataset == name for e in dev])
        spec = fit_combiner(
            [e for e, k in zip(cal, keep, strict=True) if k],
            head,
            cal_inputs[0][keep],
            cal_inputs[1][keep],
            head_name,
        )
        probs = Combiner.from_spec(spec).probabilities(
            head, dev_inputs[0][mine], dev_inputs[1][mine]
        )
        out[name] = scores([e for e, m in zip(dev, mine, strict=True) if m], probs)[name]
        print(f"leave out {name}: {out[name]}", flush=True)
    return out


def main(argv: Sequence[str] | None = None) -> None:
    """Fit, report and write the combiner into the cross-encoder JSON."""
    ap = argparse.ArgumentParser(description="Fit the head + cross-encoder combiner.")
    ap.add_argument("--cross", type=Path, default=None, help="cross-encoder .safetensors")
    ap.add_argument(
        "--report-only", action="store_true", help="keep the artefact's combiner, report dev"
    )
    ap.add_argument(
        "--lodo",
        action="store_true",
        help="also leave each dataset out of the combiner's calibration and report on its dev",
    )
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

    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    cache = CACHE_DIR / f"cross-logits-{digest}-{len(cal)}-{len(dev)}.npz"

    def inputs(examples: list[Example]) -> tuple[np.ndarray, np.ndarray]:
        x, orders = build_matrix(examples, vecs)
        ce = cross.logits([e.claim for e in examples], evidence_texts(examples, orders), batch=32)
        return x, ce

    if cache.is_file():
        with np.load(cache) as saved:
            c_cal, c_dev = saved["cal"], saved["dev"]
        x_cal, x_dev = build_matrix(cal, vecs)[0], build_matrix(dev, vecs)[0]
    else:
        (x_cal, c_cal), (x_dev, c_dev) = inputs(cal), inputs(dev)
        np.savez(cache, cal=c_cal, dev=c_dev)
    print(f"logits for {len(cal)} calibration / {len(dev)} dev examples", flush=True)
    y_cal, y_dev = np.array([e.label for e in cal]), np.array([e.label for e in dev])
    meta_path = path.with_suffix(".json")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if args.report_only:
        spec = meta["combiner"]
    else:
        spec = fit_combiner(cal, head, x_cal, c_cal, head_verifier.name)
    stacked = Combiner.from_spec(spec).probabilities(head, x_dev, c_dev)
    t_cross = fit_temperature(c_cal, y_cal)
    rows = {
        "head": scores(dev, head.probabilities(x_dev)),
        "cross": scores(dev, softmax(c_dev, t_cross)),
        "stacked": scores(dev, stacked),
    }
    for name, table in rows.items():
        cells = " ".join(f"{k}={v['macro_f1']:.3f}/{v['ece']:.3f}" for k, v in table.items())
        print(f"dev {name:8s} mean {mean_f1(table):.3f}  (macro-F1/ECE) {cells}")
    print(f"dev pooled ECE stacked: {ece_of_probs(stacked, y_dev):.3f}")
    meta["combiner"] = spec
    meta["metrics"]["dev_by_stage"] = rows
    if args.lodo:
        meta["metrics"]["leave_one_dataset_out"] = leave_one_out(
            cal, dev, head, (x_cal, c_cal), (x_dev, c_dev), head_verifier.name
        )
    meta["metrics"]["dev_ece_pooled_stacked"] = ece_of_probs(stacked, y_dev)
    meta_path.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote combiner into {meta_path} in {time.perf_counter() - t0:.0f}s")


if __name__ == "__main__":
    main()
