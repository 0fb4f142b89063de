"""Metrics on small cases worked out by hand."""

from __future__ import annotations

import pytest

from litsynth.evals import metrics as m

# gold vs prediction, worked out by hand:
#   (S,S) ok  (S,C)  (C,C) ok  (N,N via 'unverified') ok  (N,S)  (S,N)
GOLD = ["supported", "supported", "contradicted", "not_enough_info", "not_enough_info", "supported"]
PRED = ["supported", "contradicted", "contradicted", "unverified", "supported", "unverified"]


def test_accuracy() -> None:
    assert m.accuracy(GOLD, PRED) == pytest.approx(3 / 6)
    assert m.accuracy([], []) == 0.0


def test_per_label_precision_recall_f1() -> None:
    # supported: tp 1, predicted 2, gold 3 -> P 1/2, R 1/3, F1 0.4
    assert m.precision_recall_f1(GOLD, PRED, "supported") == pytest.approx((0.5, 1 / 3, 0.4))
    # contradicted: tp 1, predicted 2, gold 1 -> P 1/2, R 1, F1 2/3
    assert m.precision_recall_f1(GOLD, PRED, "contradicted") == pytest.approx((0.5, 1.0, 2 / 3))
    # nei: tp 1, predicted 2, gold 2 -> 1/2 each
    assert m.precision_recall_f1(GOLD, PRED, "not_enough_info") == pytest.approx((0.5, 0.5, 0.5))
    table = m.per_label(GOLD, PRED)
    assert table["supported"]["support"] == 3.0


def test_macro_f1_and_claim_precision() -> None:
    assert m.macro_f1(GOLD, PRED) == pytest.approx((0.4 + 2 / 3 + 0.5) / 3)
    assert m.macro_f1(GOLD, PRED, labels=("supported", "contradicted")) == pytest.approx(
        (0.4 + 2 / 3) / 2
    )
    assert m.precision_supported(GOLD, PRED) == pytest.approx(0.5)
    # nothing predicted supported: precision is 0, not a division error
    assert m.precision_supported(["supported"], ["unverified"]) == 0.0


def test_confusion_matrix() -> None:
    matrix = m.confusion(GOLD, PRED)
    assert matrix["supported"] == {"supported": 1, "contradicted": 1, "not_enough_info": 1}
    assert matrix["contradicted"] == {"supported": 0, "contradicted": 1, "not_enough_info": 0}
    assert matrix["not_enough_info"] == {"supported": 1, "contradicted": 0, "not_enough_info": 1}
    assert sum(sum(row.values()) for row in matrix.values()) == len(GOLD)


def test_label_mapping_and_length_errors() -> None:
    assert m.to_gold("unverified") == "not_enough_info"
    with pytest.raises(ValueError):
        m.to_gold("maybe")
    with pytest.raises(ValueError):
        m.accuracy(["supported"], [])


def test_expected_calibration_error_by_hand() -> None:
    conf = [0.95, 0.85, 0.15, 0.55, 1.0]
    correct = [True, False, True, True, False]
    # bin 9: {0.95 ok, 1.0 wrong} conf .975 acc .5 -> 2 * .475 = .95
    # bin 8: {.85 wrong} -> .85; bin 1: {.15 ok} -> .85; bin 5: {.55 ok} -> .45
    assert m.expected_calibration_error(conf, correct) == pytest.approx(
        (0.95 + 0.85 + 0.85 + 0.45) / 5
    )
    bins = m.calibration_bins(conf, correct)
    assert len(bins) == 10
    assert bins[9]["count"] == 2 and bins[9]["accuracy"] == pytest.approx(0.5)
    assert bins[0]["count"] == 0


def test_ece_perfect_and_edge_cases() -> None:
    assert m.expected_calibration_error([1.0, 1.0], [True, True]) == 0.0
    assert m.expected_calibration_error([], []) == 0.0
    with pytest.raises(ValueError):
        m.expected_calibration_error([1.2], [True])


def test_ece_sampling_floor_by_hand() -> None:
    # Certain predictions are always right: no sampling error.
    assert m.ece_sampling_floor([1.0, 1.0, 1.0]) == 0.0
    # One 0.5 prediction is right or wrong, |1 - 0.5| = |0 - 0.5|: the floor is exactly 0.5.
    assert m.ece_sampling_floor([0.5]) == pytest.approx(0.5)
    # The floor shrinks as n grows and is reproducible (fixed seed).
    small, large = m.ece_sampling_floor([0.7] * 20), m.ece_sampling_floor([0.7] * 2000)
    assert large < small and small == m.ece_sampling_floor([0.7] * 20)
    assert m.ece_sampling_floor([]) == 0.0


def test_recall_at_k_by_hand() -> None:
    gold = [{"a", "b"}, {"c"}, set()]
    ranked = [["a", "x", "a", "b"], ["x", "y", "c"], ["z"]]
    # k=2: claim 1 top distinct [a, x] -> 1/2; claim 2 [x, y] -> 0; claim 3 has no gold: skipped
    assert m.recall_at_k(gold, ranked, 2) == pytest.approx(0.25)
    # k=3: [a, x, b] -> 1; [x, y, c] -> 1
    assert m.recall_at_k(gold, ranked, 3) == pytest.approx(1.0)
    assert m.recall_at_k([set()], [["a"]], 3) == 0.0
    with pytest.raises(ValueError):
        m.recall_at_k(gold, ranked, 0)


def test_reliability_diagram_writes_png(tmp_path) -> None:
    out = m.reliability_diagram(
        [0.9, 0.2, 0.65, 0.65], [True, False, True, False], tmp_path / "r.png"
    )
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.stat().st_size > 5000
