"""The BibTeX export parses with a real BibTeX parser and keeps what is known of each source."""

from __future__ import annotations

import bibtexparser
from bibtexparser.bparser import BibTexParser

from litsynth.report.bibtex import render_bibtex
from litsynth.tests.report.sample import sample_report


def _parse(text: str) -> dict[str, dict[str, str]]:
    parser = BibTexParser(common_strings=True)
    db = bibtexparser.loads(text, parser=parser)
    return {e["ID"]: e for e in db.entries}


def test_bibtex_parses_with_stable_keys_and_known_fields() -> None:
    report = sample_report()
    text = render_bibtex(report)
    entries = _parse(text)
    assert list(entries) == ["frantar2022gptq", "dettmers2022outliers", "sha256_0123456789abcdef"]
    gptq = entries["frantar2022gptq"]
    assert gptq["ENTRYTYPE"] == "article"
    assert gptq["eprint"] == "2210.17323"
    assert gptq["author"] == "Elias Frantar and Saleh Ashkboos"
    assert gptq["year"] == "2022"
    outliers = entries["dettmers2022outliers"]
    assert outliers["doi"] == "10.1000/xyz_123"
    assert outliers["title"] == r"Outliers \& 8-bit Matrix Multiplication"
    assert entries["sha256_0123456789abcdef"]["title"] == r"Notes \{draft\}"
    assert render_bibtex(report) == text, "keys and order must be stable"


def test_repeated_keys_get_letter_suffixes() -> None:
    report = sample_report()
    twin = report.references[0].model_copy(update={"doc_id": "arxiv:2210.99999"})
    report = report.model_copy(update={"references": [report.references[0], twin]})
    assert list(_parse(render_bibtex(report))) == ["frantar2022gptqa", "frantar2022gptqb"]
