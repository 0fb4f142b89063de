"""The synthesizer node: verified answer sentences, dropped and rewritten ones counted."""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from litsynth.agents.context import Context
from litsynth.agents.synthesizer import synthesizer
from litsynth.schema.report import Synthesis
from litsynth.schema.verdicts import EvidencePassage, Verdict
from litsynth.settings import Settings
from tests.synthesis_fixtures import (
    ASR,
    GPTQ,
    INT4_DECODER,
    INT8_BACKGROUND,
    KBIT,
    RuleVerifier,
    state_of,
)


def _run(state: dict[str, Any], verifier: Any) -> Synthesis:
    ctx = Context(settings=Settings(), verifier=verifier)
    out = synthesizer(state, runtime=SimpleNamespace(context=ctx))  # type: ignore[arg-type]
    syn = out["synthesis"]
    assert isinstance(syn, Synthesis)
    return syn


def test_answer_sentences_are_not_their_quotes_and_each_clause_is_verified() -> None:
    verifier = RuleVerifier()
    syn = _run(state_of(GPTQ, KBIT, INT4_DECODER, INT8_BACKGROUND), verifier)
    first = syn.answer[0]
    assert first.claim_ids == ["C1", "C2"]
    assert first.text not in (GPTQ[2], KBIT[2])  # verification compares something new
    assert first.verdict == "supported"
    # every clause went to the verifier with the one quote it cites
    clause, evidence = verifier.calls[0]
    assert clause.startswith(
        "GPTQ (175 billion parameter GPT, 3 or 4 bits per weight): negligible accuracy"
    )
    assert evidence == [GPTQ[2]]
    assert [c.text for c in syn.context] == [INT8_BACKGROUND[2]]  # background: context only
    assert syn.counts["answer_sentences_dropped"] == 0


def test_unsupported_clause_is_dropped_and_counted() -> None:
    class Refuses(RuleVerifier):
        def verify(self, text: str, evidence: Sequence[EvidencePassage]) -> Verdict:
            v = super().verify(text, evidence)
            return v.model_copy(update={"label": "unverified"}) if "GPTQ" in text else v

    syn = _run(state_of(GPTQ, KBIT), Refuses())
    assert all("GPTQ" not in s.text for s in syn.sentences())
    assert syn.counts["answer_sentences_rewritten"] >= 1
    rewritten = [s for s in syn.answer if s.rewritten]
    assert rewritten and rewritten[0].claim_ids == ["C2"]


def test_nothing_supported_means_every_draft_is_dropped() -> None:
    class Never(RuleVerifier):
        def verify(self, text: str, evidence: Sequence[EvidencePassage]) -> Verdict:
            return super().verify(text, evidence).model_copy(update={"label": "unverified"})

    syn = _run(state_of(GPTQ, KBIT), Never())
    assert syn.answer == [] and syn.sections == []
    assert syn.counts["answer_sentences_dropped"] == syn.counts["answer_sentences_drafted"] > 0


def test_off_topic_source_is_left_out_of_the_answer() -> None:
    syn = _run(state_of(GPTQ, ASR), RuleVerifier())
    assert syn.off_topic_claims == ["C2"]
    assert "C2" not in syn.cited_claim_ids()
    assert "asr" not in syn.on_topic_sources


INT4_BOTH = (
    "int4b",
    "Understanding INT4 Quantization for Language Models",
    "We show that using INT4 introduces no or negligible accuracy degradation for encoder-only "
    "and encoder-decoder models, but causes a significant accuracy drop for decoder-only models.",
)


def test_each_half_of_a_contrasting_quote_is_verified_against_its_own_half() -> None:
    """Read against the whole quote, 'causes a significant accuracy drop for decoder-only
    models' looked contradicted by the quote's other half and was dropped."""
    verifier = RuleVerifier()
    _run(state_of(GPTQ, INT4_BOTH), verifier)
    halves = [e for c, e in verifier.calls if c.startswith("INT4 quantization (decoder-only")]
    assert halves and all(
        e == ["causes a significant accuracy drop for decoder-only models."] for e in halves
    )
    whole = [e for c, e in verifier.calls if c.startswith("GPTQ")]
    assert whole and all(e == [GPTQ[2]] for e in whole)


def test_a_comparison_left_with_one_side_is_dropped() -> None:
    class OnlyGptq(RuleVerifier):
        def verify(self, text: str, evidence: Sequence[EvidencePassage]) -> Verdict:
            v = super().verify(text, evidence)
            return v if "GPTQ" in text else v.model_copy(update={"label": "unverified"})

    syn = _run(state_of(GPTQ, INT4_BOTH), OnlyGptq())
    assert not any(s.text.startswith("At 4-bit weights the sources differ") for s in syn.answer)
    assert len([s for s in syn.answer if s.claim_ids == ["C1"]]) <= 1, "no one-sided duplicate"
