"""Hard cases from our own corpora: each flip changes exactly what it says, and the
leave-rationale-out copy really loses the supporting sentences."""

from __future__ import annotations

import numpy as np

from litsynth.training.data import Example
from litsynth.training.hard_cases import (
    CONTRADICTED,
    NEI,
    flip_antonym,
    flip_direction,
    flip_negation,
    flip_number,
    flipped,
    hard_cases,
    leave_rationale_out,
    paraphrased,
    quoted,
    restate,
)

SENTENCES = [
    "Patients were randomised to drug X or placebo.",
    "Drug X reduced systolic blood pressure by 12 mmHg.",
    "Adverse events were rare in both arms.",
    "Follow-up lasted 24 weeks.",
]


def example(claim: str, label: int = 0, rationale: list[int] | None = None) -> Example:
    return Example("scifact", "1", claim, SENTENCES, rationale or [1], label, f"scifact:{claim}")


def test_flips_change_one_thing() -> None:
    assert flip_number("It fell by 12 mmHg.", "a fall of 12 mmHg") == "It fell by 24 mmHg."
    assert flip_number("It fell by 12 mmHg.", "a fall of 9 mmHg") is None  # not stated
    assert flip_number("A 0.5 mg dose.", "0.5 mg") == "A 2.0 mg dose."
    assert flip_direction("Drug X reduced pressure.") == "Drug X increased pressure."
    assert flip_direction("Higher doses help.") == "Lower doses help."
    assert flip_antonym("The vaccine is effective.") == "The vaccine is ineffective."
    assert flip_negation("The drug is safe.") == "The drug is not safe."
    assert flip_negation("The drug does not work.") == "The drug does work."
    assert flip_negation("Aspirin thins blood.") is None


def test_flipped_claims_are_contradicted_and_numbers_come_first() -> None:
    case = flipped(example("Drug X reduced systolic blood pressure by 12 mmHg."), np.arange(4))
    assert case is not None and case.label == CONTRADICTED
    assert case.kind == "flip_number" and "24 mmHg" in case.claim
    assert flipped(example("whatever", label=2), np.arange(4)) is None


def test_leaving_the_rationale_out_removes_the_support() -> None:
    case = leave_rationale_out(example("Drug X lowers pressure."), np.array([1, 0, 2, 3]))
    assert case is not None and case.label == NEI
    assert "12 mmHg" not in case.evidence and "randomised" in case.evidence


def test_a_cap_keeps_both_kinds_and_is_deterministic() -> None:
    exs = [
        example(f"Drug X reduced systolic blood pressure by 12 mmHg in {i} trials.")
        for i in range(20)
    ]
    orders = [np.arange(4)] * len(exs)
    full = hard_cases(exs, orders)
    assert len(full) == 40 + 2  # the 20 share one rationale sentence: one quote, one flip
    capped = hard_cases(exs, orders, 10)
    assert capped == hard_cases(exs, orders, 10) and len(capped) == 10
    assert {h.kind for h in capped} == {
        "leave_rationale_out",
        "flip_number",
        "quoted",
        "quoted_flip_number",
    }
    assert hard_cases(exs, orders, 0) == []


def test_a_quoted_rationale_is_supported_and_its_flip_contradicted() -> None:
    """v2 without these read 'The vaccine increased ... titres fourfold after 28 days.', copied
    from its source, as contradicted (P 0.62)."""
    cases = quoted(example("Drug X lowers pressure."), np.arange(4))
    assert [(c.kind, c.label) for c in cases] == [
        ("quoted", 0),
        ("quoted_flip_number", CONTRADICTED),
    ]
    assert cases[0].claim == SENTENCES[1] and cases[0].claim in cases[0].evidence
    assert "24 mmHg" in cases[1].claim


def test_restating_cuts_what_an_answer_clause_cuts_and_nothing_that_carries_the_claim() -> None:
    """v2b read 'GPTQ quantizes OPT-175B weights to 3-bit precision.' against its own source
    sentence as contradicted."""
    assert (
        restate("GPTQ quantizes the weights of OPT-175B to 3-bit precision with negligible loss.")
        == "GPTQ quantizes OPT-175B weights to 3-bit precision with negligible loss."
    )
    assert (
        restate("Here, we show that Cdk5 (cyclin-dependent kinase) phosphorylates ATM at Ser 794.")
        == "Cdk5 phosphorylates ATM at Ser 794."
    )
    assert (
        restate("CONCLUSIONS Aspirin reduces the risk of stroke in adults, although bleeding rose.")
        == "Aspirin reduces the risk of stroke in adults."
    )
    assert restate("cDNA analysis found a 4437 bp cDNA (RecQ) in all samples.") == (
        "cDNA analysis found a 4437 bp cDNA in all samples."
    )
    assert restate("Drug X reduced systolic blood pressure by 12 mmHg.") is None  # unchanged
    assert restate("We show that it works (mostly).") is None  # too short to stand as a claim


def test_a_restated_rationale_is_supported_and_its_flip_contradicted() -> None:
    sentences = [*SENTENCES[:1], "We found that drug X (10 mg) reduced pressure by 12 mmHg."]
    ex = Example("scifact", "1", "Drug X lowers pressure.", sentences, [1], 0, "scifact:x")
    cases = paraphrased(ex, np.arange(2))
    assert [(c.kind, c.label, c.claim) for c in cases] == [
        ("paraphrased", 0, "Drug X reduced pressure by 12 mmHg."),
        ("paraphrased_flip_number", CONTRADICTED, "Drug X reduced pressure by 24 mmHg."),
    ]
    assert sentences[1] in cases[0].evidence
