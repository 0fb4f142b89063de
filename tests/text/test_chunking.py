"""Chunk spans are exact, never cut words, respect the token budget and sections."""

from __future__ import annotations

import re
from pathlib import Path

from litsynth.ingest.pdf import load_pdf
from litsynth.schema.documents import ParsedDocument
from litsynth.settings import ChunkSettings
from litsynth.text.chunking import chunk_document, chunker_version
from litsynth.text.pages import normalize_page
from litsynth.text.tokens import get_token_counter

_WORD = re.compile(r"\w")


def _doc(pages: list[str]) -> ParsedDocument:
    return ParsedDocument(
        doc_id="t:1",
        title="t",
        source_path="t.txt",
        source_key="t.txt",
        content_hash="0" * 64,
        pages=pages,
    )


def _assert_spans_exact(doc: ParsedDocument, settings: ChunkSettings) -> None:
    chunks = chunk_document(doc, settings)
    assert chunks
    counter = get_token_counter()
    for c in chunks:
        page = doc.pages[c.page - 1]
        assert page[c.char_start : c.char_end] == c.text
        assert c.text == c.text.strip()
        # no word cut: the characters just outside the span are not word characters
        if c.char_start > 0:
            assert not (_WORD.match(page[c.char_start - 1]) and _WORD.match(page[c.char_start]))
        if c.char_end < len(page):
            assert not (_WORD.match(page[c.char_end - 1]) and _WORD.match(page[c.char_end]))
        assert counter.count(c.text) == c.n_tokens
        assert c.n_tokens <= settings.max_tokens


def test_spans_exact_and_sentence_aligned_on_prose() -> None:
    sentences = [f"Sentence number {i} talks about quantization of weights." for i in range(60)]
    page = normalize_page("1 Introduction\n" + " ".join(sentences))
    doc = _doc([page, page])
    settings = ChunkSettings(max_tokens=64, overlap_sentences=1)
    _assert_spans_exact(doc, settings)
    chunks = chunk_document(doc, settings)
    assert {c.page for c in chunks} == {1, 2}
    assert all(c.text.endswith(".") for c in chunks)
    assert chunks[0].text.startswith("1 Introduction")
    assert all(c.section == "1 Introduction" for c in chunks)
    # overlap: each chunk on a page starts with the previous chunk's last sentence
    first, second = chunks[0], chunks[1]
    last_sentence = first.text.rsplit(". ", 1)[-1]
    assert second.text.startswith(last_sentence.rstrip("."))


def test_long_sentence_is_cut_between_words() -> None:
    page = " ".join(f"word{i}" for i in range(400)) + "."
    doc = _doc([page])
    settings = ChunkSettings(max_tokens=40, overlap_sentences=0)
    _assert_spans_exact(doc, settings)
    chunks = chunk_document(doc, settings)
    assert len(chunks) > 5
    assert " ".join(c.text for c in chunks) == page


def test_chunks_break_at_headings() -> None:
    page = normalize_page("2 Method\nWe do a thing. It works.\n3 Results\nIt is good. Really good.")
    chunks = chunk_document(_doc([page]), ChunkSettings(max_tokens=200, overlap_sentences=1))
    assert [c.section for c in chunks] == ["2 Method", "3 Results"]
    assert chunks[1].text == "3 Results\n\nIt is good. Really good."


def test_chunker_version_names_settings() -> None:
    assert chunker_version(ChunkSettings(max_tokens=100, overlap_sentences=2)).endswith("/t100/o2")


def test_spans_exact_on_a_real_paper(fixture_data: Path) -> None:
    path = fixture_data / "gptq_p1-2.pdf"
    doc = load_pdf(path, path.read_bytes())
    _assert_spans_exact(doc, ChunkSettings())
    joined = " ".join(doc.pages)
    assert "quantization" in joined
    assert "ﬁ" not in joined  # ligatures normalized
