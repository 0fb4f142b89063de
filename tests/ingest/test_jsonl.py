"""JSONL records: SciFact's corpus format loads as is; the demo corpus loads."""

from __future__ import annotations

import json
from pathlib import Path

from litsynth.demo import corpus_path
from litsynth.ingest.dispatch import SourceFile, load_file
from litsynth.ingest.jsonl import load_jsonl

SCIFACT_RECORD = {
    "doc_id": 4983,
    "title": "Microstructural development of human newborn cerebral white matter.",
    "abstract": ["Alterations of the architecture occur.", "  ", "A line scan was applied."],
    "structured": False,
}


def test_scifact_record_is_one_single_page_document(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    data = (json.dumps(SCIFACT_RECORD) + "\n\n").encode()
    path.write_bytes(data)
    [doc] = load_jsonl(path, data)
    assert doc.doc_id == "4983"
    assert doc.pages == ["Alterations of the architecture occur. A line scan was applied."]
    assert doc.title.startswith("Microstructural")
    assert doc.source_key == f"{path}#4983"


def test_record_hash_changes_with_content(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    a = json.dumps({"id": "a", "title": "T", "text": "one"}).encode()
    b = json.dumps({"id": "a", "title": "T", "text": "two"}).encode()
    assert load_jsonl(path, a)[0].content_hash != load_jsonl(path, b)[0].content_hash


def test_real_scifact_lines(fixture_data: Path) -> None:
    path = fixture_data / "scifact20.jsonl"
    lines = path.read_text().splitlines()
    docs = load_file(SourceFile(path, "jsonl"))
    assert len(docs) == 20
    assert all(len(d.pages) == 1 and d.pages[0] for d in docs)
    assert docs[0].doc_id == str(json.loads(lines[0])["doc_id"])


def test_demo_corpus_loads() -> None:
    docs = load_file(SourceFile(corpus_path(), "jsonl"))
    assert len(docs) >= 10
    assert all(d.doc_id.startswith("arxiv-abs:") for d in docs)
    assert all(d.year and d.source_path.startswith("https://arxiv.org/abs/") for d in docs)
