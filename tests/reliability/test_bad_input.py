"""Bad input at every entry point: one line naming problem and fix, the store left intact."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from pypdf import PdfWriter
from typer.testing import CliRunner

from litsynth.api import check_question, research
from litsynth.cli.app import app
from litsynth.errors import ConfigError, LitsynthError, QuestionError, StoreError
from litsynth.settings import StoreSettings, load_settings
from litsynth.text.embedding import MiniLMEmbedder
from litsynth.vectorstore.store import STORE_SCHEMA, PaperStore

runner = CliRunner()
GOOD = (
    "Outlier features dominate 8-bit matrix multiplication in large language models. "
    "Keeping them in 16-bit preserves the accuracy of the quantized model."
)


def _pdf(*, encrypt: bool = False) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)  # no text layer: a scanned page
    if encrypt:
        writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _bad_batch(root: Path) -> dict[str, str]:
    """Every kind of bad file beside one good file; name -> words its error must contain."""
    root.mkdir()
    (root / "good.txt").write_text(GOOD, encoding="utf-8")
    (root / "zero.pdf").write_bytes(b"")
    (root / "truncated.pdf").write_bytes(_pdf()[:200])
    (root / "locked.pdf").write_bytes(_pdf(encrypt=True))
    (root / "scanned.pdf").write_bytes(_pdf())
    (root / "binary.pdf").write_bytes(bytes(range(256)) * 64)
    (root / "renamed.pdf").write_text("I am a text file with a .pdf name.", encoding="utf-8")
    (root / "latin1.txt").write_bytes("caf\xe9 na\xefve r\xe9sum\xe9".encode("latin-1"))
    with (root / "huge.txt").open("wb") as fh:  # 200 MB, sparse: costs no disk
        fh.truncate(200 * 1024 * 1024)
    lines = [
        json.dumps({"doc_id": "j:1", "title": "Good record", "text": GOOD}),
        '{"doc_id": "j:2", "title": broken',
        json.dumps({"doc_id": "j:3", "title": "Another good record", "text": GOOD + " Again."}),
    ]
    (root / "mixed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {
        "zero.pdf": "empty",
        "truncated.pdf": "",
        "locked.pdf": "encrypted",
        "scanned.pdf": "no extractable text",
        "binary.pdf": "not a PDF",
        "renamed.pdf": "not a PDF",
        "latin1.txt": "not UTF-8",
        "huge.txt": "binary",
        "mixed.jsonl:2": "invalid JSON",
    }


def _counts(store_dir: Path) -> tuple[int, int]:
    result = runner.invoke(app, ["sources", "--store", str(store_dir), "--json"])
    assert result.exit_code == 0, result.output
    docs = json.loads(result.stdout)
    return len(docs), sum(d["chunks"] for d in docs)


def test_a_batch_of_bad_files_fails_each_one_and_keeps_the_rest(tmp_path: Path) -> None:
    store = tmp_path / "store"
    first = tmp_path / "first.txt"
    first.write_text("Cats sleep most of the day. They like warm places.", encoding="utf-8")
    assert runner.invoke(app, ["ingest", str(first), "--store", str(store)]).exit_code == 0
    before = _counts(store)

    expected = _bad_batch(tmp_path / "in")
    result = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--store", str(store), "--json"])
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    failed = {Path(f["path"]).name: f["error"] for f in summary["failed"]}
    assert set(failed) == set(expected), failed
    for name, words in expected.items():
        assert words in failed[name], (name, failed[name])
        assert " — " in failed[name]  # every message carries a hint
    # The failures are listed on stderr after the work, one line each.
    assert [ln for ln in result.stderr.splitlines() if ln.startswith("failed:")] == [
        f"failed: {f['error']}" for f in summary["failed"]
    ]
    assert summary["documents_added"] == 3  # good.txt and the two good JSONL records
    docs, chunks = _counts(store)
    assert docs == before[0] + 3 and chunks > before[1]
    hits = runner.invoke(app, ["search", "cats sleeping", "--store", str(store), "--json"])
    assert json.loads(hits.stdout)[0]["source_path"].endswith("first.txt")


def test_text_renamed_pdf_leaves_no_store_behind(tmp_path: Path) -> None:
    fake = tmp_path / "paper.pdf"
    fake.write_text("hello, I am text", encoding="utf-8")
    store = tmp_path / "new-store"
    result = runner.invoke(app, ["ingest", str(fake), "--store", str(store)])
    assert result.exit_code == 1
    assert "not a PDF" in result.stderr
    assert not store.exists()


def test_failed_ingest_into_existing_store_keeps_it(tmp_path: Path) -> None:
    store = tmp_path / "store"
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    runner.invoke(app, ["ingest", str(good), "--store", str(store)])
    before = _counts(store)
    bad = tmp_path / "zero.txt"
    bad.write_bytes(b"")
    assert runner.invoke(app, ["ingest", str(bad), "--store", str(store)]).exit_code == 1
    assert _counts(store) == before


@pytest.mark.parametrize("command", [["sources"], ["search", "x"], ["check"], ["ingest", "X"]])
def test_store_path_that_is_a_file(tmp_path: Path, command: list[str]) -> None:
    not_a_dir = tmp_path / "store"
    not_a_dir.write_text("just a file", encoding="utf-8")
    (tmp_path / "X").write_text(GOOD, encoding="utf-8")
    args = [a if a != "X" else str(tmp_path / "X") for a in command]
    result = runner.invoke(app, [*args, "--store", str(not_a_dir)])
    assert isinstance(result.exception, StoreError)
    assert "is a file, not a directory" in result.exception.one_line()
    assert "pass --store a directory" in result.exception.one_line()
    assert not_a_dir.read_text(encoding="utf-8") == "just a file"


def test_python_api_store_path_that_is_a_file(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "store"
    not_a_dir.write_text("x", encoding="utf-8")
    with pytest.raises(StoreError, match="is a file, not a directory"):
        research("How does quantization affect accuracy?", store=not_a_dir)


def _store_with_one_doc(tmp_path: Path, embedder: MiniLMEmbedder) -> Path:
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    store = tmp_path / "store"
    assert runner.invoke(app, ["ingest", str(good), "--store", str(store)]).exit_code == 0
    return store


def test_store_written_by_a_newer_schema_is_refused(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    import chromadb

    from litsynth.vectorstore.client import forget_cached_clients

    store = _store_with_one_doc(tmp_path, embedder)
    client = chromadb.PersistentClient(path=str(store))
    docs = client.get_collection("litsynth_docs")
    docs.modify(metadata={**(docs.metadata or {}), "schema": STORE_SCHEMA + 1})
    forget_cached_clients()
    result = runner.invoke(app, ["sources", "--store", str(store)])
    assert isinstance(result.exception, StoreError)
    assert "newer litsynth" in result.exception.one_line()
    assert "upgrade litsynth" in result.exception.one_line()


class OtherEmbedder(MiniLMEmbedder):
    """Stands for a store built with another embedding model."""

    name = "other-embedding-model"


def test_store_with_another_embedding_model_is_refused(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    store = _store_with_one_doc(tmp_path, embedder)
    with pytest.raises(StoreError, match="built with the embedding model all-MiniLM") as info:
        PaperStore.open(StoreSettings(path=store), OtherEmbedder(), must_exist=True)
    assert "other-embedding-model" in info.value.message


def test_checkpoints_go_beside_the_store_not_into_the_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings(overrides={"store": {"path": str(tmp_path / "elsewhere" / "s")}})
    assert settings.checkpoint_path() == tmp_path / "elsewhere" / "s" / "checkpoints.sqlite"
    explicit = load_settings(overrides={"runs": {"checkpoints": "c.sqlite"}})
    assert explicit.checkpoint_path() == Path("c.sqlite")


@pytest.mark.parametrize(
    ("question", "words"),
    [("", "empty"), ("why?", "too short"), ("why is it so " * 2000, "characters long")],
)
def test_bad_questions(question: str, words: str) -> None:
    with pytest.raises(QuestionError, match=words) as info:
        check_question(question)
    assert info.value.hint
    result = runner.invoke(app, ["ask", question, "--store", "/nonexistent/store"])
    assert isinstance(result.exception, LitsynthError)
    assert words in result.exception.one_line()


def test_empty_search_query() -> None:
    """`litsynth search ""` used to list the chunks nearest to the empty string."""
    result = runner.invoke(app, ["search", "  ", "--store", "/nonexistent/store"])
    assert isinstance(result.exception, LitsynthError)
    assert result.exception.one_line() == (
        "the search query is empty — give the words to search for"
    )


@pytest.mark.parametrize(
    ("toml", "args", "words"),
    [
        ("", ["--preset", "fastest"], "unknown preset"),
        ("[llm]\nmodle = 'x'\n", [], "llm.modle"),
        ("[llm\n", [], "not valid TOML"),
    ],
)
def test_bad_config(tmp_path: Path, toml: str, args: list[str], words: str) -> None:
    cfg = tmp_path / "litsynth.toml"
    cfg.write_text(toml, encoding="utf-8")
    result = runner.invoke(app, ["sources", "--config", str(cfg), *args])
    assert isinstance(result.exception, ConfigError)
    assert words in result.exception.one_line()


def test_missing_paths_fail_before_a_store_is_made(tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = runner.invoke(app, ["ingest", str(tmp_path / "nope.pdf"), "--store", str(store)])
    assert isinstance(result.exception, LitsynthError)
    assert "no such file" in result.exception.one_line()
    assert not store.exists()


def _hash_vectors(self: MiniLMEmbedder, texts: list[str]) -> np.ndarray:
    """A cheap stand-in for MiniLM: this test is about 10,000 files, not about embeddings."""
    rows = [np.random.default_rng(abs(hash(t)) % 2**32).standard_normal(384) for t in texts]
    out = np.asarray(rows, dtype=np.float32).reshape(len(texts), 384)
    return out / np.linalg.norm(out, axis=1, keepdims=True).clip(1e-9)


MANY_FILES = 10_000


def test_a_directory_of_many_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The issue's 10,000 files (the ingest writes 256 files per Chroma call): measured 56 s
    with the hash stand-in, on 2 cores shared with other jobs (load average about 10)."""
    monkeypatch.setattr(MiniLMEmbedder, "encode", _hash_vectors)
    root = tmp_path / "many"
    root.mkdir()
    for i in range(MANY_FILES):
        (root / f"n{i:05d}.txt").write_text(
            f"Note {i} says that topic {i % 97} matters.", encoding="utf-8"
        )
    store = tmp_path / "store"
    result = runner.invoke(app, ["ingest", str(root), "--store", str(store), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["documents_added"] == MANY_FILES
    assert _counts(store) == (MANY_FILES, MANY_FILES)
