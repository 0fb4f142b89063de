"""The answerability gold set is honest about the papers, and reports are scored per facet."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from litsynth.errors import DatasetError
from litsynth.evals.tasks.answerability import GOLD, load_questions, score_report
from litsynth.schema.records import Claim, Facet, FacetCoverage
from litsynth.schema.report import Report
from litsynth.text.facets import find_facets, literal_pattern

QUESTIONS = load_questions(GOLD)


def test_gold_has_twenty_questions_about_half_with_gaps() -> None:
    assert len(QUESTIONS) >= 20
    with_gaps = [q for q in QUESTIONS if "gap" in q.facets.values()]
    assert 0.4 <= len(with_gaps) / len(QUESTIONS) <= 0.7
    for q in QUESTIONS:  # every gold facet is one the question's facet finder yields
        assert set(q.facets) <= {f.name for f in find_facets(q.question)}, q.id


def _paper_texts(shared_data: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in (shared_data / "papers").glob("*.txt"))


def test_gold_statuses_agree_with_the_papers_text(shared_data: Path) -> None:
    text = _paper_texts(shared_data)
    for q in QUESTIONS:
        for name, status in q.facets.items():
            named = bool(literal_pattern(name).search(text))
            if status == "gap":
                assert not named, f"{q.id}: {name} is in the papers"
            elif status == "answered":
                assert named, f"{q.id}: {name} is not in the papers"


def test_bad_status_is_a_dataset_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "question": "q?", "facets": {"A100": "maybe"}}\n')
    with pytest.raises(DatasetError, match="unknown status"):
        load_questions(bad)


def _claim(cid: str, text: str, quote: str) -> Claim:
    return Claim(
        id=cid,
        text=text,
        verbatim=text == quote,
        doc_id="d",
        title="T",
        page=1,
        char_start=0,
        char_end=len(quote),
        quote=quote,
        passage_id="p",
        relevance=0.5,
        round=1,
        selected_by="llm",
        verdict="supported",
        confidence=0.9,
    )


def test_score_report_per_facet_and_ungrounded_claims() -> None:
    q = QUESTIONS[0]  # 3-bit answered, Mistral-7B gap, GSM8K gap
    facets = {f.name: f for f in find_facets(q.question)}

    def cov(f: Facet, status: str) -> FacetCoverage:
        return FacetCoverage(facet=f, status=status, claim_ids=[])

    report: Any = SimpleNamespace(
        coverage=[
            cov(facets["3-bit"], "answered"),
            cov(facets["Mistral-7B"], "partial"),
            cov(facets["GSM8K"], "gap"),
        ],
        claims=[
            _claim("C1", "GPTQ works at 3-bit.", "GPTQ works at 3-bit."),
            _claim("C2", "Mistral-7B works at 3-bit.", "OPT works at 3-bit."),
        ],
    )
    preds, claims, ungrounded, naming_gap = score_report(q, cast(Report, report))
    assert {p.id: (p.gold, p.pred) for p in preds} == {
        "a01:3-bit": ("answered", "answered"),
        "a01:Mistral-7B": ("gap", "partial"),
        "a01:GSM8K": ("gap", "gap"),
    }
    assert (claims, ungrounded, naming_gap) == (2, 1, 1)
