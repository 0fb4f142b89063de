"""Normalization: de-hyphenation, whitespace, ligatures, headings; the text loader."""

from __future__ import annotations

from pathlib import Path

from litsynth.ingest.text import load_text
from litsynth.text.pages import heading_of, normalize_page


def test_dehyphenates_across_line_breaks() -> None:
    assert normalize_page("we use quanti-\nzation of weights") == "we use quantization of weights"


def test_keeps_real_hyphens_and_capitalised_continuations() -> None:
    assert normalize_page("8-bit and mixed-\nPrecision") == "8-bit and mixed-Precision"
    assert normalize_page("zero-shot accuracy") == "zero-shot accuracy"


def test_whitespace_and_ligatures_normalized_before_spans() -> None:
    raw = "  Eﬃcient\t\tﬁne-tuning \u00a0of  LLMs\r\nworks.\n\n\n\nNext  paragraph. "
    assert normalize_page(raw) == "Efficient fine-tuning of LLMs works.\n\nNext paragraph."


def test_headings_become_their_own_paragraph() -> None:
    raw = "text before.\n3.2 Outlier Features\nThe features are large."
    assert normalize_page(raw) == "text before.\n\n3.2 Outlier Features\n\nThe features are large."
    assert heading_of("Abstract") == "Abstract"
    assert heading_of("## Results") == "Results"
    assert heading_of("We show that 3 models work.") is None


def test_text_file_pages_split_on_form_feed(tmp_path: Path) -> None:
    path = tmp_path / "2208.07339_notes.txt"
    data = b"Title line\nfirst page.\fsecond page.\f"
    path.write_bytes(data)
    doc = load_text(path, data)
    assert doc.pages == ["Title line first page.", "second page."]
    assert doc.doc_id == "arxiv:2208.07339"
    assert doc.year == 2022
    assert doc.title == "Title line"


def test_text_without_identifiers_gets_content_hash_id(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    data = b"# My notes\n\nSome text here."
    path.write_bytes(data)
    doc = load_text(path, data)
    assert doc.doc_id.startswith("sha256:")
    assert doc.title == "My notes"
