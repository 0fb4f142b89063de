"""Evaluation metrics over the three gold labels; every value is a fraction in [0, 1].

Verdict ``unverified`` counts as gold ``not_enough_info``. Plots import matplotlib lazily.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from litsynth.evals.schema import GoldLabel

GOLD_LABELS: tuple[GoldLabel, ...] = ("supported", "contradicted", "not_enough_info")
_VERDICT_TO_GOLD: dict[str, GoldLabel] = {
    "supported": "supported",
    "contradicted": "contradicted",
    "unverified": "not_enough_info",
    "not_enough_info": "not_enough_info",
}


def to_gold(label: str) -> GoldLabel:
    """Map a verdict label (or a gold label) to one of the three gold labels."""
    try:
        return _VERDICT_TO_GOLD[label]
    except KeyError:
        raise ValueError(f"unknown label {label!r}") from None


def _pairs(gold: Sequence[str], pred: Sequence[str]) -> list[tuple[GoldLabel, GoldLabel]]:
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold labels but {len(pred)} predictions")
    return [(to_gold(g), to_gold(p)) for g, p in zip(gold, pred, strict=True)]


def accuracy(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Fraction of predictions equal to gold (0 for no items)."""
    pairs = _pairs(gold, pred)
    return sum(g == p for g, p in pairs) / len(pairs) if pairs else 0.0


def confusion(gold: Sequence[str], pred: Sequence[str]) -> dict[str, dict[str, int]]:
    """Counts ``matrix[gold][pred]`` over the three labels (all cells present)."""
    matrix: dict[str, dict[str, int]] = {g: dict.fromkeys(GOLD_LABELS, 0) for g in GOLD_LABELS}
    for g, p in _pairs(gold, pred):
        matrix[g][p] += 1
    return matrix


def precision_recall_f1(
    gold: Sequence[str], pred: Sequence[str], label: GoldLabel
) -> tuple[float, float, float]:
    """Precision, recall and F1 of one label (0 where undefined)."""
    pairs = _pairs(gold, pred)
    tp = sum(g == label and p == label for g, p in pairs)
    predicted = sum(p == label for _, p in pairs)
    actual = sum(g == label for g, _ in pairs)
    precision = tp / predicted if predicted else 0.0
    recall = tp / actual if actual else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def per_label(gold: Sequence[str], pred: Sequence[str]) -> dict[str, dict[str, float]]:
    """Precision, recall, F1 and gold support of each label."""
    out: dict[str, dict[str, float]] = {}
    gold_mapped = [to_gold(g) for g in gold]
    for label in GOLD_LABELS:
        p, r, f = precision_recall_f1(gold, pred, label)
        out[label] = {
            "precision": p,
            "recall": r,
            "f1": f,
            "support": float(gold_mapped.count(label)),
        }
    return out


def macro_f1(
    gold: Sequence[str], pred: Sequence[str], labels: Sequence[GoldLabel] = GOLD_LABELS
) -> float:
    """Unweighted mean of the per-label F1 over ``labels`` (default: all three)."""
    if not labels:
        return 0.0
    return sum(precision_recall_f1(gold, pred, label)[2] for label in labels) / len(labels)


def precision_supported(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Claim precision: of the claims called supported, the fraction that truly are."""
    return precision_recall_f1(gold, pred, "supported")[0]


def calibration_bins(
    confidence: Sequence[float], correct: Sequence[bool], n_bins: int = 10
) -> list[dict[str, float]]:
    """Equal-width confidence bins: lower/upper edge, count, mean confidence, accuracy.

    A confidence of exactly 1.0 falls in the last bin; bins with no item have count 0.
    """
    if len(confidence) != len(correct):
        raise ValueError(f"{len(confidence)} confidences but {len(correct)} outcomes")
    sums = [[0, 0.0, 0.0] for _ in range(n_bins)]
    for c, ok in zip(confidence, correct, strict=True):
        if not 0.0 <= c <= 1.0:
            raise ValueError(f"confidence {c} is outside [0, 1]")
        b = min(int(c * n_bins), n_bins - 1)
        sums[b][0] += 1
        sums[b][1] += c
        sums[b][2] += float(ok)
    return [
        {
            "lower": i / n_bins,
            "upper": (i + 1) / n_bins,
            "count": float(n),
            "confidence": conf / n if n else 0.0,
            "accuracy": acc / n if n else 0.0,
        }
        for i, (n, conf, acc) in enumerate(sums)
    ]


def expected_calibration_error(
    confidence: Sequence[float], correct: Sequence[bool], n_bins: int = 10
) -> float:
    """ECE: count-weighted mean |accuracy - confidence| over equal-width bins.

    ``confidence`` is the confidence of the predicted label, ``correct`` whether it was right.
    """
    bins = calibration_bins(confidence, correct, n_bins)
    total = sum(b["count"] for b in bins)
    if not total:
        return 0.0
    return sum(b["count"] * abs(b["accuracy"] - b["confidence"]) for b in bins) / total


def ece_sampling_floor(
    confidence: Sequence[float], n_bins: int = 10, draws: int = 200, seed: int = 0
) -> float:
    """The ECE a perfectly calibrated judge would still show with these confidences at this n.

    Outcomes are drawn as Bernoulli(confidence) ``draws`` times (fixed seed) and the ECEs
    averaged. Binned ECE is biased upwards on small sets, so a measured ECE is read against
    this floor: a target below it cannot be shown at this n.
    """
    import random

    if not confidence:
        return 0.0
    rng = random.Random(seed)
    conf = list(confidence)
    total = 0.0
    for _ in range(draws):
        outcomes = [rng.random() < c for c in conf]
        total += expected_calibration_error(conf, outcomes, n_bins)
    return total / draws


def recall_at_k(
    gold_docs: Sequence[Iterable[str]], ranked: Sequence[Sequence[str]], k: int
) -> float:
    """Mean over claims of the fraction of gold documents among the top ``k`` retrieved.

    Claims without gold documents are left out; 0 when no claim has any.
    """
    if len(gold_docs) != len(ranked):
        raise ValueError(f"{len(gold_docs)} gold sets but {len(ranked)} rankings")
    if k < 1:
        raise ValueError("k must be at least 1")
    scores: list[float] = []
    for gold, docs in zip(gold_docs, ranked, strict=True):
        wanted = set(gold)
        if not wanted:
            continue
        top: list[str] = []
        for doc in docs:  # distinct documents, in rank order
            if doc not in top:
                top.append(doc)
            if len(top) == k:
                break
        scores.append(len(wanted & set(top)) / len(wanted))
    return sum(scores) / len(scores) if scores else 0.0


def reliability_diagram(
    confidence: Sequence[float],
    correct: Sequence[bool],
    path: Path,
    *,
    title: str = "Reliability diagram",
    n_bins: int = 10,
) -> Path:
    """Write a reliability diagram PNG (accuracy per confidence bin vs the diagonal)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    bins = calibration_bins(confidence, correct, n_bins)
    ece = expected_calibration_error(confidence, correct, n_bins)
    width = 1.0 / n_bins
    fig, (ax, ax_hist) = plt.subplots(
        2, 1, figsize=(5.5, 6.5), gridspec_kw={"height_ratios": [3, 1]}, sharex=True
    )
    try:
        centers = [b["lower"] + width / 2 for b in bins]
        filled = [b for b in bins if b["count"]]
        ax.bar(
            [b["lower"] + width / 2 for b in filled],
            [b["accuracy"] for b in filled],
            width=width * 0.9,
            color="#4C72B0",
            edgecolor="black",
            label="accuracy in bin",
        )
        ax.bar(
            [b["lower"] + width / 2 for b in filled],
            [abs(b["confidence"] - b["accuracy"]) for b in filled],
            bottom=[min(b["accuracy"], b["confidence"]) for b in filled],
            width=width * 0.9,
            fill=False,
            hatch="//",
            edgecolor="#C44E52",
            label="gap to mean confidence",
        )
        ax.plot([0, 1], [0, 1], "k--", linewidth=1, label="perfect calibration")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_ylabel("accuracy")
        ax.set_title(f"{title}\nECE = {ece:.3f} (n = {len(confidence)}, {n_bins} bins)")
        ax.legend(loc="upper left", fontsize=8)
        ax_hist.bar(centers, [b["count"] for b in bins], width=width * 0.9, color="grey")
        ax_hist.set_xlabel("confidence of the predicted label")
        ax_hist.set_ylabel("count")
        fig.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=110)
    finally:
        plt.close(fig)
    return path
