"""Tuning the embedding verifier on train signals, and the majority baseline."""

from __future__ import annotations

import pytest

from litsynth.evals.schema import GoldEvidence, GoldRecord
from litsynth.evals.tasks.baselines import majority, published
from litsynth.training.tune_embedding import fit, sample
from litsynth.verification.embedding import Signals, decide


def _rec(i: int, label: str) -> GoldRecord:
    return GoldRecord(
        dataset="t",
        id=f"{i:03d}",
        claim=f"claim {i}",
        label=label,
        evidence=[GoldEvidence(doc_id=str(i), text="x")],
        split="train",
    )


def test_fit_finds_separating_thresholds() -> None:
    # supported: high cosine, no cue; contradicted: high cosine with a cue; nei: low cosine
    signals, gold = [], []
    for i in range(20):
        signals.append(Signals(0.80 + i * 0.005, ((0.80, None),)))
        gold.append("supported")
        signals.append(Signals(0.75 + i * 0.005, ((0.75, "negation asymmetry"),)))
        gold.append("contradicted")
        signals.append(Signals(0.30 + i * 0.005, ((0.30, None),)))
        gold.append("not_enough_info")
    params = fit(signals, gold, source="synthetic")
    assert 0.40 < params.t_support <= 0.80
    assert 0.40 < params.t_contradict <= 0.75
    labels = [decide(s, params)[0] for s in signals]
    mapped = ["not_enough_info" if lab == "unverified" else lab for lab in labels]
    assert mapped == gold
    probs = params.probabilities(0.85, False)
    assert probs["supported"] > probs["unverified"]
    assert params.probabilities(0.3, False)["unverified"] > 0.5
    assert "synthetic" in params.source


def test_fit_with_too_few_records_keeps_defaults() -> None:
    params = fit([Signals(None, ())] * 3, ["supported"] * 3, source="tiny")
    assert "too few" in params.source


def test_sample_is_deterministic_and_capped() -> None:
    records = [_rec(i, "supported") for i in range(10, 0, -1)]
    chosen = sample(records, 4)
    assert [r.id for r in chosen] == ["001", "003", "006", "008"]
    assert sample(records, 4) == chosen
    assert len(sample(records, None)) == 10


def test_majority_uses_train_label() -> None:
    train = [_rec(1, "supported"), _rec(2, "supported"), _rec(3, "not_enough_info")]
    result = majority(train, ["supported", "contradicted", "not_enough_info", "supported"])
    assert result["label"] == "supported"
    assert result["accuracy"] == pytest.approx(0.5)
    # F1: supported 2/3, others 0 -> macro (2/3)/3
    assert result["macro_f1"] == pytest.approx(2 / 9)
    assert majority([], ["supported"]) == {"skipped": "no train split"}


def test_published_figures_name_their_source() -> None:
    figures = published("scifact")
    assert figures and all(f["name"] and f["setting"] for f in figures)
    assert published("unknown") == []
