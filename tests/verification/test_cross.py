"""Cross-encoder judge: evidence text, artefact checks, and the verdict pipeline around a stub
model (the shipped artefact itself is tested in test_cross_artifact.py)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from litsynth.errors import ConfigError
from litsynth.schema import EvidencePassage
from litsynth.tests.verification.test_trained import HashedWords
from litsynth.verification.base import Verifier
from litsynth.verification.cross import CrossEncoder, evidence_text
from litsynth.verification.cross_verifier import CrossEncoderVerifier


def test_evidence_text_takes_top_k_in_document_order() -> None:
    sentences = ["A one.", "B two.", "C three.", "D four."]
    assert evidence_text(sentences, np.array([3, 0, 2, 1]), 3) == "A one. C three. D four."
    assert evidence_text(sentences, [1], 3) == "B two."
    assert evidence_text([], [], 3) == ""


def test_missing_or_foreign_artifact_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        CrossEncoder.load(tmp_path / "absent.safetensors")
    from safetensors.numpy import save_file

    path = tmp_path / "x.safetensors"
    save_file({"head.weight": np.zeros((3, 4), np.float32)}, str(path))
    path.with_suffix(".json").write_text(json.dumps({"format": "something-else"}))
    with pytest.raises(ConfigError, match="is not a litsynth-cross-encoder file"):
        CrossEncoder.load(path)
    path.write_bytes(b"not safetensors")
    with pytest.raises(ConfigError, match="unreadable"):
        CrossEncoder.load(path)


class StubModel(CrossEncoder):
    """Supports when every claim word occurs in the evidence, else 'unverified'; records inputs."""

    def __init__(self) -> None:
        super().__init__(None, None, None, 64, 2.0, {"version": "v0"})
        self.seen: list[tuple[str, str]] = []

    def logits(
        self, claims: Sequence[str], evidences: Sequence[str], batch: int = 16
    ) -> np.ndarray:
        self.seen += list(zip(claims, evidences, strict=True))
        rows = []
        for c, e in zip(claims, evidences, strict=True):
            covered = all(w in e.lower() for w in c.lower().rstrip(".").split())
            rows.append([4.0, 0.0, 0.0] if covered else [0.0, 0.0, 4.0])
        return np.array(rows)


def _p(text: str) -> list[EvidencePassage]:
    return [EvidencePassage(text=text, doc_id="d", page=3, char_start=10)]


def test_verifier_feeds_selected_sentences_and_scales_by_temperature() -> None:
    stub = StubModel()
    verifier = CrossEncoderVerifier(stub, embedder=HashedWords(), evidence_sentences=1)
    assert isinstance(verifier, Verifier) and verifier.name == "minilm-cross-encoder/v0"
    source = "GPTQ quantizes weights to 3 bits. It runs on one GPU. The sky is blue."
    v = verifier.verify("GPTQ quantizes weights to 3 bits.", _p(source))
    assert v.label == "supported"
    # temperature 2: softmax([2, 0, 0])
    assert v.confidence == pytest.approx(np.exp(2) / (np.exp(2) + 2))
    assert stub.seen[0][1].startswith("GPTQ quantizes weights to 3 bits.")
    assert v.evidence[0].text == "GPTQ quantizes weights to 3 bits." and v.evidence[0].page == 3


def test_cue_veto_overrules_a_supporting_model_on_a_number_mismatch() -> None:
    verifier = CrossEncoderVerifier(StubModel(), embedder=HashedWords())
    source = "GPTQ quantizes weights to 3-bit precision."
    v = verifier.verify("GPTQ quantizes weights to 3-bit precision.", _p(source))
    assert v.label == "supported"
    flipped = verifier.verify("GPTQ quantizes weights to 4-bit precision.", _p(source))
    assert flipped.label != "supported"
    assert "number mismatch" in flipped.reason


def test_no_evidence_is_unverified() -> None:
    verifier = CrossEncoderVerifier(StubModel(), embedder=HashedWords())
    v = verifier.verify("Anything at all.", [])
    assert v.label == "unverified" and "no evidence" in v.reason


def test_combiner_mixes_head_and_cross_logits() -> None:
    from litsynth.verification.features import feature_names
    from litsynth.verification.trained import VerdictHead

    n = len(feature_names(8))
    # a head that always says 'contradicted' (bias only)
    head = VerdictHead(
        np.zeros(n), np.ones(n), (np.zeros((n, 3)),), (np.array([0.0, 3.0, 0.0]),), 1.0
    )
    stub = StubModel()
    weights = np.vstack([np.eye(3), np.zeros((3, 3))])  # trust the head only
    stub.metadata = {
        "version": "v0",
        "combiner": {"weights": weights.tolist(), "bias": [0.0, 0.0, 0.0], "temperature": 1.0},
    }
    verifier = CrossEncoderVerifier(stub, head=head, embedder=HashedWords())
    assert verifier.name == "minilm-cross-encoder+head/v0"
    v = verifier.verify(
        "GPTQ quantizes weights to 3 bits.", _p("GPTQ quantizes weights to 3 bits.")
    )
    assert v.label == "contradicted"
    assert v.confidence == pytest.approx(np.exp(3) / (np.exp(3) + 2))
    alone = CrossEncoderVerifier(StubModel(), embedder=HashedWords())
    assert (
        alone.verify(
            "GPTQ quantizes weights to 3 bits.", _p("GPTQ quantizes weights to 3 bits.")
        ).label
        == "supported"
    )


def test_combiner_of_the_wrong_shape_is_refused() -> None:
    from litsynth.errors import ConfigError
    from litsynth.verification.features import feature_names
    from litsynth.verification.trained import VerdictHead

    n = len(feature_names(8))
    head = VerdictHead(np.zeros(n), np.ones(n), (np.zeros((n, 3)),), (np.zeros(3),), 1.0)
    stub = StubModel()
    stub.metadata = {
        "version": "v0",
        "combiner": {"weights": np.eye(3).tolist(), "bias": [0.0] * 3, "temperature": 1.0},
    }
    with pytest.raises(ConfigError, match=r"expected \(6, 3\)"):
        CrossEncoderVerifier(stub, head=head, embedder=HashedWords())
