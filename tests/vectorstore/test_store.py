"""PaperStore: search with exact spans, idempotent and crash-safe ingest, fingerprints."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from litsynth.errors import StoreError
from litsynth.schema.documents import ParsedDocument
from litsynth.settings import StoreSettings
from litsynth.text.chunking import chunk_document
from litsynth.text.embedding import MiniLMEmbedder
from litsynth.vectorstore.store import PaperStore

MakeDoc = Callable[..., ParsedDocument]


def test_search_hits_quote_their_page_exactly(store: PaperStore, make_doc: MakeDoc) -> None:
    outcome = store.add_document(make_doc())
    assert outcome.status == "added" and outcome.chunks_added == 2
    hits = store.search("outlier features in int8 matmul", k=2, with_embeddings=True)
    assert [h.page for h in hits] == [1, 2]
    assert hits[0].score > hits[1].score
    for h in hits:
        assert store.page_text(h.doc_id, h.page)[h.char_start : h.char_end] == h.text
        assert h.embedding is not None and len(h.embedding) == 384
        assert h.authors == ["Ada Lovelace"] and h.year == 2023 and h.title == "A paper"
    assert store.search("cats", k=1)[0].embedding is None


def test_search_many_encodes_once(
    store: PaperStore, make_doc: MakeDoc, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.add_document(make_doc())
    calls: list[int] = []
    encode = store.embedder.encode

    def counting(texts):
        calls.append(len(texts))
        return encode(texts)

    monkeypatch.setattr(store.embedder, "encode", counting)
    results = store.search_many(["outliers", "cats", "warm places"], k=1)
    assert calls == [3]
    assert [r[0].page for r in results] == [1, 2, 2]


def test_second_ingest_adds_nothing(store: PaperStore, make_doc: MakeDoc) -> None:
    store.add_document(make_doc())
    before = store.fingerprint()
    again = store.add_document(make_doc())
    assert again.status == "unchanged" and again.chunks_added == 0
    assert store.fingerprint() == before
    assert store._chunks.count() == 2
    assert [d.chunks for d in store.documents()] == [2]


def test_changed_document_replaces_its_chunks(store: PaperStore, make_doc: MakeDoc) -> None:
    store.add_document(make_doc())
    before = store.fingerprint()
    changed = make_doc(pages=["Only one page about GPTQ now."], content_hash="b" * 64)
    outcome = store.add_document(changed)
    assert outcome.status == "replaced"
    assert outcome.chunks_added == 1 and outcome.chunks_removed == 2
    assert store._chunks.count() == 1 and store._pages.count() == 1
    assert store.fingerprint() != before
    [info] = store.documents()
    assert info.pages == 1 and info.content_hash == "b" * 64
    assert store.search("cats", k=5)[0].text == "Only one page about GPTQ now."


def test_new_id_from_same_source_replaces_old_document(
    store: PaperStore, make_doc: MakeDoc
) -> None:
    store.add_document(make_doc("sha256:old", source_key="/p/notes.txt"))
    outcome = store.add_document(
        make_doc("sha256:new", source_key="/p/notes.txt", content_hash="c" * 64)
    )
    assert outcome.status == "replaced" and outcome.replaced_doc_ids == ["sha256:old"]
    assert [d.doc_id for d in store.documents()] == ["sha256:new"]
    assert {h.doc_id for h in store.search("cats", k=10)} == {"sha256:new"}


def test_interrupted_ingest_leaves_invisible_orphans(store: PaperStore, make_doc: MakeDoc) -> None:
    store.add_document(make_doc())
    # Simulate a crash after new chunks and pages were written but before the record commit.
    changed = make_doc(pages=["Cats cats cats. Sleeping cats."], content_hash="d" * 64)
    chunks = chunk_document(changed)
    todo = [(changed, "crashedgen01", chunks)]
    store._write_chunks(todo, store.embedder.encode([c.text for c in chunks]))
    store._write_pages(todo)
    hits = store.search("cats", k=5)
    assert {h.chunk_id.split("|")[1] for h in hits} != {"crashedgen01"}
    assert all("Sleeping cats" not in h.text for h in hits)
    assert store.page_text("doc:1", 2).startswith("Cats sleep")
    assert store.clean_orphans() == 2
    assert store._chunks.count() == 2
    # the next ingest of the changed file completes normally
    assert store.add_document(changed).status == "replaced"


def test_reopen_sees_committed_documents(
    tmp_path: Path, embedder: MiniLMEmbedder, make_doc: MakeDoc
) -> None:
    settings = StoreSettings(path=tmp_path / "s")
    first = PaperStore.open(settings, embedder)
    first.add_document(make_doc())
    fingerprint = first.fingerprint()
    second = PaperStore.open(settings, embedder, must_exist=True)
    assert second.fingerprint() == fingerprint
    assert second.add_document(make_doc()).status == "unchanged"


def test_errors_are_store_errors(tmp_path: Path, store: PaperStore, make_doc: MakeDoc) -> None:
    with pytest.raises(StoreError, match="no documents"):
        store.search("anything")
    store.add_document(make_doc())
    with pytest.raises(StoreError, match="no document"):
        store.page_text("missing", 1)
    with pytest.raises(StoreError, match="no page 9"):
        store.page_text("doc:1", 9)
    with pytest.raises(StoreError, match="no litsynth store") as info:
        PaperStore.open(StoreSettings(path=tmp_path / "absent"), must_exist=True)
    assert "litsynth ingest" in info.value.hint
    assert not (tmp_path / "absent").exists()
    with pytest.raises(StoreError, match="duplicate"):
        store.add_documents([make_doc(), make_doc()])


def test_lead_chunks_are_the_first_pages_of_the_named_documents(
    store: PaperStore, make_doc: MakeDoc
) -> None:
    store.add_document(make_doc())
    store.add_document(make_doc("doc:2", source_key="/tmp/doc2.txt", content_hash="b" * 64))
    lead = store.lead_chunks(["doc:1"], max_page=1)
    assert [(h.doc_id, h.page) for h in lead] == [("doc:1", 1)]
    assert lead[0].embedding is not None and len(lead[0].embedding) == 384
    assert store.page_text("doc:1", 1)[lead[0].char_start : lead[0].char_end] == lead[0].text
    both = store.lead_chunks(["doc:1", "doc:2"], max_page=2)
    assert sorted((h.doc_id, h.page) for h in both) == [
        ("doc:1", 1),
        ("doc:1", 2),
        ("doc:2", 1),
        ("doc:2", 2),
    ]
    assert store.lead_chunks([], max_page=2) == [] and store.lead_chunks(["doc:1"], 0) == []
