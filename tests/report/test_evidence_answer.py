"""Findings, agreement/conflict across sources, and the template answer drafted from them."""

from __future__ import annotations

from litsynth.report import answer, evidence
from litsynth.text.subject import subject_of
from tests.synthesis_fixtures import (
    ASR,
    GPTQ,
    INT4_DECODER,
    INT8_BACKGROUND,
    KBIT,
    QUESTION,
    claim,
    passage,
)


def _findings(*sources):
    claims = [claim(i, s) for i, s in enumerate(sources, start=1)]
    subject = subject_of(QUESTION)
    on_topic = evidence.on_topic_sources(subject, [passage(s) for s in sources], claims)
    return claims, [evidence.read_finding(c, QUESTION, c.doc_id in on_topic) for c in claims]


def test_background_and_off_topic_sentences_are_not_answer_bearing() -> None:
    _, found = _findings(GPTQ, INT8_BACKGROUND, ASR)
    bearing = {f.doc_id: f.answer_bearing for f in found}
    assert bearing == {"gptq": True, "int8": False, "asr": False}


def test_two_sources_keeping_accuracy_at_4_bit_agree_and_a_loss_conflicts() -> None:
    _, found = _findings(GPTQ, KBIT, INT4_DECODER)
    agree = evidence.agreements(found)
    kinds = {(a.kind, a.setting) for a in agree}
    assert ("agreement", "4-bit weights, accuracy") in kinds
    conflict = next(a for a in agree if a.kind == "conflict")
    assert set(conflict.doc_ids) == {"gptq", "int4"}
    assert "decoder-only models" in conflict.explanation  # the condition that differs


def test_direct_answer_states_effect_with_conditions_and_cites_every_source() -> None:
    claims, found = _findings(GPTQ, KBIT, INT4_DECODER)
    by_id = {c.id: c for c in claims}
    drafts = answer.direct_answer(
        found, by_id, evidence.agreements(found), "large language models", {4}
    )
    first = drafts[0]
    assert first.text().startswith(
        "2 sources find that 4-bit weight quantization of large language models costs little "
        "or no accuracy: GPTQ (GPT, 3 or 4 bits per weight): negligible accuracy degradation"
    )
    assert first.claim_ids() == ["C1", "C2"]
    failure = drafts[1]
    assert failure.lead.startswith("Accuracy is lost under other conditions (")
    assert "on decoder-only models" in failure.lead
    assert failure.claim_ids() == ["C3"]


def test_result_span_is_the_clause_carrying_the_result() -> None:
    assert answer.result_span(GPTQ[2]) == (
        "negligible accuracy degradation relative to the uncompressed baseline"
    )
