"""Entailment-stage data: the directional claims Evidence Inference spans imply, PubMedQA
questions as statements, and (with the shared data) every source readable with its licence."""

from __future__ import annotations

from pathlib import Path

from litsynth.training.entailment import (
    CONTRADICTED,
    NEI,
    SOURCES,
    SUPPORTED,
    describe,
    directional_claims,
    load_pairs,
    question_to_statement,
)


def test_a_reported_increase_supports_increase_and_contradicts_the_rest() -> None:
    claims = dict(directional_claims("Drug X", "placebo", "HbA1c", 1, "mortality"))
    assert claims["Drug X significantly increased HbA1c compared with placebo."] == SUPPORTED
    assert claims["Drug X significantly decreased HbA1c compared with placebo."] == CONTRADICTED
    assert (
        claims["Drug X did not significantly change HbA1c compared with placebo."] == CONTRADICTED
    )
    assert claims["Drug X significantly increased mortality compared with placebo."] == NEI


def test_no_difference_contradicts_both_directions() -> None:
    claims = directional_claims("A", "B", "pain", 0, "sleep")
    assert [label for _, label in claims] == [SUPPORTED, CONTRADICTED, CONTRADICTED, NEI]


def test_questions_become_statements() -> None:
    assert question_to_statement("Do mitochondria play a role in cell death?") == (
        "Mitochondria play a role in cell death."
    )
    assert question_to_statement("Is  aspirin safe?") == "Aspirin safe."


def test_anli_is_marked_non_commercial() -> None:
    assert not SOURCES["anli"].commercial_use
    assert all(s.commercial_use for n, s in SOURCES.items() if n != "anli")


def test_every_source_reads_with_three_labels_and_hashes(shared_data: Path) -> None:
    root = shared_data / "nli"
    for name in SOURCES:
        pairs = load_pairs((name,), 50, root)
        assert len(pairs) == 50 and all(p.claim and p.evidence for p in pairs)
        assert {p.label for p in load_pairs((name,), 300, root)} <= {SUPPORTED, CONTRADICTED, NEI}
    info = describe(("fever_symmetric",), root)
    assert str(info["fever_symmetric"]["licence"]).startswith("FEVER")
    hashes = info["fever_symmetric"]["file_sha256"]
    assert isinstance(hashes, dict) and all(len(h) == 64 for h in hashes.values())
