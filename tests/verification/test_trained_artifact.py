"""The shipped artefact: loads offline without pickle, and its verdicts react to negation and
to a changed number (real MiniLM, loaded from the installed package, no network)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from litsynth.schema import EvidencePassage, Verdict
from litsynth.settings import VerifierSettings
from litsynth.verification import make_verifier
from litsynth.verification.base import Verifier
from litsynth.verification.trained import (
    SelectingVerifier,
    TrainedVerifier,
    default_artifact_path,
)

TRIAL = (
    "We ran a randomized trial in 400 adults with hypertension. "
    "Drug X reduced systolic blood pressure by 12 mmHg compared with placebo. "
    "Adverse events were rare and mild."
)
GPTQ = (
    "GPTQ quantizes the weights of OPT-175B to 3-bit precision with negligible loss in "
    "perplexity. It runs on a single GPU."
)


FLIP_CASES = [
    (
        "GPTQ quantizes OPT-175B weights to 3-bit precision.",
        "GPTQ quantizes OPT-175B weights to 4-bit precision.",
        GPTQ,
        "number mismatch: claim 4-bit, source 3-bit",
    ),
    (
        "Drug X reduced systolic blood pressure by 12 mmHg compared with placebo.",
        "Drug X reduced systolic blood pressure by 25 mmHg compared with placebo.",
        TRIAL,
        "number mismatch: claim 25",
    ),
    (
        "GPTQ quantizes OPT-175B weights to 3-bit precision.",
        "GPTQ does not quantize OPT-175B weights to 3-bit precision.",
        GPTQ,
        "negation: claim says 'not', source does not",
    ),
]


@pytest.fixture(scope="module")
def verifier() -> TrainedVerifier:
    return TrainedVerifier.load()


def test_artifact_is_small_versioned_and_pickle_free() -> None:
    path = default_artifact_path()
    assert path.stat().st_size < 20_000_000
    with np.load(path, allow_pickle=False) as arrays:  # raises if anything needs pickle
        assert "W0" in arrays.files and "temperature" in arrays.files
    meta = json.loads(path.with_suffix(".json").read_text())
    assert meta["version"] == "v1"
    assert set(meta["metrics"]["dev"]) >= {"scifact", "healthver", "check_covid"}
    assert meta["training"]["file_sha256"]


def test_loads_offline_and_is_a_verifier(verifier: TrainedVerifier) -> None:
    assert isinstance(verifier, Verifier)
    assert verifier.name.endswith("/v1")
    made = make_verifier(VerifierSettings(kind="trained", evidence_sentences=1))
    assert isinstance(made, TrainedVerifier) and made.evidence_sentences == 1


def _p(text: str) -> list[EvidencePassage]:
    return [EvidencePassage(text=text, doc_id="d", page=1, char_start=0)]


def check_flip(
    verifier: SelectingVerifier, claim: str, flipped: str, source: str, reason: str
) -> tuple[Verdict, Verdict]:
    """The claim is supported, the flipped one is not, for the stated reason, with located
    evidence; returns both verdicts for judge-specific checks."""
    same, changed = verifier.verify_many([(claim, _p(source)), (flipped, _p(source))])
    assert same.label == "supported"
    assert changed.label != "supported"
    assert reason in changed.reason
    assert changed.evidence and source[changed.evidence[0].char_start :].startswith(
        changed.evidence[0].text
    )
    return same, changed


@pytest.mark.parametrize(("claim", "flipped", "source", "reason"), FLIP_CASES)
def test_negation_and_number_mismatch_flip_the_verdict(
    verifier: TrainedVerifier, claim: str, flipped: str, source: str, reason: str
) -> None:
    same, changed = check_flip(verifier, claim, flipped, source, reason)
    assert changed.probabilities["supported"] < same.probabilities["supported"]
