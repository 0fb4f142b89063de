"""TrainedVerifier: sentences with page offsets, cue features, head arrays, artefact loading."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from litsynth.errors import ConfigError
from litsynth.schema import EvidencePassage
from litsynth.verification.base import Verifier
from litsynth.verification.features import (
    CUE_FEATURES,
    TOP_K,
    cue_features,
    feature_names,
    numbers,
)
from litsynth.verification.sentences import passage_sentences, presplit_sentences
from litsynth.verification.trained import FORMAT, TrainedVerifier, VerdictHead

DIM = 8


class HashedWords:
    """Deterministic stand-in embedder: unit bag-of-words vectors in DIM dimensions."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        rows = np.zeros((len(texts), DIM), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"[a-z0-9]+", text.lower()):
                rows[i, sum(map(ord, word)) % DIM] += 1.0
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        return rows / np.where(norms == 0, 1.0, norms)


def test_passage_sentences_keep_page_offsets() -> None:
    page = "Header text. GPTQ quantizes weights to 3 bits. It runs on one GPU."
    passage = EvidencePassage(text=page[13:], doc_id="d", page=2, char_start=13)
    sents = passage_sentences([passage])
    assert [s.text for s in sents] == ["GPTQ quantizes weights to 3 bits.", "It runs on one GPU."]
    for s in sents:
        assert s.page_start is not None and s.page_end is not None
        assert page[s.page_start : s.page_end] == s.text
        assert passage.text[s.start : s.end] == s.text
    ev = sents[0].as_evidence(0.5)
    assert (ev.doc_id, ev.page, ev.char_start) == ("d", 2, 13)


def test_presplit_sentences_offsets_match_joined_text() -> None:
    sentences = ["First one.", "", "Second one."]
    text = " ".join(sentences)
    spans = presplit_sentences(sentences)
    assert [text[s.start : s.end] for s in spans] == ["First one.", "Second one."]


def test_numbers_with_units() -> None:
    assert [n for _, n in numbers("4-bit and 3 bits, 2.5% of 1,000 patients in 2020")] == [
        "4bit",
        "3bit",
        "2.5%",
        "1000patients",
        "2020",
    ]


def test_a_range_gives_its_first_number_the_unit() -> None:
    """ "6-4 bits" against a source's "3-4 bits" is a changed bit width, not a bare 6."""
    assert [n for _, n in numbers("3-4 bits, 6 to 8-bit, 1-10B and 2 or 4 bits")] == [
        "3bit",
        "4bit",
        "6bit",
        "8bit",
        "1b",
        "10b",
        "2bit",
        "4bit",
    ]
    assert [n for _, n in numbers("3 of 4 patients, 2020")] == ["3", "4patients", "2020"]


def test_a_quoted_title_states_no_number() -> None:
    """A template names a source by its title; the title's 4-bit is no claim about bits."""
    claim = '"The case for 4-bit precision" (6 to 8-bit weights): none of these methods help.'
    cues = cue_features(claim, ["With 6 to 8-bit quantization none of these methods help."])
    assert cues.values["number_mismatch"] == 0.0 and not cues.reasons


def test_number_conflict_needs_a_number_of_the_same_kind() -> None:
    """350B against 175B conflicts; a missing bare count against other numbers does not."""
    same = cue_features("GPTQ (OPT-350B): minimal loss.", ["GPTQ runs OPT-175B with minimal loss."])
    assert same.values["number_conflict"] == 1.0
    assert same.reasons == ["number mismatch: claim 350B, source 175B"]
    bare = cue_features("3 runs of GPTQ.", ["GPTQ runs OPT-175B in 4 hours."])
    assert bare.values["number_conflict"] == 0.0


@pytest.mark.parametrize(
    ("claim", "sentence", "feature", "reason"),
    [
        (
            "GPTQ quantizes to 4-bit.",
            "GPTQ quantizes to 3-bit.",
            "number_mismatch",
            "number mismatch: claim 4-bit, source 3-bit",
        ),
        (
            "Drug A reduces mortality.",
            "Drug A did not reduce mortality.",
            "negation_asymmetry",
            "negation: source says 'not', claim does not",
        ),
        (
            "X increases blood pressure.",
            "X decreases blood pressure.",
            "direction_oppose",
            "direction: claim 'increases', source 'decreases'",
        ),
        (
            "The effect was positive.",
            "The effect was negative.",
            "antonym_cue",
            "opposite words: claim 'positive', source 'negative'",
        ),
    ],
)
def test_cues_fire_with_checkable_reason(
    claim: str, sentence: str, feature: str, reason: str
) -> None:
    cues = cue_features(claim, [sentence])
    assert cues.values[feature] == 1.0
    assert reason in cues.reasons
    same = cue_features(claim, [claim])
    assert same.values[feature] == 0.0 and not same.reasons


def test_head_arrays_roundtrip_and_mlp_forward() -> None:
    rng = np.random.default_rng(0)
    head = VerdictHead(
        mean=rng.normal(size=4),
        scale=np.abs(rng.normal(size=4)) + 0.5,
        weights=(rng.normal(size=(4, 5)), rng.normal(size=(5, 3))),
        biases=(rng.normal(size=5), rng.normal(size=3)),
        temperature=2.0,
    )
    x = rng.normal(size=(6, 4))
    z = (x - head.mean) / head.scale
    expected = (
        np.maximum(z @ head.weights[0] + head.biases[0], 0) @ head.weights[1] + head.biases[1]
    )
    assert np.allclose(head.logits(x), expected)
    again = VerdictHead.from_arrays(head.arrays())
    assert np.allclose(again.probabilities(x), head.probabilities(x))
    assert np.allclose(head.probabilities(x).sum(axis=1), 1.0)


def test_head_reads_only_its_columns() -> None:
    w = np.array([[1.0, 0.0, 0.0], [0.0, 2.0, 0.0]])
    head = VerdictHead(np.zeros(4), np.ones(4), (w,), (np.zeros(3),), 1.0, columns=np.array([1, 3]))
    x = np.array([[9.0, 1.0, 9.0, 3.0]])
    assert np.allclose(head.logits(x), [[1.0, 6.0, 0.0]])
    again = VerdictHead.from_arrays(head.arrays())
    assert again.columns.tolist() == [1, 3]


def _write_artifact(tmp_path: Path) -> Path:
    """A hand-set linear head: contradicted when a number mismatches, else supported if close."""
    names = feature_names(DIM)
    n = len(names)
    w = np.zeros((n, 3))
    w[names.index("number_mismatch"), 1] = 10.0
    w[names.index("top1_cosine"), 0] = 10.0
    head = VerdictHead(np.zeros(n), np.ones(n), (w,), (np.array([-5.0, -3.0, 0.0]),), 1.0)
    path = tmp_path / "verdict_head-vtest.npz"
    np.savez(path, **head.arrays())  # type: ignore[arg-type]
    meta = {"format": FORMAT, "version": "vtest", "embedding_dim": DIM, "top_k": TOP_K}
    path.with_suffix(".json").write_text(json.dumps(meta))
    return path


def test_verdict_carries_located_evidence_and_reason(tmp_path: Path) -> None:
    verifier = TrainedVerifier.load(_write_artifact(tmp_path), embedder=HashedWords())
    assert isinstance(verifier, Verifier)
    assert verifier.name == "trained-minilm-head/vtest"
    page = "Intro. GPTQ quantizes weights to 3-bit precision. Unrelated closing words here."
    passage = EvidencePassage(text=page, doc_id="gptq", page=1, char_start=0)
    good, bad, none = verifier.verify_many(
        [
            ("GPTQ quantizes weights to 3-bit precision.", [passage]),
            ("GPTQ quantizes weights to 4-bit precision.", [passage]),
            ("Anything at all.", []),
        ]
    )
    assert good.label == "supported"
    assert bad.label == "contradicted"
    assert "number mismatch: claim 4-bit, source 3-bit" in bad.reason
    top = bad.evidence[0]
    assert top.text == "GPTQ quantizes weights to 3-bit precision."
    assert top.char_start is not None and page[top.char_start : top.char_end] == top.text
    assert abs(sum(bad.probabilities.values()) - 1.0) < 1e-9
    assert none.label == "unverified" and not none.evidence


def test_missing_or_foreign_artifact_is_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        TrainedVerifier.load(tmp_path / "absent.npz")
    path = _write_artifact(tmp_path)
    path.with_suffix(".json").write_text(json.dumps({"format": "other"}))
    with pytest.raises(ConfigError, match="not a"):
        TrainedVerifier.load(path)
    meta = {"format": FORMAT, "version": "x", "embedding_dim": DIM + 1, "top_k": TOP_K}
    path.with_suffix(".json").write_text(json.dumps(meta))
    with pytest.raises(ConfigError, match="other features"):
        TrainedVerifier.load(path)


def test_cue_feature_block_is_last() -> None:
    names = feature_names(DIM)
    assert names[-len(CUE_FEATURES) :] == list(CUE_FEATURES)
    assert len(names) == 4 * DIM + TOP_K + 1 + len(CUE_FEATURES)
