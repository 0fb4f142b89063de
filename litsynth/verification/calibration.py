"""Turning scores into probabilities that mean what they say: temperature scaling and ECE.

Temperature scaling (Guo et al., 2017) divides the logits by one number ``T`` fitted to minimise
the negative log-likelihood on a calibration split that is not the reported split. Expected
calibration error (ECE) bins predictions by confidence (10 equal-width bins) and averages
``|accuracy - mean confidence|`` weighted by bin size.
"""

from __future__ import annotations

import numpy as np

N_BINS = 10


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Row-wise softmax of ``logits / temperature``."""
    z = np.asarray(logits, dtype=np.float64) / temperature
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=-1, keepdims=True))


def nll(logits: np.ndarray, labels: np.ndarray, temperature: float = 1.0) -> float:
    """Mean negative log-likelihood of integer ``labels`` under softmax(logits / T)."""
    probs = softmax(logits, temperature)
    picked = probs[np.arange(len(labels)), labels]
    return float(-np.mean(np.log(np.clip(picked, 1e-12, None))))


def fit_temperature(
    logits: np.ndarray, labels: np.ndarray, *, low: float = 0.05, high: float = 20.0
) -> float:
    """The temperature minimising NLL, by golden-section search on log T (NLL is unimodal in T)."""
    if len(labels) == 0:
        return 1.0
    a, b = np.log(low), np.log(high)
    ratio = (np.sqrt(5.0) - 1.0) / 2.0
    c, d = b - ratio * (b - a), a + ratio * (b - a)
    fc, fd = nll(logits, labels, np.exp(c)), nll(logits, labels, np.exp(d))
    for _ in range(80):
        if fc < fd:
            b, d, fd = d, c, fc
            c = b - ratio * (b - a)
            fc = nll(logits, labels, np.exp(c))
        else:
            a, c, fc = c, d, fd
            d = a + ratio * (b - a)
            fd = nll(logits, labels, np.exp(d))
    return float(np.exp((a + b) / 2.0))


def expected_calibration_error(
    confidences: np.ndarray, correct: np.ndarray, n_bins: int = N_BINS
) -> float:
    """ECE of top-label ``confidences`` against 0/1 ``correct`` with equal-width bins on [0, 1].

    Bin ``i`` holds confidences in ``(i/n, (i+1)/n]`` (the first bin also holds 0).
    """
    conf = np.asarray(confidences, dtype=np.float64)
    hit = np.asarray(correct, dtype=np.float64)
    if conf.size == 0:
        return 0.0
    bins = np.clip(np.ceil(conf * n_bins).astype(int) - 1, 0, n_bins - 1)
    total = 0.0
    for i in range(n_bins):
        mask = bins == i
        if mask.any():
            total += mask.sum() / conf.size * abs(hit[mask].mean() - conf[mask].mean())
    return float(total)


def ece_of_probs(probs: np.ndarray, labels: np.ndarray, n_bins: int = N_BINS) -> float:
    """ECE of the arg-max label of each probability row against integer ``labels``."""
    pred = probs.argmax(axis=1)
    return expected_calibration_error(probs.max(axis=1), pred == labels, n_bins)
