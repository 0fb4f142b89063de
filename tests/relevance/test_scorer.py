"""The shipped relevance scorer: small, offline, and it tells the demo's answer from a paper
that only shares its words (real model, shipped artefact, no shared data)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from safetensors import safe_open

from litsynth.errors import ConfigError
from litsynth.relevance import RelevanceScorer, make_relevance_scorer
from litsynth.relevance.scorer import artifact_path
from litsynth.settings import RelevanceSettings
from litsynth.text.sentences import split_sentences
from litsynth.verification.cross import default_cross_artifact

DEMO_QUESTION = "How does 4-bit weight quantization affect the accuracy of large language models?"
DEMO_CORPUS = Path(__file__).resolve().parents[2] / "litsynth" / "demo" / "arxiv_abstracts.jsonl"


@pytest.fixture(scope="module")
def scorer() -> RelevanceScorer:
    return make_relevance_scorer(RelevanceSettings())


def _abstract(title_start: str) -> list[str]:
    for line in DEMO_CORPUS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["title"].startswith(title_start):
            return [s.text for s in split_sentences(row["abstract"])]
    raise AssertionError(f"{title_start} not in the demo corpus")


def test_artifact_is_small_and_records_its_training() -> None:
    path = artifact_path()
    assert path.stat().st_size < 20_000_000
    meta = json.loads(path.with_suffix(".json").read_text())
    assert meta["format"] == "litsynth-relevance" and meta["version"] == "v1"
    with safe_open(str(path), framework="numpy") as f:
        keys = list(f.keys())
        assert f.get_tensor("head.weight").shape == (2, 384)
    layers = {int(k.split(".")[3]) for k in keys if k.startswith("bert.encoder.layer.")}
    assert layers == set(range(meta["frozen_layers"], 6))
    assert {"scifact", "pubmedqa", "arxiv"} <= set(meta["training"]["sources"])
    assert all("CC" in v or "MIT" in v for v in meta["training"]["sources"].values())
    assert meta["metrics"]["calibration_auc"]["mean"] > 0.5
    assert meta["metrics"]["calibration_thresholds"]["best_f1"] > 0
    assert 0.05 < meta["temperature"] < 20


def test_demo_question_keeps_gptq_and_drops_the_speech_paper(scorer: RelevanceScorer) -> None:
    settings = RelevanceSettings()
    gptq = max(scorer.score(DEMO_QUESTION, _abstract("GPTQ")))
    asr = max(scorer.score(DEMO_QUESTION, _abstract("4-bit Conformer")))
    assert gptq >= settings.keep_threshold > asr
    assert gptq > asr


def test_scores_are_probabilities_in_the_given_order(scorer: RelevanceScorer) -> None:
    sentences = _abstract("GPTQ")[:4]
    forward = scorer.score(DEMO_QUESTION, sentences)
    backward = scorer.score(DEMO_QUESTION, sentences[::-1])
    assert all(0.0 <= p <= 1.0 for p in forward)
    assert forward == pytest.approx(backward[::-1], abs=1e-5)
    assert scorer.score(DEMO_QUESTION, []) == []
    pairs = scorer.score_pairs([DEMO_QUESTION, "What is GPTQ?"], sentences[:2])
    assert pairs[0] == pytest.approx(forward[0], abs=1e-5)


def test_onnx_and_torch_give_the_same_numbers(scorer: RelevanceScorer) -> None:
    sentences = _abstract("4-bit Conformer")
    eager = RelevanceScorer.load(runtime="torch")
    assert eager.runtime_note == "torch"
    assert scorer.score(DEMO_QUESTION, sentences) == pytest.approx(
        eager.score(DEMO_QUESTION, sentences), abs=1e-4
    )


def test_a_foreign_or_missing_artifact_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a litsynth-relevance file"):
        RelevanceScorer.load(default_cross_artifact(), runtime="torch")
    with pytest.raises(ConfigError, match="relevance artefact not found"):
        RelevanceScorer.load(tmp_path / "nothing.safetensors", runtime="torch")
