"""The paper store: chunks with embeddings, exact page texts and document records in Chroma.

Three collections (``<prefix>_chunks``, ``<prefix>_pages``, ``<prefix>_docs``). Writes are
crash-safe without transactions: a new version of a document is written under a fresh
generation id (chunks, then pages), then its document record is upserted as the commit marker,
then older generations are deleted. Readers only trust chunks and pages whose generation the
record names, so an interrupted ingest leaves invisible orphans that ``clean_orphans`` removes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from litsynth.errors import StoreError
from litsynth.schema.documents import ParsedDocument
from litsynth.settings import ChunkSettings, StoreSettings
from litsynth.text.chunking import Chunk, chunk_document, chunker_version
from litsynth.text.embedding import MiniLMEmbedder, get_embedder
from litsynth.vectorstore.disk import disk_error
from litsynth.vectorstore.generation import read_generation, renew_generation
from litsynth.vectorstore.models import DocumentInfo, Hit, IngestOutcome, StoreCheck

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection
    from chromadb.api.types import Where


# Pages and document records are never searched by vector; a constant keeps them cheap.
def _placeholders(n: int) -> np.ndarray:
    return np.ones((n, 1), dtype=np.float32)


logger = logging.getLogger(__name__)
_SEARCH_MARGIN = 8
STORE_SCHEMA = 1
"""Layout version written into every collection's metadata; a newer one is refused."""


def _batches(n: int, size: int) -> Iterator[slice]:
    for start in range(0, n, size):
        yield slice(start, min(n, start + size))


def _page_id(doc_id: str, gen: str, page: int) -> str:
    return f"{doc_id}|{gen}|p{page}"


def _hit(chunk_id: str, meta: Mapping[str, Any], text: str, score: float, emb: Any) -> Hit:
    """A chunk as returned to callers, from its Chroma record."""
    return Hit(
        chunk_id=chunk_id,
        doc_id=str(meta["doc_id"]),
        title=str(meta["title"]),
        page=int(meta["page"]),
        char_start=int(meta["char_start"]),
        char_end=int(meta["char_end"]),
        text=text,
        score=score,
        section=str(meta["section"]) if meta.get("section") else None,
        authors=json.loads(str(meta.get("authors", "[]"))),
        year=int(meta["year"]) if meta.get("year") is not None else None,
        source_path=str(meta["source_path"]),
        embedding=[float(x) for x in emb] if emb is not None else None,
    )


def _chunk_id(doc_id: str, gen: str, index: int) -> str:
    return f"{doc_id}|{gen}|c{index}"


class PaperStore:
    """Search and ingest over one Chroma store (embedded directory or server)."""

    def __init__(
        self,
        client: ClientAPI,
        settings: StoreSettings,
        embedder: MiniLMEmbedder,
        chunking: ChunkSettings | None = None,
    ) -> None:
        from litsynth.vectorstore.chroma_ef import MiniLMEmbeddingFunction

        self.settings = settings
        self.embedder = embedder
        self.chunking = chunking or ChunkSettings()
        self.chunker = chunker_version(self.chunking)
        self.embedding_function = MiniLMEmbeddingFunction(embedder)
        self._connect(client)
        self._generation = self._read_generation()

    def _connect(self, client: ClientAPI) -> None:
        self._client = client
        self._chunks = self._collection("chunks")
        self._pages = self._collection("pages")
        self._docs = self._collection("docs")
        self._max_batch = max(1, min(client.get_max_batch_size(), 4096))
        self._committed_cache: dict[str, dict[str, Any]] | None = None

    def _read_generation(self) -> str | None:
        """The embedded store's generation token; None for a Chroma server (always current)."""
        return None if self.settings.chroma_url else read_generation(Path(self.settings.path))

    def _refresh(self) -> None:
        """Open the store again when another process wrote it since this one was opened."""
        now = self._read_generation()
        if now == self._generation:
            return
        from litsynth.vectorstore.client import open_client

        logger.info("store %s changed on disk; opening it again", self.settings.path)
        self._connect(open_client(self.settings))
        self._generation = now

    @classmethod
    def open(
        cls,
        settings: StoreSettings,
        embedder: MiniLMEmbedder | None = None,
        *,
        chunking: ChunkSettings | None = None,
        must_exist: bool = False,
    ) -> PaperStore:
        """Open (or create) the store the settings name; ``must_exist`` refuses a new one."""
        from litsynth.vectorstore.client import open_client

        client = open_client(settings, must_exist=must_exist)
        return cls(client, settings, embedder or get_embedder(), chunking)

    @classmethod
    @contextmanager
    def open_for_writing(
        cls,
        settings: StoreSettings,
        embedder: MiniLMEmbedder | None = None,
        *,
        chunking: ChunkSettings | None = None,
        on_wait: Callable[[], None] | None = None,
    ) -> Iterator[PaperStore]:
        """Open the store as its only writer: waits for any other writer first.

        An embedded store is locked (``vectorstore/lock.py``) before its client is opened, and
        the process's cached Chroma system is dropped so the index is read after the previous
        writer's last change. A Chroma server serialises writes itself.
        """
        if settings.chroma_url:
            yield cls.open(settings, embedder, chunking=chunking)
            return
        from litsynth.vectorstore.client import forget_cached_clients, prepare_directory
        from litsynth.vectorstore.lock import writer_lock

        path = Path(settings.path)
        prepare_directory(path)
        with writer_lock(path, on_wait=on_wait):
            forget_cached_clients()
            yield cls.open(settings, embedder, chunking=chunking)

    def _collection(self, kind: str) -> Collection:
        collection = self._client.get_or_create_collection(
            f"{self.settings.collection}_{kind}",
            embedding_function=self.embedding_function,  # type: ignore[arg-type]
            configuration={"hnsw": {"space": "cosine"}},
            metadata={
                "litsynth": kind,
                "schema": STORE_SCHEMA,
                "embedder": self.embedder.name,
                "dim": self.embedder.dim,
            },
        )
        self._check_stamp(dict(collection.metadata or {}))
        return collection

    def _check_stamp(self, meta: Mapping[str, Any]) -> None:
        """Refuse a store written by a newer litsynth or with another embedding model."""
        where = self.settings.chroma_url or str(self.settings.path)
        schema = int(meta.get("schema", STORE_SCHEMA))
        if schema > STORE_SCHEMA:
            raise StoreError(
                f"the store at {where} was written by a newer litsynth (store schema {schema}, "
                f"this version reads {STORE_SCHEMA})",
                hint="upgrade litsynth, or use another --store",
            )
        name = str(meta.get("embedder", self.embedder.name))
        dim = int(meta.get("dim", self.embedder.dim))
        if name != self.embedder.name or dim != self.embedder.dim:
            raise StoreError(
                f"the store at {where} was built with the embedding model {name} ({dim} dims), "
                f"not the configured {self.embedder.name} ({self.embedder.dim} dims)",
                hint="use the same embedding model, or ingest into a new --store",
            )

    # ----- reading -------------------------------------------------------------------------

    def _committed(self, refresh: bool = False) -> dict[str, dict[str, Any]]:
        """doc_id -> document record metadata, for every committed document."""
        if self._committed_cache is None or refresh:
            got = self._docs.get(include=["metadatas"])
            metas = got["metadatas"] or []
            self._committed_cache = {
                doc_id: dict(meta) for doc_id, meta in zip(got["ids"], metas, strict=True) if meta
            }
        return self._committed_cache

    def documents(self) -> list[DocumentInfo]:
        """Every committed document, sorted by id, with the chunks and pages the store holds.

        The counts are read from the chunk and page collections, not from the record, so a
        document that lost parts shows it (``litsynth check`` repairs it).
        """
        records = sorted(self._committed(refresh=True).items())
        chunks = self._held(self._chunks)
        pages = self._held(self._pages)
        return [
            _doc_info(doc_id, meta, chunks.get(doc_id, 0), pages.get(doc_id, 0))
            for doc_id, meta in records
        ]

    def _held(self, collection: Collection) -> dict[str, int]:
        """doc_id -> entries of its committed generation that ``collection`` holds."""
        committed = self._committed()
        counts: dict[str, int] = {}
        got = collection.get(include=["metadatas"])
        for meta in got["metadatas"] or []:
            doc_id = str((meta or {}).get("doc_id"))
            if meta and committed.get(doc_id, {}).get("gen") == meta.get("gen"):
                counts[doc_id] = counts.get(doc_id, 0) + 1
        return counts

    def check(self, *, repair: bool = False) -> StoreCheck:
        """Compare every document record with the chunks and pages the store holds.

        With ``repair``: orphans are deleted; a document whose pages are all there but whose
        chunks are not is chunked and embedded again from its stored pages; a document with
        missing pages loses its record (re-ingest its file) so nothing half-there is searched.
        """
        records = self._committed(refresh=True)
        chunks, pages = self._held(self._chunks), self._held(self._pages)
        short_chunks = sorted(d for d, m in records.items() if chunks.get(d, 0) != int(m["chunks"]))
        short_pages = sorted(d for d, m in records.items() if pages.get(d, 0) != int(m["pages"]))
        orphans = self._chunks.count() + self._pages.count() - sum(chunks.values())
        orphans -= sum(pages.values())
        result = StoreCheck(
            documents=len(records),
            chunks=sum(chunks.values()),
            pages=sum(pages.values()),
            orphans=orphans,
            missing_chunks=[d for d in short_chunks if d not in short_pages],
            missing_pages=short_pages,
        )
        if not repair or result.ok:
            return result
        removed = self.clean_orphans()
        rechunked = [self._rechunk(d, records[d]) for d in result.missing_chunks]
        with self._writing():
            if result.missing_pages:
                self._docs.delete(ids=result.missing_pages)
                self._delete_old(dict.fromkeys(result.missing_pages))
        self._committed_cache = None
        return result.model_copy(
            update={"repaired": True, "orphans_removed": removed, "rechunked": rechunked}
        )

    def _rechunk(self, doc_id: str, meta: Mapping[str, Any]) -> str:
        """Write ``doc_id`` again (new generation) from its stored pages."""
        gen = str(meta["gen"])
        ids = [_page_id(doc_id, gen, n) for n in range(1, int(meta["pages"]) + 1)]
        got = self._pages.get(ids=ids, include=["documents"])
        by_id = dict(zip(got["ids"], got["documents"] or [], strict=True))
        doc = ParsedDocument(
            doc_id=doc_id,
            title=str(meta["title"]),
            authors=json.loads(str(meta.get("authors", "[]"))),
            year=int(meta["year"]) if meta.get("year") is not None else None,
            source_path=str(meta["source_path"]),
            source_key=str(meta["source_key"]),
            content_hash=str(meta["content_hash"]) + "+rechunk",
            pages=[by_id[i] or "" for i in ids],
        )
        self.add_documents([doc])
        # Keep the file's own hash so an unchanged file is still recognised on the next ingest.
        fixed = {**self._records([doc_id])[doc_id], "content_hash": str(meta["content_hash"])}
        self._docs.update(ids=[doc_id], metadatas=[fixed])
        return doc_id

    def fingerprint(self) -> str:
        """Stable hash of the (doc_id, content_hash, chunker version) set."""
        lines = sorted(
            f"{doc_id}\t{meta['content_hash']}\t{meta['chunker']}"
            for doc_id, meta in self._committed(refresh=True).items()
        )
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()

    def page_text(self, doc_id: str, page: int) -> str:
        """The exact stored text of a document's page (1-based) that chunk spans index."""
        meta = self._committed().get(doc_id) or self._committed(refresh=True).get(doc_id)
        if meta is None:
            raise StoreError(f"no document {doc_id!r} in the store", hint="see `litsynth sources`")
        if not 1 <= page <= int(meta["pages"]):
            raise StoreError(
                f"{doc_id} has no page {page} (pages 1-{meta['pages']})", hint="check the page"
            )
        got = self._pages.get(ids=[_page_id(doc_id, str(meta["gen"]), page)], include=["documents"])
        docs = got["documents"] or []
        if not docs or docs[0] is None:
            raise StoreError(
                f"page {page} of {doc_id} is missing from the store",
                hint="re-ingest the document",
            )
        return docs[0]

    def search(self, query: str, k: int = 8, *, with_embeddings: bool = False) -> list[Hit]:
        """The ``k`` chunks most similar to ``query`` (cosine), best first."""
        return self.search_many([query], k, with_embeddings=with_embeddings)[0]

    def search_many(
        self, queries: Sequence[str], k: int = 8, *, with_embeddings: bool = False
    ) -> list[list[Hit]]:
        """Top ``k`` chunks for each query, with one batched encode for all queries."""
        if not queries:
            return []
        total = self._chunks.count()
        if total == 0:
            raise StoreError("the store has no documents", hint="run `litsynth ingest PATH...`")
        vectors = self.embedder.encode(list(queries))
        self._refresh()
        committed = self._committed()
        n = min(total, k + _SEARCH_MARGIN)
        while True:
            results = self._query(vectors, n, with_embeddings)
            if any(h.doc_id not in committed for hits in results for h in hits):
                committed = self._committed(refresh=True)
            kept = [
                [h for h, gen in hits if committed.get(h.doc_id, {}).get("gen") == gen][:k]
                for hits in self._with_generations(results)
            ]
            if n >= total or all(len(hits) >= k for hits in kept):
                return kept
            n = min(total, n * 2)

    def _query(self, vectors: np.ndarray, n: int, with_embeddings: bool) -> list[list[Hit]]:
        include: list[Any] = ["documents", "metadatas", "distances"]
        if with_embeddings:
            include.append("embeddings")
        res = self._chunks.query(query_embeddings=vectors, n_results=n, include=include)
        out: list[list[Hit]] = []
        for qi, ids in enumerate(res["ids"]):
            metas = (res["metadatas"] or [])[qi]
            docs = (res["documents"] or [])[qi]
            dists = (res["distances"] or [])[qi]
            embs = None
            if with_embeddings and res["embeddings"] is not None:
                embs = res["embeddings"][qi]
            hits = [
                _hit(
                    chunk_id,
                    metas[j],
                    docs[j] or "",
                    1.0 - float(dists[j]),
                    embs[j] if embs is not None else None,
                )
                for j, chunk_id in enumerate(ids)
            ]
            out.append(hits)
        return out

    def lead_chunks(self, doc_ids: Sequence[str], max_page: int) -> list[Hit]:
        """The chunks of the first ``max_page`` pages of each document (abstract, introduction:
        where papers state their main findings), with embeddings; ``score`` is 0, the caller
        ranks them."""
        if not doc_ids or max_page < 1:
            return []
        committed = self._committed()
        clauses = [{"doc_id": {"$in": list(doc_ids)}}, {"page": {"$lte": max_page}}]
        where = cast("Where", {"$and": clauses})
        got = self._chunks.get(
            where=where,
            include=["documents", "metadatas", "embeddings"],
        )
        metas, docs, embs = got["metadatas"] or [], got["documents"] or [], got["embeddings"]
        hits = [
            _hit(chunk_id, metas[j], docs[j] or "", 0.0, embs[j] if embs is not None else None)
            for j, chunk_id in enumerate(got["ids"])
        ]
        return [
            h
            for h, gen in self._with_generations([hits])[0]
            if committed.get(h.doc_id, {}).get("gen") == gen
        ]

    @staticmethod
    def _with_generations(results: list[list[Hit]]) -> list[list[tuple[Hit, str]]]:
        return [[(h, h.chunk_id.split("|")[-2]) for h in hits] for hits in results]

    # ----- writing -------------------------------------------------------------------------

    def unchanged_sources(self, hashes: Mapping[str, str]) -> set[str]:
        """The source keys whose committed document has the given content hash and this
        chunker version (one query per batch of keys)."""
        keys = sorted(hashes)
        found: set[str] = set()
        for part in _batches(len(keys), self._max_batch):
            for meta in self._records_by_source(keys[part]).values():
                key = str(meta["source_key"])
                if meta["content_hash"] == hashes.get(key) and meta["chunker"] == self.chunker:
                    found.add(key)
        return found

    def add_document(self, doc: ParsedDocument) -> IngestOutcome:
        """Add, replace or skip one document (see :meth:`add_documents`)."""
        return self.add_documents([doc])[0]

    def add_documents(
        self,
        docs: Sequence[ParsedDocument],
        *,
        chunks: Mapping[str, list[Chunk]] | None = None,
    ) -> list[IngestOutcome]:
        """Add new documents, replace changed ones, skip unchanged ones; one batched encode.

        ``chunks`` may hold chunks made beforehand with this store's chunk settings (by doc id),
        so a pipeline can chunk in another thread.
        """
        ids = [d.doc_id for d in docs]
        if len(set(ids)) != len(ids):
            raise StoreError("duplicate doc_id in one batch", hint="give each document its own id")
        if not docs:
            return []
        existing = self._records(ids)
        by_source = self._records_by_source([d.source_key for d in docs])
        outcomes: dict[str, IngestOutcome] = {}
        todo: list[tuple[ParsedDocument, str, list[Chunk]]] = []
        for doc in docs:
            old = existing.get(doc.doc_id)
            if old and old["content_hash"] == doc.content_hash and old["chunker"] == self.chunker:
                outcomes[doc.doc_id] = IngestOutcome(doc_id=doc.doc_id, status="unchanged")
                continue
            made = chunks.get(doc.doc_id) if chunks is not None else None
            if made is None:
                made = chunk_document(doc, self.chunking)
            todo.append((doc, uuid.uuid4().hex[:12], made))
        if todo:
            texts = [c.text for _, _, doc_chunks in todo for c in doc_chunks]
            vectors = self.embedder.encode(texts)
            with self._writing():
                self._write_chunks(todo, vectors)
                self._write_pages(todo)
                self._write_records(todo)
                replaced = self._replaced(todo, by_source)
                gone = sorted({other for others in replaced.values() for other in others})
                if gone:
                    self._docs.delete(ids=gone)
                keep: dict[str, str | None] = dict.fromkeys(gone)
                keep.update((doc.doc_id, gen) for doc, gen, _ in todo)
                removed = self._delete_old(keep)
            for doc, _, doc_chunks in todo:
                others = replaced[doc.doc_id]
                outcomes[doc.doc_id] = IngestOutcome(
                    doc_id=doc.doc_id,
                    status="replaced" if doc.doc_id in existing or others else "added",
                    chunks_added=len(doc_chunks),
                    chunks_removed=sum(removed.get(d, 0) for d in [doc.doc_id, *others]),
                    replaced_doc_ids=others,
                )
            self._committed_cache = None
        return [outcomes[d.doc_id] for d in docs]

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Turn a full disk into a StoreError; the record is written last, so nothing half-done
        is visible and the next ingest removes the orphans."""
        try:
            yield
        except Exception as exc:
            mapped = disk_error(exc, self.settings.chroma_url or str(self.settings.path))
            if mapped is None:
                raise
            raise mapped from exc
        finally:
            self._renew_generation()

    def _renew_generation(self) -> None:
        """Tell readers in other processes that the store changed (embedded stores only)."""
        if self.settings.chroma_url:
            return
        from litsynth.vectorstore.client import mark_current

        path = Path(self.settings.path)
        self._generation = renew_generation(path)
        mark_current(path, self._generation)

    def _records(self, doc_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        got = self._docs.get(ids=list(doc_ids), include=["metadatas"])
        metas = got["metadatas"] or []
        return {i: dict(m) for i, m in zip(got["ids"], metas, strict=True) if m}

    def _records_by_source(self, keys: Sequence[str]) -> dict[str, dict[str, Any]]:
        where: Any = {"source_key": {"$in": list(keys)}}
        got = self._docs.get(where=where, include=["metadatas"])
        metas = got["metadatas"] or []
        return {i: dict(m) for i, m in zip(got["ids"], metas, strict=True) if m}

    def _write_chunks(
        self, todo: Sequence[tuple[ParsedDocument, str, list[Chunk]]], vectors: np.ndarray
    ) -> None:
        ids: list[str] = []
        metas: list[dict[str, Any]] = []
        texts: list[str] = []
        for doc, gen, chunks in todo:
            base = _doc_meta(doc, gen)
            for c in chunks:
                ids.append(_chunk_id(doc.doc_id, gen, c.index))
                texts.append(c.text)
                meta = {
                    **base,
                    "page": c.page,
                    "char_start": c.char_start,
                    "char_end": c.char_end,
                    "n_tokens": c.n_tokens,
                    "chunker": self.chunker,
                }
                if c.section:
                    meta["section"] = c.section
                metas.append(meta)
        for part in _batches(len(ids), self._max_batch):
            self._chunks.add(
                ids=ids[part],
                embeddings=vectors[part],
                documents=texts[part],
                metadatas=metas[part],  # type: ignore[arg-type]
            )

    def _write_pages(self, todo: Sequence[tuple[ParsedDocument, str, list[Chunk]]]) -> None:
        ids: list[str] = []
        texts: list[str] = []
        metas: list[dict[str, Any]] = []
        for doc, gen, _ in todo:
            for page_no, text in enumerate(doc.pages, start=1):
                ids.append(_page_id(doc.doc_id, gen, page_no))
                texts.append(text)
                metas.append({"doc_id": doc.doc_id, "gen": gen, "page": page_no})
        for part in _batches(len(ids), self._max_batch):
            n = part.stop - part.start
            self._pages.add(
                ids=ids[part],
                embeddings=_placeholders(n),
                documents=texts[part],
                metadatas=metas[part],  # type: ignore[arg-type]
            )

    def _write_records(self, todo: Sequence[tuple[ParsedDocument, str, list[Chunk]]]) -> None:
        for part in _batches(len(todo), self._max_batch):
            rows = todo[part]
            self._docs.upsert(
                ids=[doc.doc_id for doc, _, _ in rows],
                embeddings=_placeholders(len(rows)),
                documents=[doc.title for doc, _, _ in rows],
                metadatas=[
                    {
                        **_doc_meta(doc, gen),
                        "source_key": doc.source_key,
                        "content_hash": doc.content_hash,
                        "chunker": self.chunker,
                        "pages": len(doc.pages),
                        "chunks": len(chunks),
                    }
                    for doc, gen, chunks in rows
                ],
            )

    @staticmethod
    def _replaced(
        todo: Sequence[tuple[ParsedDocument, str, list[Chunk]]],
        by_source: Mapping[str, Mapping[str, Any]],
    ) -> dict[str, list[str]]:
        """doc_id -> committed documents from the same source file under another id."""
        written = {doc.doc_id for doc, _, _ in todo}
        return {
            doc.doc_id: [
                other
                for other, meta in by_source.items()
                if meta["source_key"] == doc.source_key and other not in written
            ]
            for doc, _, _ in todo
        }

    def _delete_old(self, keep: Mapping[str, str | None]) -> dict[str, int]:
        """Delete the chunks and pages of these documents but the generation ``keep`` names
        (None: all), with one query per collection; returns the chunks removed per document."""
        ids = sorted(keep)
        removed: dict[str, int] = {}
        for collection in (self._chunks, self._pages):
            stale: list[str] = []
            for part in _batches(len(ids), self._max_batch):
                where: Any = {"doc_id": {"$in": ids[part]}}
                got = collection.get(where=where, include=["metadatas"])
                for entry, meta in zip(got["ids"], got["metadatas"] or [], strict=True):
                    doc_id = str((meta or {}).get("doc_id"))
                    if meta is None or meta.get("gen") != keep.get(doc_id):
                        stale.append(entry)
                        if collection is self._chunks:
                            removed[doc_id] = removed.get(doc_id, 0) + 1
            for part in _batches(len(stale), self._max_batch):
                collection.delete(ids=stale[part])
        return removed

    def clean_orphans(self) -> int:
        """Delete chunks and pages no committed record names (left by an interrupted ingest)."""
        with self._writing():
            return self._clean_orphans()

    def _clean_orphans(self) -> int:
        committed = {d: str(m["gen"]) for d, m in self._committed(refresh=True).items()}
        removed = 0
        for collection in (self._chunks, self._pages):
            got = collection.get(include=["metadatas"])
            metas = got["metadatas"] or []
            stale = [
                i
                for i, m in zip(got["ids"], metas, strict=True)
                if not m or committed.get(str(m.get("doc_id"))) != m.get("gen")
            ]
            for part in _batches(len(stale), self._max_batch):
                collection.delete(ids=stale[part])
            removed += len(stale)
        return removed


def _doc_meta(doc: ParsedDocument, gen: str) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "doc_id": doc.doc_id,
        "gen": gen,
        "title": doc.title,
        "authors": json.dumps(doc.authors, ensure_ascii=False),
        "source_path": doc.source_path,
    }
    if doc.year is not None:
        meta["year"] = doc.year
    return meta


def _doc_info(doc_id: str, meta: dict[str, Any], chunks: int, pages: int) -> DocumentInfo:
    return DocumentInfo(
        doc_id=doc_id,
        title=str(meta["title"]),
        authors=json.loads(str(meta.get("authors", "[]"))),
        year=int(meta["year"]) if meta.get("year") is not None else None,
        source_path=str(meta["source_path"]),
        content_hash=str(meta["content_hash"]),
        pages=pages,
        chunks=chunks,
    )
