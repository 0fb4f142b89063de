"""Document ids: arXiv id from file name or stamp, DOI, content hash."""

from __future__ import annotations

from litsynth.ingest.metadata import arxiv_id, doc_identity, doi, year_of


def test_arxiv_id_from_file_name_and_stamp() -> None:
    assert arxiv_id("2208.07339_llm_int8.pdf") == "2208.07339"
    assert arxiv_id("paper.pdf", "arXiv:2306.03078v1 [cs.CL] 5 Jun 2023") == "2306.03078"
    assert arxiv_id("report-2023.pdf") is None


def test_identity_prefers_arxiv_then_doi_then_hash() -> None:
    assert doc_identity("2305.14314_QLoRA.pdf", "", "ab" * 32) == ("arxiv:2305.14314", 2023)
    found = doc_identity("x.pdf", "doi: 10.1000/XYZ.123.", "ab" * 32)
    assert found == ("doi:10.1000/xyz.123", None)
    assert doc_identity("x.pdf", "no ids", "ab" * 32) == (f"sha256:{'ab' * 8}", None)


def test_doi_and_year_helpers() -> None:
    assert doi("see https://doi.org/10.18653/v1/2023.emnlp-main.398)") == (
        "10.18653/v1/2023.emnlp-main.398"
    )
    assert year_of("D:20221110") == 2022
    assert year_of(None) is None
