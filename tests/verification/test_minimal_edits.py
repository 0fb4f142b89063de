"""A changed number, an added negation or a reversed direction on an otherwise identical claim
never reads as supported under the default stack, and the combiner does not treat the
``number_mismatch`` cue as evidence for support (real MiniLM and artefacts, no network)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from litsynth.schema import EvidencePassage
from litsynth.verification.cross import default_cross_artifact
from litsynth.verification.cross_verifier import CrossEncoderVerifier
from litsynth.verification.features import CUE_FEATURES, Featurized, feature_names

TRIAL = (
    "We ran a randomized trial in 400 adults with hypertension. "
    "Drug X reduced systolic blood pressure by 12 mmHg compared with placebo. "
    "Adverse events were rare and mild."
)
VACCINE = (
    "In 2,000 participants the vaccine increased neutralising antibody titres fourfold after "
    "28 days. No serious adverse events were recorded."
)
STATIN = (
    "Among 5,000 patients followed for 5 years, statin therapy lowered the risk of stroke by "
    "21% relative to placebo."
)
# (source, supported claim, minimal edits that must not read as supported)
CASES = [
    (
        TRIAL,
        "Drug X reduced systolic blood pressure by 12 mmHg compared with placebo.",
        [
            "Drug X reduced systolic blood pressure by 30 mmHg compared with placebo.",
            "Drug X did not reduce systolic blood pressure compared with placebo.",
            "Drug X increased systolic blood pressure by 12 mmHg compared with placebo.",
        ],
    ),
    (
        VACCINE,
        "The vaccine increased neutralising antibody titres fourfold after 28 days.",
        [
            "The vaccine increased neutralising antibody titres fourfold after 90 days.",
            "The vaccine did not increase neutralising antibody titres after 28 days.",
            "The vaccine decreased neutralising antibody titres fourfold after 28 days.",
        ],
    ),
    (
        STATIN,
        "Statin therapy lowered the risk of stroke by 21% relative to placebo.",
        [
            "Statin therapy lowered the risk of stroke by 42% relative to placebo.",
            "Statin therapy did not lower the risk of stroke relative to placebo.",
            "Statin therapy raised the risk of stroke by 21% relative to placebo.",
        ],
    ),
]


# Answer clauses as the synthesizer drafts them, "method (setting): span", against the quote they
# cite. The changed number sits in the setting the template adds; the clause's words are all in
# the quote (cosine below the 0.8 at which any conflict vetoes), and the stack alone read each
# edit as supported.
GPTQ = (
    "For illustration, GPTQ can quantize the largest publicly-available models, OPT-175B and "
    "BLOOM-176B, in approximately four GPU hours, with minimal increase in perplexity, known to "
    "be a very stringent accuracy metric."
)
SPQR = (
    "In this work, we introduce Sparse-Quantized Representations (SpQR), a hybrid "
    "sparse-quantized format which can compress accurate pretrained LLMs to 3-4 bits per "
    "parameter while staying near-lossless."
)
CLAUSE_CASES = [
    (
        GPTQ,
        "GPTQ (OPT-175B): minimal increase in perplexity.",
        ["GPTQ (OPT-350B): minimal increase in perplexity."],
    ),
    (
        SPQR,
        "SpQR (3-4 bits per parameter): a hybrid sparse-quantized format which can compress "
        "accurate pretrained LLMs to 3-4 bits per parameter while staying near-lossless.",
        [
            "SpQR (6-4 bits per parameter): a hybrid sparse-quantized format which can compress "
            "accurate pretrained LLMs to 3-4 bits per parameter while staying near-lossless.",
        ],
    ),
]


@pytest.fixture(scope="module")
def verifier() -> CrossEncoderVerifier:
    return CrossEncoderVerifier.load()


def _p(text: str) -> list[EvidencePassage]:
    return [EvidencePassage(text=text, doc_id="d", page=1, char_start=0)]


@pytest.mark.parametrize(("source", "claim", "edits"), CASES + CLAUSE_CASES)
def test_minimal_edits_never_read_as_supported(
    verifier: CrossEncoderVerifier, source: str, claim: str, edits: list[str]
) -> None:
    verdicts = verifier.verify_many([(c, _p(source)) for c in [claim, *edits]])
    original, changed = verdicts[0], verdicts[1:]
    assert original.label == "supported"
    for edit, verdict in zip(edits, changed, strict=True):
        assert verdict.label != "supported", (edit, verdict.probabilities)


CUE_AWARE = "cues" in json.loads(default_cross_artifact().with_suffix(".json").read_text()).get(
    "combiner", {}
)


@pytest.mark.xfail(
    not CUE_AWARE,
    reason="the shipped combiner predates cue-aware fitting: refit it with "
    "python -m litsynth.training.stack",
    strict=True,
)
def test_the_combiner_does_not_take_number_mismatch_as_support(
    verifier: CrossEncoderVerifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Switching the head's number_mismatch cue on, all else equal, never raises the stack's
    P(supported): checked on the features of real claims, the cross-encoder's input unchanged."""
    assert verifier.head is not None  # the default stack combines head and cross-encoder
    seen: dict[str, Any] = {}
    original = verifier.probabilities

    def spy(claims: Sequence[str], kept: Any, feats: Sequence[Featurized]) -> np.ndarray:
        seen.update(claims=claims, kept=kept, feats=feats)
        return original(claims, kept, feats)

    monkeypatch.setattr(verifier, "probabilities", spy)
    rows: list[Any] = [getattr(case, "values", case) for case in CASES]  # pytest.param or tuple
    verifier.verify_many([(c, _p(s)) for s, claim, edits in rows for c in [claim, *edits]])
    column = feature_names(384).index("number_mismatch")
    assert feature_names(384)[-len(CUE_FEATURES) :] == list(CUE_FEATURES)

    def p_supported(value: float) -> np.ndarray:
        feats = []
        for f in seen["feats"]:
            x = f.x.copy()
            x[column] = value
            feats.append(replace(f, x=x))
        return original(seen["claims"], seen["kept"], feats)[:, 0]

    off, on = p_supported(0.0), p_supported(1.0)
    assert np.all(on <= off + 1e-9), on - off
