"""EmbeddingVerifier: sentence spans, cues, thresholds, offsets, batching, parameter file."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

import numpy as np
import pytest

from litsynth.errors import ConfigError
from litsynth.schema import EvidencePassage
from litsynth.verification.base import Verifier
from litsynth.verification.embedding import (
    EmbeddingParams,
    EmbeddingVerifier,
    contradiction_cue,
    load_params,
)


class BagOfWords:
    """Deterministic stand-in embedder: L2-normalised word counts over a fixed vocabulary."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self.vocab: dict[str, int] = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        rows = np.zeros((len(texts), 256), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"[a-z0-9]+", text.lower()):
                rows[i, self.vocab.setdefault(word, len(self.vocab)) % 256] += 1.0
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        return rows / np.where(norms == 0, 1.0, norms)


@pytest.mark.parametrize(
    ("claim", "sentence", "cue"),
    [
        ("Drug A reduces mortality.", "Drug A did not reduce mortality.", "negation asymmetry"),
        ("The rate is 5% in adults.", "The rate is 12% in adults.", "number mismatch"),
        ("X increases blood pressure.", "X decreases blood pressure.", "opposite direction"),
        ("X increases blood pressure.", "X increases blood pressure.", None),
        ("The rate is 5% in adults.", "The rate is 5% in adults.", None),
    ],
)
def test_contradiction_cue(claim: str, sentence: str, cue: str | None) -> None:
    assert contradiction_cue(claim, sentence) == cue


def test_supported_with_page_offsets_and_reason() -> None:
    page_text = "Intro words here. Quantization to four bits keeps accuracy. Other stuff."
    passage = EvidencePassage(
        text=page_text[18:], doc_id="p1", page=3, char_start=18, char_end=len(page_text)
    )
    params = EmbeddingParams(
        t_support=0.7,
        t_contradict=0.6,
        coef=[[10.0, 0.0], [0.0, 0.0], [0.0, 0.0]],
        intercept=[-7.0, -50.0, 0.0],
    )
    verifier = EmbeddingVerifier(params, embedder=BagOfWords(), evidence_sentences=1)
    verdict = verifier.verify("Quantization to four bits keeps accuracy.", [passage])
    assert verdict.label == "supported"
    top = verdict.evidence[0]
    assert top.page == 3 and top.doc_id == "p1"
    assert top.char_start is not None and top.char_end is not None
    assert page_text[top.char_start : top.char_end] == "Quantization to four bits keeps accuracy."
    assert top.score == pytest.approx(1.0, abs=1e-5)
    # softmax over logits (3, -50, 0): ~ sigmoid(3)
    assert verdict.confidence == pytest.approx(1 / (1 + np.exp(-3.0)), abs=1e-4)
    assert "1.00 ≥ 0.70" in verdict.reason
    assert sum(verdict.probabilities.values()) == pytest.approx(1.0)
    assert isinstance(verifier, Verifier)


def test_contradicted_needs_cue_and_similarity() -> None:
    params = EmbeddingParams(
        t_support=0.7,
        t_contradict=0.5,
        coef=[[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]],
        intercept=[0.0, 0.0, 0.0],
    )
    verifier = EmbeddingVerifier(params, embedder=BagOfWords())
    passage = EvidencePassage(text="Drug alpha does not lower blood pressure in adults.")
    verdict = verifier.verify("Drug alpha lowers blood pressure in adults.", [passage])
    assert verdict.label == "contradicted"
    assert verdict.confidence == pytest.approx(1 / 3)
    assert "negation asymmetry" in verdict.reason
    unrelated = EvidencePassage(text="Cats do not sleep in boxes.")
    assert (
        verifier.verify("Drug alpha lowers blood pressure in adults.", [unrelated]).label
        == "unverified"
    )


def test_unverified_below_threshold_and_without_evidence() -> None:
    verifier = EmbeddingVerifier(EmbeddingParams(t_support=0.9), embedder=BagOfWords())
    birds = EvidencePassage(text="Birds fly south.")
    low = verifier.verify("Quantization keeps accuracy.", [birds])
    assert low.label == "unverified"
    assert "< 0.90" in low.reason
    assert low.confidence == pytest.approx(low.probabilities["unverified"])
    empty = verifier.verify("Quantization keeps accuracy.", [])
    assert empty.label == "unverified" and empty.evidence == []


def test_verify_many_embeds_once_and_matches_single() -> None:
    embedder = BagOfWords()
    verifier = EmbeddingVerifier(EmbeddingParams(), embedder=embedder)
    items = [
        ("A keeps accuracy.", [EvidencePassage(text="A keeps accuracy. B is slow.")]),
        ("B is slow.", [EvidencePassage(text="A keeps accuracy. B is slow.")]),
        ("C is new.", []),
    ]
    batch = verifier.verify_many(items)
    assert len(embedder.calls) == 1
    assert len(embedder.calls[0]) == len(set(embedder.calls[0]))  # each text embedded once
    singles = [verifier.verify(c, ps) for c, ps in items]
    assert [v.label for v in batch] == [v.label for v in singles]
    assert batch[1].evidence[0].text == "B is slow."
    assert batch[1].evidence[0].char_start == 18  # passage offsets when page offsets unknown


def test_load_params_file_and_errors(tmp_path) -> None:
    good = tmp_path / "p.json"
    good.write_text(
        json.dumps({"t_support": 0.8, "coef": [[5, 0], [0, 0], [0, 0]], "intercept": [-4, -99, 0]})
    )
    params = load_params(good)
    assert params.t_support == 0.8
    assert params.probabilities(0.8, False)["supported"] == pytest.approx(0.5)
    with pytest.raises(ConfigError):
        load_params(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(ConfigError):
        load_params(bad)


def test_bundled_params_are_valid() -> None:
    params = load_params()
    assert 0.0 < params.t_support <= 1.0
    probs = params.probabilities(0.95, False)
    assert sum(probs.values()) == pytest.approx(1.0)
    assert probs["supported"] > params.probabilities(0.2, False)["supported"]


def test_verbatim_statement_is_not_contradicted_by_a_weaker_cue() -> None:
    from litsynth.schema import EvidencePassage
    from litsynth.verification.embedding import EmbeddingVerifier

    claim = "4-bit precision is optimal for all models at all scales with few exceptions."
    passage = (
        f"{claim} While lowering the precision generally improves scaling, this trend stops "
        "across all models at 3-bit precision where performance degrades."
    )
    verdict = EmbeddingVerifier().verify(claim, [EvidencePassage(text=passage)])
    assert verdict.label == "supported"
    assert verdict.evidence[0].text == claim
