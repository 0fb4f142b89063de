"""`litsynth ingest`, `sources` and `search` end to end on a temp store."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from litsynth.cli.app import app
from litsynth.errors import StoreError

runner = CliRunner()


def _files(root: Path) -> list[str]:
    root.mkdir()
    (root / "2208.07339_int8.txt").write_text(
        "LLM.int8()\n\nOutlier features dominate 8-bit matrix multiplication. "
        "We keep them in 16-bit.\fSecond page on vector-wise quantization."
    )
    (root / "cats.md").write_text("# Cats\n\nCats sleep most of the day.")
    (root / "bad.txt").write_bytes("caf\xe9".encode("latin-1"))
    return [str(root / "2208.07339_int8.txt"), str(root / "cats.md"), str(root / "bad.txt")]


def test_ingest_sources_search(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    files = _files(tmp_path / "in")
    result = runner.invoke(app, ["ingest", *files, "--store", store, "--json"])
    assert result.exit_code == 1  # one file failed, the others went in
    assert "bad.txt" in result.stderr and "not UTF-8" in result.stderr
    summary = json.loads(result.stdout)
    assert summary["documents_added"] == 2 and len(summary["failed"]) == 1

    again = runner.invoke(app, ["ingest", *files[:2], "--store", store])
    assert again.exit_code == 0
    assert "0 added, 2 unchanged" in again.stdout and "chunks added: 0" in again.stdout

    listed = runner.invoke(app, ["sources", "--store", store, "--json"])
    docs = {d["doc_id"]: d for d in json.loads(listed.stdout)}
    assert docs["arxiv:2208.07339"]["pages"] == 2
    assert docs["arxiv:2208.07339"]["title"] == "LLM.int8()"

    found = runner.invoke(
        app, ["search", "outliers in int8 matmul", "-k", "2", "--store", store, "--json"]
    )
    hits = json.loads(found.stdout)
    assert hits[0]["doc_id"] == "arxiv:2208.07339" and hits[0]["page"] == 1
    assert "embedding" not in hits[0]

    table = runner.invoke(app, ["search", "cats", "--store", store])
    assert table.exit_code == 0 and "cats.md" not in table.stdout and "Cats" in table.stdout


def test_sources_and_search_need_an_existing_store(tmp_path: Path) -> None:
    for args in (["sources"], ["search", "x"]):
        result = runner.invoke(app, [*args, "--store", str(tmp_path / "none")])
        assert isinstance(result.exception, StoreError)
        assert "litsynth ingest" in result.exception.one_line()
    assert not (tmp_path / "none").exists()


def test_ingest_of_only_missing_files_fails_before_creating_a_store(tmp_path: Path) -> None:
    from litsynth.errors import IngestError

    store = tmp_path / "store"
    result = runner.invoke(app, ["ingest", str(tmp_path / "absent.pdf"), "--store", str(store)])
    assert isinstance(result.exception, IngestError)
    assert "absent.pdf: no such file or directory" in result.exception.one_line()
    assert not store.exists()
