"""Relevance training: question phrasing, splits, weights, metrics and the data it refuses."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from litsynth.training.relevance import (
    EVAL_PAPERS,
    Pair,
    arxiv_abstracts,
    arxiv_pairs,
    as_question,
    auc,
    in_calibration,
    source_weights,
    thresholds,
)

DEMO = Path(__file__).resolve().parents[2] / "litsynth" / "demo" / "arxiv_abstracts.jsonl"


@pytest.mark.parametrize(
    ("claim", "question"),
    [
        (
            "ALDH1 expression is associated with poorer prognosis for breast cancer.",
            "Is ALDH1 expression associated with poorer prognosis for breast cancer?",
        ),
        ("Aspirin can reduce the risk of stroke.", "Can aspirin reduce the risk of stroke?"),
        (
            "Taking vitamin D lowers fracture risk.",
            "Is it true that taking vitamin D lowers fracture risk?",
        ),
    ],
)
def test_claims_become_questions(claim: str, question: str) -> None:
    assert as_question(claim) == question


def test_calibration_split_is_deterministic_and_about_a_fifth() -> None:
    groups = [f"scifact:claim {i}" for i in range(2000)]
    share = np.mean([in_calibration(g) for g in groups])
    assert 0.17 < share < 0.23
    assert [in_calibration(g) for g in groups[:50]] == [in_calibration(g) for g in groups[:50]]


def test_auc_counts_ties_half_and_needs_both_classes() -> None:
    assert auc([0.9, 0.8, 0.1], [1, 1, 0]) == 1.0
    assert auc([0.5, 0.5], [1, 0]) == 0.5
    assert auc([0.2, 0.9, 0.4, 0.1], [1, 0, 1, 0]) == 0.5
    assert np.isnan(auc([0.3], [1]))


def test_each_source_gets_its_share_of_the_weight() -> None:
    pairs = [Pair("q", f"s{i}", i % 2, "a", "g") for i in range(30)]
    pairs += [Pair("q", f"t{i}", i % 2, "b", "g", 0.5) for i in range(10)]
    w = source_weights(pairs, {"a": 1.0, "b": 1.0})
    assert w[:30].sum() == pytest.approx(w[30:].sum(), rel=1e-5)
    assert w.mean() == pytest.approx(1.0, rel=1e-5)


def test_thresholds_follow_the_calibration_scores() -> None:
    probs = np.array([0.95, 0.9, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1])
    labels = np.array([1, 1, 1, 0, 1, 0, 0, 0])
    t = thresholds(probs, labels)
    assert t["precision_0.9"] <= 0.7 and t["recall_0.9"] <= 0.4
    assert 0.3 < t["best_f1"] <= 0.7


def test_arxiv_training_abstracts_never_include_the_evaluation_papers(shared_data: Path) -> None:
    abstracts = arxiv_abstracts(shared_data, DEMO)
    titles = " ".join(a.title for a in abstracts)
    assert len(abstracts) >= 20
    for name in ("GPTQ", "AWQ", "SpQR", "QLoRA", "LLM.int8", "k-bit Inference", "INT4"):
        assert name not in titles
    assert "4-bit Conformer" in titles and len(EVAL_PAPERS) == 8
    pairs = arxiv_pairs(abstracts)
    asr = [p for p in pairs if "speech" in p.sentence.lower() and "language models" in p.question]
    assert asr and all(p.label == 0 for p in asr)
