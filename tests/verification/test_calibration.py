"""Temperature scaling and expected calibration error on hand-made cases."""

from __future__ import annotations

import numpy as np
import pytest

from litsynth.verification.calibration import (
    ece_of_probs,
    expected_calibration_error,
    fit_temperature,
    nll,
    softmax,
)


def test_ece_matches_hand_computation() -> None:
    # Bin (0.8, 0.9]: confidences 0.85, 0.85, 0.85, 0.85 with 2 of 4 correct -> |0.5 - 0.85| = 0.35
    # Bin (0.5, 0.6]: confidences 0.55, 0.55 with 1 of 2 correct -> |0.5 - 0.55| = 0.05
    conf = np.array([0.85, 0.85, 0.85, 0.85, 0.55, 0.55])
    correct = np.array([1, 1, 0, 0, 1, 0])
    expected = 4 / 6 * 0.35 + 2 / 6 * 0.05
    assert expected_calibration_error(conf, correct) == pytest.approx(expected)


def test_ece_bin_edges_and_perfect_calibration() -> None:
    # 1.0 falls in the last bin, 0.0 in the first; a right-edge value stays in its bin.
    assert expected_calibration_error(np.array([1.0, 1.0]), np.array([1, 1])) == 0.0
    assert expected_calibration_error(np.array([0.2, 0.2]), np.array([0, 0])) == pytest.approx(0.2)
    assert expected_calibration_error(np.array([]), np.array([])) == 0.0


def _overconfident(n: int = 3000) -> tuple[np.ndarray, np.ndarray]:
    """Logits whose softmax says ~97 % while only ~70 % of arg-max labels are right."""
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 3, size=n)
    pred = np.where(rng.random(n) < 0.7, labels, (labels + rng.integers(1, 3, size=n)) % 3)
    logits = rng.normal(0.0, 0.3, size=(n, 3))
    logits[np.arange(n), pred] += 4.0
    return logits, labels


def test_temperature_fit_reduces_ece_on_overconfident_set() -> None:
    logits, labels = _overconfident()
    before = ece_of_probs(softmax(logits), labels)
    t = fit_temperature(logits, labels)
    after = ece_of_probs(softmax(logits, t), labels)
    assert before > 0.2
    assert t > 1.5  # over-confident logits need softening
    assert after < 0.05 < before
    assert nll(logits, labels, t) < nll(logits, labels, 1.0)


def test_temperature_leaves_calibrated_logits_near_one() -> None:
    rng = np.random.default_rng(1)
    logits = rng.normal(0.0, 2.0, size=(4000, 3))
    probs = softmax(logits)
    labels = np.array([rng.choice(3, p=p) for p in probs])
    assert fit_temperature(logits, labels) == pytest.approx(1.0, abs=0.15)


def test_softmax_rows_sum_to_one() -> None:
    p = softmax(np.array([[1000.0, 0.0, -1000.0], [0.0, 0.0, 0.0]]))
    assert np.allclose(p.sum(axis=1), 1.0)
    assert p[1] == pytest.approx([1 / 3] * 3)
