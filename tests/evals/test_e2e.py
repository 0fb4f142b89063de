"""The e2e task's matching of report claims to gold claims (research graph replaced by a fake)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from litsynth.evals.tasks import e2e
from litsynth.evals.tasks.e2e_answer import Statement
from litsynth.evals.tasks.judge_controls import ControlResult
from litsynth.settings import Settings


@dataclass
class FakeClaim:
    text: str
    quote: str
    doc_id: str
    page: int
    verdict: str | None
    confidence: float | None
    id: str = "c"
    title: str = "LLM.int8()"
    char_start: int = 0
    char_end: int = 0


@dataclass
class FakeResult:
    text: str
    claim_ids: list[str]


@dataclass
class FakeRef:
    doc_id: str
    title: str


@dataclass
class FakeReport:
    claims: list[FakeClaim] = field(default_factory=list)
    results: list[FakeResult] = field(default_factory=list)
    references: list[FakeRef] = field(default_factory=list)


@dataclass
class FakeDoc:
    doc_id: str
    title: str
    source_path: str


@dataclass
class FakeHit:
    text: str
    doc_id: str = "int8"
    page: int = 1
    title: str = "LLM.int8()"


class FakeStore:
    """One paper, id ``int8``, whose pages are read from ``pdf`` (default: the shared paper)."""

    def __init__(self, pdf: Path | None = None) -> None:
        self.pdf = pdf

    def search(self, query: str, k: int) -> list[FakeHit]:
        return [
            FakeHit("Cats like boxes and sleep a lot. " + e2e.load_gold_claims()[0].quote + ".")
        ]

    def documents(self) -> list[FakeDoc]:
        return [FakeDoc("int8", "LLM.int8()", "/papers/2208.07339_llm_int8.pdf")]

    def page_text(self, doc_id: str, page: int) -> str:
        from pypdf import PdfReader

        from litsynth.errors import StoreError
        from litsynth.evals.datasets import shared_data_dir

        if doc_id != "int8":
            raise StoreError(f"no document {doc_id!r} in the store")
        pdf = PdfReader(self.pdf or shared_data_dir() / "papers" / "2208.07339_llm_int8.pdf")
        return pdf.pages[page - 1].extract_text() or ""


def test_e2e_matches_gold_and_judges_the_rest(
    monkeypatch: pytest.MonkeyPatch, fake_embedder, shared_data: Path, tmp_path: Path
) -> None:
    gold = e2e.load_gold_claims()[0]  # qc01, LLM.int8() page 1
    claims = [
        # same paper, overlapping quote: matches the gold claim
        FakeClaim(gold.claim, gold.quote, "int8", gold.page, "supported", 0.9, id="a"),
        # quote that is not on the cited page: the judge refuses it
        FakeClaim("Int8 makes models 10x faster.", "10x faster", "int8", 1, "supported", 0.8, "b"),
        # unverified claim whose quote is not on its page: gold NEI, predicted NEI
        FakeClaim("Cats like boxes.", "cats like boxes", "int8", 1, "unverified", 0.6, id="c"),
    ]

    injected = object()

    def fake_research(
        question: str, *, store: object, config: Settings, chat_model: object
    ) -> FakeReport:
        assert chat_model is injected
        if "8-bit" not in question:
            return FakeReport()
        return FakeReport(
            claims,
            [FakeResult(gold.claim, ["a"])],
            [FakeRef("int8", "LLM.int8(): 8-bit Matrix Multiplication for Transformers")],
        )

    monkeypatch.setattr(e2e, "_research", lambda: fake_research)
    monkeypatch.setattr(e2e, "_paper_store", lambda *a, **k: FakeStore())
    controls: list[list[Statement]] = []

    def passing(found: list[Statement], judge: object, page: object) -> ControlResult:
        controls.append(found)
        kinds = ("gold", "other_source", "edited")
        return ControlResult(dict(zip(kinds, (4, 0, 1), strict=True)), dict.fromkeys(kinds, 5))

    monkeypatch.setattr(e2e, "run_controls", passing)
    result = e2e.run_e2e(
        Settings(), progress=None, cache_dir=tmp_path, chat_model=injected, judge="verifier"
    )
    assert result.skipped is None
    assert result.n == 3
    reasons = [p.reason for p in result.predictions]
    assert reasons[0].startswith("gold qc01")
    assert "quote not found" in reasons[1]
    assert [p.gold for p in result.predictions] == [
        "supported",
        "not_enough_info",
        "not_enough_info",
    ]
    # two claims called supported, one of them right
    assert result.metrics["precision_supported"] == pytest.approx(0.5)
    assert result.metrics["accuracy"] == pytest.approx(2 / 3)
    assert result.metrics["gold_recall"] is not None and 0 < result.metrics["gold_recall"] < 1
    # every claim here was chosen for the question (none is a source's other headline result)
    assert result.metrics["gold_recall_answer_claims"] == result.metrics["gold_recall"]
    # the answer sentence matches gold qc01 of the paper it cites; the source is about LLMs
    assert result.metrics["answer_sentences"] == 1
    assert result.metrics["answer_support_rate"] == 1.0
    # the judge was put to its controls on the run's statements: the gold-matched one
    assert [(st.text, st.gold, st.report) for st in controls[0]] == [(gold.claim, True, "q-int8")]
    assert result.metrics["judge_controls_passed"] == 1.0
    assert result.metrics["judge_control_edited_confirmed"] == pytest.approx(0.2)
    assert result.metrics["off_topic_sources_cited"] == 0
    # the naive baseline's search sentences hold qc01's quote for every question
    assert result.metrics["baseline_gold_recall"] == result.metrics["gold_recall"]
    assert result.metrics["gold_recall_over_baseline"] == pytest.approx(1.0)


def test_a_judge_that_fails_its_controls_reports_no_support_rate(
    monkeypatch: pytest.MonkeyPatch, fake_embedder, shared_data: Path, tmp_path: Path
) -> None:
    """A judge that confirms another source's quotes gives no evidence: the headline rate is
    empty, its number kept apart as unvalidated, and the note says why."""
    gold = e2e.load_gold_claims()[0]
    claim = FakeClaim(gold.claim, gold.quote, "int8", gold.page, "supported", 0.9, id="a")
    report = FakeReport(
        [claim],
        [FakeResult(gold.claim, ["a"])],
        [FakeRef("int8", "LLM.int8(): 8-bit Matrix Multiplication for Transformers")],
    )
    monkeypatch.setattr(e2e, "_research", lambda: lambda q, **k: report)
    monkeypatch.setattr(e2e, "_paper_store", lambda *a, **k: FakeStore())
    kinds = ("gold", "other_source", "edited")
    failing = ControlResult(dict(zip(kinds, (5, 4, 1), strict=True)), dict.fromkeys(kinds, 5))
    monkeypatch.setattr(e2e, "run_controls", lambda *a: failing)
    result = e2e.run_e2e(
        Settings(), progress=None, cache_dir=tmp_path, chat_model=object(), judge="verifier"
    )
    assert result.metrics["answer_support_rate"] is None
    assert result.metrics["answer_support_rate_unvalidated"] == 1.0
    assert result.metrics["judge_controls_passed"] == 0.0
    assert any(n.startswith("judge controls FAILED") for n in result.notes)


def test_judge_reads_the_stored_page_the_claim_cites(fixture_data: Path) -> None:
    read = e2e._page_reader(FakeStore(fixture_data / "gptq_p1-2.pdf"))
    page = read("int8", 1)
    assert page and page == e2e.normalize(page)  # normalised like the quotes it is matched with
    assert read("not-in-store", 1) == ""  # a page the store cannot give is simply absent
