"""Ingest runs: directories, unchanged files skipped, changed files replaced, failures reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from litsynth.ingest.runner import ingest_paths
from litsynth.settings import StoreSettings
from litsynth.text.embedding import get_embedder
from litsynth.vectorstore.store import PaperStore


@pytest.fixture
def store(tmp_path: Path) -> PaperStore:
    return PaperStore.open(StoreSettings(path=tmp_path / "store"), get_embedder())


def _corpus(root: Path) -> Path:
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text("Paper A\n\nInt8 matrix multiplication with outliers. It works.")
    (root / "sub" / "b.md").write_text("# Paper B\n\nCats sleep a lot. They like warm places.")
    (root / "sub" / "c.jsonl").write_text(
        json.dumps({"doc_id": 1, "title": "C", "abstract": ["One.", "Two."]})
        + "\n"
        + json.dumps({"doc_id": 2, "title": "D", "abstract": ["Three."]})
        + "\n"
    )
    (root / "sub" / "ignored.csv").write_text("x,y\n")
    (root / "sub" / "e.pdf").write_bytes(b"")  # fails: empty
    (root / "sub" / "e.txt").write_text("text extracted from e.pdf: left out")
    (root / ".hidden").mkdir()
    (root / ".hidden" / "h.txt").write_text("hidden")
    return root


def test_directory_ingest_is_idempotent(tmp_path: Path, store: PaperStore) -> None:
    root = _corpus(tmp_path / "corpus")
    first = ingest_paths(store, [root])
    assert (first.files, first.added) == (4, 4)
    assert [Path(e.path).name for e in first.failed] == ["e.pdf"]
    assert first.chunks_added == 4
    fingerprint = store.fingerprint()
    second = ingest_paths(store, [root])
    assert (second.added, second.replaced, second.chunks_added) == (0, 0, 0)
    assert second.unchanged == 4 and second.skipped_files == 2
    assert store.fingerprint() == fingerprint
    assert len(store.documents()) == 4

    (root / "a.txt").write_text("Paper A\n\nNew text about GPTQ only.")
    third = ingest_paths(store, [root])
    # the id is a content hash, so it changes; the same source still replaces the old one
    assert (third.added, third.replaced, third.unchanged) == (0, 1, 3)
    assert third.chunks_removed == 1
    assert len(store.documents()) == 4
    assert any("GPTQ" in h.text for h in store.search("GPTQ", k=4))


def test_bad_files_are_reported_and_others_ingested(tmp_path: Path, store: PaperStore) -> None:
    good = tmp_path / "good.txt"
    good.write_text("A fine paper about quantization.")
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    report = ingest_paths(store, [good, empty, binary, tmp_path / "missing.pdf"])
    assert report.added == 1
    failed = sorted(Path(e.path).name for e in report.failed)
    assert failed == ["blob.txt", "empty.pdf", "missing.pdf"]
    assert [d.title for d in store.documents()] == ["A fine paper about quantization."]


def test_same_id_from_two_files_is_reported(tmp_path: Path, store: PaperStore) -> None:
    (tmp_path / "2208.07339_a.txt").write_text("One version.")
    (tmp_path / "2208.07339_b.txt").write_text("Another version.")
    report = ingest_paths(store, [tmp_path])
    assert report.added == 1
    assert len(report.failed) == 1
    assert "same document id arxiv:2208.07339" in report.failed[0].message
