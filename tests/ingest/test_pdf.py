"""PDF loading on real papers: pages kept, titles found, arXiv id and year from the file name."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfWriter

from litsynth.errors import IngestError
from litsynth.ingest.pdf import load_pdf


@pytest.mark.parametrize(
    ("name", "title", "pages"),
    [
        (
            "2210.17323_GPTQ.pdf",  # small-caps title
            "GPTQ: ACCURATE POST-TRAINING QUANTIZATION FOR GENERATIVE PRE-TRAINED TRANSFORMERS",
            16,
        ),
        (
            "2305.14627_ALCE.pdf",  # a large-font figure sits beside the title
            "Enabling Large Language Models to Generate Text with Citations",
            23,
        ),
    ],
)
def test_real_paper(shared_data: Path, name: str, title: str, pages: int) -> None:
    path = shared_data / "papers" / name
    doc = load_pdf(path, path.read_bytes())
    assert doc.title == title
    assert len(doc.pages) == pages
    assert doc.doc_id == f"arxiv:{name.split('_')[0]}"
    assert doc.year == 2000 + int(name[:2])
    assert doc.source_key == str(path)


def test_committed_paper_slice(fixture_data: Path) -> None:
    path = fixture_data / "gptq_p1-2.pdf"
    doc = load_pdf(path, path.read_bytes())
    assert doc.title.startswith("GPTQ: ACCURATE POST-TRAINING QUANTIZATION")
    assert len(doc.pages) == 2
    assert doc.doc_id == "arxiv:2210.17323"  # from the arXiv stamp, not the file name
    assert "3 or 4 bits per weight" in doc.pages[0]


def test_pdf_without_text_asks_for_ocr(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buf = io.BytesIO()
    writer.write(buf)
    path = tmp_path / "scan.pdf"
    with pytest.raises(IngestError, match="no extractable text") as info:
        load_pdf(path, buf.getvalue())
    assert "OCR" in info.value.hint
