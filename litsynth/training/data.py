"""Training data shared by the verifier's trainers: gold records reduced to examples, the
frozen-MiniLM embedding cache, the feature matrix, the calibration split and dataset weights."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from litsynth.evals.datasets import DATASETS, load, shared_data_dir
from litsynth.evals.schema import GoldRecord
from litsynth.schema import EvidencePassage
from litsynth.verification.cross import evidence_text
from litsynth.verification.features import TOP_K, featurize, prefilter
from litsynth.verification.sentences import passage_sentences, presplit_sentences

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
CALIB_SALT = "litsynth-calib-v1"
CALIB_FRACTION = 0.2
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
    from litsynth.text.onnx_runner import onnx_sentence_embedder

    embedder, note = onnx_sentence_embedder("onnx")  # PyTorch's numbers to 1e-5, less CPU

    path = CACHE_DIR / "minilm-cache.npz"
    known: dict[str, np.ndarray] = {}
    if path.is_file():
        with np.load(path, allow_pickle=False) as data:
            known = dict(zip(data["texts"].tolist(), data["vectors"], strict=True))
    todo = list(dict.fromkeys(t for t in texts if t not in known))
    print(f"embedding cache: {len(known)} known, {len(todo)} to embed ({note})", flush=True)
    t0 = time.perf_counter()
    for start in range(0, len(todo), 512):
        if deadline is not None and time.time() > deadline:
            print("embedding deadline reached", flush=True)
            break
        chunk = todo[start : start + 512]
        known.update(zip(chunk, embedder.encode(chunk), strict=True))
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


def in_calibration(group: str) -> bool:
    """True when ``group`` (dataset:claim) falls in the calibration split: 20 % of train by
    ``sha256('litsynth-calib-v1:<group>')``."""
    digest = hashlib.sha256(f"{CALIB_SALT}:{group}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < CALIB_FRACTION


def calibration_mask(examples: Sequence[Example]) -> np.ndarray:
    """True for examples in the calibration split (see :func:`in_calibration`)."""
    return np.array([in_calibration(ex.group) for ex in examples])


def dataset_weights(examples: Sequence[Example]) -> np.ndarray:
    """Sample weights giving each dataset the same total weight (mean weight 1)."""
    names = [ex.dataset for ex in examples]
    counts = {n: names.count(n) for n in set(names)}
    w = np.array([1.0 / counts[n] for n in names])
    return w * len(w) / w.sum()


def file_hashes() -> dict[str, str]:
    """sha256 of every training file used (default locations)."""
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


def evidence_texts(examples: Sequence[Example], orders: Sequence[np.ndarray]) -> list[str]:
    """The evidence text the model reads for each example."""
    return [evidence_text(ex.sentences, o, TOP_K) for ex, o in zip(examples, orders, strict=True)]
