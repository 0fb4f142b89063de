"""The bundled e2e gold claims: well-formed, and every quote is verbatim on its PDF page."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from litsynth.evals.tasks.e2e import (
    GOLD_CLAIMS,
    GOLD_QUESTIONS,
    load_gold_claims,
    load_questions,
    normalize,
)


@cache
def _page_text(pdf: Path, page: int) -> str:
    from pypdf import PdfReader

    return normalize(PdfReader(pdf).pages[page - 1].extract_text() or "")


def test_gold_files_are_well_formed() -> None:
    claims = load_gold_claims(GOLD_CLAIMS)
    questions = load_questions(GOLD_QUESTIONS)
    assert len(claims) >= 40
    assert len({c.id for c in claims}) == len(claims)
    ids = {c.id for c in claims}
    assert len(questions) >= 5
    for q in questions:
        assert q.claims and set(q.claims) <= ids
    assert {c.id for c in claims} == {cid for q in questions for cid in q.claims}
    for line in GOLD_CLAIMS.read_text(encoding="utf-8").splitlines():
        assert json.loads(line)["label"] == "supported"


def test_every_quote_occurs_on_its_pdf_page(shared_data: Path) -> None:
    papers = shared_data / "papers"
    missing = []
    for claim in load_gold_claims(GOLD_CLAIMS):
        pdf = papers / claim.file
        assert pdf.is_file(), f"{claim.id}: {pdf} not found"
        if normalize(claim.quote) not in _page_text(pdf, claim.page):
            missing.append(claim.id)
    assert missing == []


def test_normalize_collapses_whitespace_and_ligatures() -> None:
    assert normalize("ﬁne  tuning\n of\tLLMs ") == "fine tuning of LLMs"
    with pytest.raises(AssertionError):
        assert normalize("a b") == "ab"
