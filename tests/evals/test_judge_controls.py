"""The e2e judge's controls: known-supported and known-unsupported statements it must tell apart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from litsynth.evals.tasks.e2e_answer import Statement
from litsynth.evals.tasks.judge import JudgeItem, Judgement
from litsynth.evals.tasks.judge_controls import control_items, edited, run_controls


@dataclass
class Cited:
    quote: str
    doc_id: str
    page: int = 1


GPTQ = Cited("GPTQ quantizes OPT-175B to 3 or 4 bits with negligible accuracy loss.", "gptq")
AWQ = Cited("AWQ protects 1% of salient weights and improves the perplexity.", "awq")
SPQR = Cited("SpQR compresses LLMs to 3-4 bits per parameter while staying near-lossless.", "spqr")


def statements() -> list[Statement]:
    return [
        Statement("GPTQ (OPT-175B): quantizes to 3 or 4 bits.", [GPTQ], 0, "q1", gold=True),
        Statement("AWQ (1% of weights): improves the perplexity.", [AWQ], 1, "q1", gold=False),
        Statement("SpQR (3-4 bits): near-lossless.", [SPQR], 0, "q2", gold=True),
    ]


def page(doc_id: str, page: int) -> str:
    return next(c.quote for c in (GPTQ, AWQ, SPQR) if c.doc_id == doc_id)


class Stamp:
    """Confirms everything, as a judge that reads nothing would."""

    name = "stamp"

    def judge_many(self, items: Sequence[JudgeItem]) -> list[Judgement]:
        return [Judgement(True, "yes") for _ in items]

    def describe(self) -> dict[str, Any]:
        return {"kind": "stamp"}


class Oracle:
    """Confirms a statement only against its own quote and only as the report wrote it."""

    name = "oracle"

    def __init__(self) -> None:
        self.true = {(s.text, s.cited[0].quote) for s in statements()}

    def judge_many(self, items: Sequence[JudgeItem]) -> list[Judgement]:
        return [Judgement((i.claim, i.quote) in self.true, "checked") for i in items]

    def describe(self) -> dict[str, Any]:
        return {"kind": "oracle"}


def test_edits_change_a_stated_number_and_never_a_quoted_title() -> None:
    assert edited("GPTQ (OPT-175B): minimal loss.", "OPT-175B") == "GPTQ (OPT-350B): minimal loss."
    titled = '"The case for 4-bit precision" (4-bit weights): optimal.'
    assert (
        edited(titled, "4-bit is optimal")
        == '"The case for 4-bit precision" (8-bit weights): optimal.'
    )
    assert edited('"The case for 4-bit precision"', "4-bit") is None


def test_controls_take_other_sources_from_the_same_report_only() -> None:
    items = control_items(statements(), page)
    kinds = [k for k, _ in items]
    assert kinds.count("gold") == 2
    other = [i for k, i in items if k == "other_source"]
    # q2 has one source only, so only q1's two statements get another source's quote
    assert len(other) == 2
    assert {(i.claim, i.quote) for i in other} == {
        (statements()[0].text, AWQ.quote),
        (statements()[1].text, GPTQ.quote),
    }
    assert all(i.page_text == i.quote for i in other)  # judged as real statements: on pages
    assert all(i.claim not in {s.text for s in statements()} for k, i in items if k == "edited")


def test_a_judge_that_confirms_everything_fails_and_one_that_reads_passes() -> None:
    stamp = run_controls(statements(), Stamp(), page)
    assert not stamp.passed
    assert stamp.rate("other_source") == 1.0
    assert "FAILED" in stamp.summary()
    oracle = run_controls(statements(), Oracle(), page)
    assert oracle.passed, oracle.summary()
    assert oracle.rate("gold") == 1.0 and oracle.rate("edited") == 0.0


def test_controls_missing_a_kind_do_not_pass() -> None:
    only_q2 = [s for s in statements() if s.report == "q2"]
    result = run_controls(only_q2, Oracle(), page)
    assert result.rate("other_source") is None
    assert not result.passed
