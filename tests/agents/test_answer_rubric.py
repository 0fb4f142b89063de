"""Scores that can fail: an off-topic source, no answer, or quotes only cannot score high."""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from litsynth.agents.aggregator import NO_ANSWER_CAP, OFF_TOPIC_CAP, aggregate
from litsynth.agents.context import Context
from litsynth.agents.rubrics import RUBRICS
from litsynth.agents.synthesizer import synthesizer
from litsynth.schema.records import Review
from litsynth.schema.report import Synthesis
from litsynth.schema.state import ReviewerInput
from litsynth.schema.verdicts import EvidencePassage, Verdict
from litsynth.settings import AggregatorSettings, Settings
from tests.synthesis_fixtures import (
    ASR,
    GPTQ,
    INT4_DECODER,
    INT8_BACKGROUND,
    INT8_RESULT,
    KBIT,
    QUESTION,
    QUESTION_8BIT,
    RuleVerifier,
    state_of,
)


def _synthesis(state: dict[str, Any], verifier: Any = None) -> Synthesis:
    ctx = Context(settings=Settings(), verifier=verifier or RuleVerifier())
    out = synthesizer(state, runtime=SimpleNamespace(context=ctx))  # type: ignore[arg-type]
    syn: Synthesis = out["synthesis"]
    return syn


def _input(state: dict[str, Any], syn: Synthesis | None) -> ReviewerInput:
    return ReviewerInput(
        reviewer="answer",
        question=str(state.get("question", QUESTION)),
        claims=state["claims"],
        kept_sources=[],
        dropped_sources=[],
        contradictions=[],
        counters={},
        errors=[],
        coverage=[],
        synthesis=syn,
        llm_temperature=0.0,
        llm_seed=0,
    )


def _reviews(r: ReviewerInput) -> list[Review]:
    out = []
    for name, rubric in RUBRICS.items():
        crit = rubric.measure({**r, "reviewer": name})
        score = sum(c.score for c in crit) / len(crit)
        out.append(Review(reviewer=name, criteria=crit, score=score, comment="", source="rules"))
    return out


def _criteria(reviews: list[Review]) -> dict[str, float]:
    return {c.criterion: c.score for r in reviews for c in r.criteria}


def test_a_good_synthesis_scores_high_on_the_readers_criteria() -> None:
    state = state_of(GPTQ, KBIT, INT4_DECODER, INT8_BACKGROUND)
    reviews = _reviews(_input(state, _synthesis(state)))
    got = _criteria(reviews)
    assert got["answers_question"] == 10
    assert got["relevance"] == 10
    assert got["synthesis"] > 0  # the first answer sentence combines GPTQ and k-bit
    assert got["answer_bearing_share"] == 7.5  # 3 of 4 claims state a result
    agg = aggregate(reviews, 4, 1, AggregatorSettings())
    assert agg.quality_score > OFF_TOPIC_CAP


def test_citing_an_off_topic_source_cannot_score_high() -> None:
    state = state_of(GPTQ, KBIT, ASR, ASR)  # the speech paper, cited twice
    reviews = _reviews(_input(state, _synthesis(state)))
    got = _criteria(reviews)
    assert got["relevance"] == 5.0  # 2 of 3 sources, 2 of 4 claims about LLMs
    agg = aggregate(reviews, 4, 1, AggregatorSettings())
    assert agg.quality_score <= OFF_TOPIC_CAP
    assert agg.gate_verdict != "pass"
    assert any("off-topic" in rule for rule in agg.rules)


def test_a_report_that_does_not_answer_cannot_score_high() -> None:
    state = state_of(INT8_BACKGROUND, INT8_BACKGROUND, INT8_BACKGROUND)  # background only
    syn = _synthesis(state)
    assert syn.answer == []
    reviews = _reviews(_input(state, syn))
    got = _criteria(reviews)
    assert got["answers_question"] == 0
    assert got["answer_bearing_share"] == 0
    agg = aggregate(reviews, 3, 1, AggregatorSettings())
    assert agg.quality_score <= NO_ANSWER_CAP
    assert agg.gate_verdict != "pass"


def test_verbatim_quotes_count_as_quoted_not_verified() -> None:
    state = state_of(GPTQ, KBIT)  # every claim is its own quote
    no_synthesis = _criteria(_reviews(_input(state, None)))
    assert no_synthesis["verified_statements"] == 0  # 20/20 'supported' no longer means 10
    with_answer = _criteria(_reviews(_input(state, _synthesis(state))))
    assert with_answer["verified_statements"] == 10


def test_dropped_answer_sentences_count_against_verification() -> None:
    class Never(RuleVerifier):
        def verify(self, text: str, evidence: Sequence[EvidencePassage]) -> Verdict:
            return super().verify(text, evidence).model_copy(update={"label": "unverified"})

    state = state_of(GPTQ, KBIT)
    got = _criteria(_reviews(_input(state, _synthesis(state, Never()))))
    assert got["verified_statements"] == 0
    assert got["answers_question"] == 0


def test_conflict_not_shown_scores_zero() -> None:
    state = state_of(GPTQ, INT4_DECODER)
    syn = _synthesis(state)
    assert [a.kind for a in syn.agreements] == ["conflict"]
    assert _criteria(_reviews(_input(state, syn)))["conflicts_shown"] == 10
    hidden = syn.model_copy(update={"answer": [], "sections": []})
    assert _criteria(_reviews(_input(state, hidden)))["conflicts_shown"] == 0


def test_an_answer_at_other_bits_than_asked_cannot_score_full_marks() -> None:
    # Verified 4-bit results do not answer "how to quantize to 8-bit"
    state = {**state_of(GPTQ, KBIT), "question": QUESTION_8BIT}
    crit = {c.criterion: c for r in _reviews(_input(state, _synthesis(state))) for c in r.criteria}
    assert crit["answers_question"].score < 7
    assert "not at the 8-bit asked about" in crit["answers_question"].reason
    answered = {**state_of(GPTQ, KBIT, INT8_RESULT), "question": QUESTION_8BIT}
    syn = _synthesis(answered)
    assert "LLM.int8()" in syn.answer[0].text  # the 8-bit finding leads
    assert _criteria(_reviews(_input(answered, syn)))["answers_question"] == 10


def test_a_lead_without_the_asked_effect_scores_low() -> None:
    state = state_of(GPTQ, KBIT)
    syn = _synthesis(state)
    lead = syn.answer[0]
    # the same verified sentence, now citing a claim with no finding: no effect stated
    hollow = syn.model_copy(
        update={"answer": [lead.model_copy(update={"claim_ids": ["C9"]})], "sections": []}
    )
    crit = {c.criterion: c for r in _reviews(_input(state, hollow)) for c in r.criteria}
    assert crit["answers_question"].score == 0  # no effect, not at 4-bit, 0 of 1 sentences
    assert "does not state an accuracy effect" in crit["answers_question"].reason


def test_a_conflict_at_other_bits_is_not_the_answers_to_show() -> None:
    state = {**state_of(GPTQ, INT4_DECODER, INT8_RESULT), "question": QUESTION_8BIT}
    syn = _synthesis(state)
    assert [a.kind for a in syn.agreements] == ["conflict"]  # GPTQ vs INT4, at 4-bit
    assert not any("differ" in s.text for s in syn.answer)
    crit = {c.criterion: c for r in _reviews(_input(state, syn)) for c in r.criteria}
    assert crit["conflicts_shown"].score == 10
    assert "no conflict found at 8-bit" in crit["conflicts_shown"].reason


def test_a_conflict_side_is_shown_by_a_cited_claim_of_the_same_source_and_side() -> None:
    """The answer gives one clause per source: GPTQ's OPT-175B clause stands for its other
    kept finding in a conflict, but not for a source that is not cited."""
    from litsynth.schema.records import SourceAgreement

    state = state_of(GPTQ, INT4_DECODER)
    syn = _synthesis(state)
    cited_gptq = next(f.claim_id for f in syn.findings if f.doc_id == "gptq")
    other = SourceAgreement(
        kind="conflict",
        setting="4-bit weights, accuracy",
        width=4,
        claim_ids=["C99", "C2"],
        doc_ids=["gptq", "int4"],
        explanation="GPTQ's second 4-bit result against INT4 on decoder-only models.",
    )
    twin = next(f for f in syn.findings if f.claim_id == cited_gptq)
    both = syn.model_copy(
        update={
            "agreements": [*syn.agreements, other],
            "findings": [*syn.findings, twin.model_copy(update={"claim_id": "C99"})],
        }
    )
    crit = {c.criterion: c for r in _reviews(_input(state, both)) for c in r.criteria}
    assert crit["conflicts_shown"].score == 10, crit["conflicts_shown"].reason


def test_the_sources_other_headline_results_are_not_answer_evidence() -> None:
    """A source result (Claim.kind "source_result") is listed apart from the answer: the
    synthesizer does not read it and the answer-bearing share does not count it."""
    state = state_of(GPTQ, KBIT, INT4_DECODER, INT8_BACKGROUND)
    state["claims"] = [
        c.model_copy(update={"kind": "source_result"}) if c.id == "C2" else c
        for c in state["claims"]
    ]
    syn = _synthesis(state)
    assert {f.claim_id for f in syn.findings} == {"C1", "C3"}  # k-bit's result is not read
    got = _criteria(_reviews(_input(state, syn)))
    assert got["answer_bearing_share"] == 6.67  # 2 of the 3 answer claims state a result


def test_an_answer_number_its_quotes_never_state_fails_answer_numbers() -> None:
    """Every claim quotes its page, so checking the claims' wording could not fail (24 of 24 in
    the demo); the answer sentences are where a wrong number can enter."""
    state = state_of(GPTQ, KBIT, INT4_DECODER, INT8_BACKGROUND)
    syn = _synthesis(state)
    faithful = {c.criterion: c for r in _reviews(_input(state, syn)) for c in r.criteria}
    assert faithful["answer_numbers"].score == 10
    first = syn.answer[0]
    wrong = first.model_copy(update={"text": first.text.replace("3", "6", 1)})
    assert wrong.text != first.text
    edited = syn.model_copy(update={"answer": [wrong, *syn.answer[1:]]})
    got = {c.criterion: c for r in _reviews(_input(state, edited)) for c in r.criteria}
    assert got["answer_numbers"].score < 10
    assert "first: 6" in got["answer_numbers"].reason
