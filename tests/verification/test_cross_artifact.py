"""The shipped cross-encoder artefact: small, versioned, loads offline on top of the pip-shipped
MiniLM, and its verdicts react to negation and to a changed number (real model, no network)."""

from __future__ import annotations

import json

import pytest
from safetensors import safe_open

from litsynth.settings import VerifierSettings
from litsynth.tests.verification.test_trained_artifact import FLIP_CASES, check_flip
from litsynth.verification import make_verifier
from litsynth.verification.base import Verifier
from litsynth.verification.cross import ARTIFACT_STEM, default_cross_artifact
from litsynth.verification.cross_verifier import CrossEncoderVerifier


@pytest.fixture(scope="module")
def verifier() -> CrossEncoderVerifier:
    return CrossEncoderVerifier.load()


def test_artifact_is_small_versioned_and_holds_only_the_tuned_layers() -> None:
    path = default_cross_artifact()
    assert path.stat().st_size < 20_000_000
    meta = json.loads(path.with_suffix(".json").read_text())
    assert meta["version"] == ARTIFACT_STEM.split("-")[-1]
    assert meta["format"] == "litsynth-cross-encoder"
    frozen = meta["frozen_layers"]
    with safe_open(str(path), framework="numpy") as f:
        keys = list(f.keys())
    assert {"head.weight", "head.bias"} <= set(keys)
    layers = {int(k.split(".")[3]) for k in keys if k.startswith("bert.encoder.layer.")}
    assert layers == set(range(frozen, 6))
    assert meta["training"]["file_sha256"] and 0.05 < meta["temperature"] < 20


def test_artifact_records_its_training_sources_and_licences() -> None:
    meta = json.loads(default_cross_artifact().with_suffix(".json").read_text())
    if meta["version"] == "v1":  # v1 predates source records: it names its six task sets only
        assert len(meta["training"]["datasets"]) == 6
        return
    sources = meta["training"]["sources"]
    assert set(sources["task"]) == set(meta["training"]["datasets"])
    assert all(s["licence"] for s in [*sources["task"].values(), *sources["entailment"].values()])
    assert meta["training"]["commercial_use"] == ("anli" not in sources["entailment"])


def test_loads_offline_and_is_a_verifier(verifier: CrossEncoderVerifier) -> None:
    assert isinstance(verifier, Verifier)
    assert verifier.name == f"minilm-cross-encoder+head/{ARTIFACT_STEM.split('-')[-1]}"
    made = make_verifier(VerifierSettings(kind="cross", evidence_sentences=1))
    assert isinstance(made, CrossEncoderVerifier) and made.evidence_sentences == 1


@pytest.mark.parametrize(("claim", "flipped", "source", "reason"), FLIP_CASES)
def test_negation_and_number_mismatch_flip_the_verdict(
    verifier: CrossEncoderVerifier, claim: str, flipped: str, source: str, reason: str
) -> None:
    _, changed = check_flip(verifier, claim, flipped, source, reason)
    assert abs(sum(changed.probabilities.values()) - 1.0) < 1e-6


def test_combiner_fitted_with_another_head_is_refused(tmp_path) -> None:
    import shutil

    from litsynth.errors import ConfigError

    src = default_cross_artifact()
    dst = tmp_path / src.name
    shutil.copy(src, dst)
    meta = json.loads(src.with_suffix(".json").read_text())
    meta["combiner"]["head_artifact"] = "trained-minilm-head/v0"
    dst.with_suffix(".json").write_text(json.dumps(meta))
    with pytest.raises(ConfigError, match="fitted with trained-minilm-head/v0"):
        CrossEncoderVerifier.load(dst)
