"""Ingest files into a paper store: skip unchanged files by hash, parse while encoding.

Parsing and chunking (pure Python: pypdf, the sentence splitter) run in one background thread
while the main thread encodes and writes the files before, so they hide behind MiniLM encoding
(torch releases the GIL while it computes). Files are written in batches (see ``_Batch``).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from litsynth.errors import IngestError
from litsynth.ingest.dispatch import SourceFile, discover, load_file_lenient, read_bytes
from litsynth.schema.documents import ParsedDocument
from litsynth.settings import ChunkSettings
from litsynth.text.chunking import Chunk, chunk_document

if TYPE_CHECKING:
    from litsynth.vectorstore.store import PaperStore


@dataclass
class IngestReport:
    """What one ingest run did."""

    files: int = 0
    added: int = 0
    unchanged: int = 0
    replaced: int = 0
    chunks_added: int = 0
    chunks_removed: int = 0
    skipped_files: int = 0
    orphans_removed: int = 0
    failed: list[IngestError] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        """JSON-ready summary."""
        return {
            "files": self.files,
            "documents_added": self.added,
            "documents_unchanged": self.unchanged,
            "documents_replaced": self.replaced,
            "chunks_added": self.chunks_added,
            "chunks_removed": self.chunks_removed,
            "skipped_files": self.skipped_files,
            "orphans_removed": self.orphans_removed,
            "failed": [{"path": e.path, "error": e.one_line()} for e in self.failed],
            "seconds": round(self.seconds, 3),
        }


def _file_hash(path: Path) -> str | None:
    try:
        with path.open("rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None  # the loader reports the error with a hint


Parsed = tuple[list[ParsedDocument], dict[str, list[Chunk]] | None, list[IngestError]]


def _parse(source: SourceFile, settings: ChunkSettings) -> Parsed:
    """Load a file; chunk it too unless it is JSONL (whose records are mostly unchanged).

    A JSONL file's bad lines come back as errors beside its good records.
    """
    docs, errors = load_file_lenient(source, read_bytes(source))
    if source.kind == "jsonl":
        return docs, None, errors
    return docs, {doc.doc_id: chunk_document(doc, settings) for doc in docs}, errors


def _unseen(
    docs: list[ParsedDocument], seen: dict[str, str], report: IngestReport
) -> list[ParsedDocument]:
    """The documents whose id no other file of this run gave; the others are failures."""
    fresh: list[ParsedDocument] = []
    for doc in docs:
        other = seen.get(doc.doc_id)
        if other is not None and other != doc.source_key:
            report.failed.append(
                IngestError(
                    doc.source_key,
                    f"same document id {doc.doc_id} as {other}",
                    hint="ingest only one of the two files",
                )
            )
            continue
        seen[doc.doc_id] = doc.source_key
        fresh.append(doc)
    return fresh


@dataclass
class _Batch:
    """Parsed files waiting to be written together: each Chroma write costs tens of
    milliseconds whatever its size, so a directory of small files is written in batches."""

    max_docs: ClassVar[int] = 256
    max_chunks: ClassVar[int] = 1024
    paths: list[Path] = field(default_factory=list)
    docs: list[ParsedDocument] = field(default_factory=list)
    chunks: dict[str, list[Chunk]] = field(default_factory=dict)
    n_chunks: int = 0

    def add(
        self, path: Path, docs: list[ParsedDocument], chunks: dict[str, list[Chunk]] | None
    ) -> None:
        self.paths.append(path)
        self.docs.extend(docs)
        for doc in docs:  # JSONL records come unchunked: the store chunks what changed
            made = (chunks or {}).get(doc.doc_id)
            if made is not None:
                self.chunks[doc.doc_id] = made
                self.n_chunks += len(made)

    def full(self) -> bool:
        return len(self.docs) >= self.max_docs or self.n_chunks >= self.max_chunks

    def write(
        self, store: PaperStore, report: IngestReport, done: Callable[[Path, str], None]
    ) -> None:
        """Write the batch in one store call, count its outcomes, and start a new one."""
        for outcome in store.add_documents(self.docs, chunks=self.chunks):
            setattr(report, outcome.status, getattr(report, outcome.status) + 1)
            report.chunks_added += outcome.chunks_added
            report.chunks_removed += outcome.chunks_removed
        for path in self.paths:
            done(path, "ok")
        self.paths, self.docs, self.chunks, self.n_chunks = [], [], {}, 0


def ingest_paths(
    store: PaperStore,
    paths: Iterable[Path],
    *,
    on_total: Callable[[int], None] | None = None,
    on_file: Callable[[Path, str], None] | None = None,
) -> IngestReport:
    """Ingest every supported file under ``paths``; a bad file is reported, not fatal."""
    started = time.perf_counter()
    report = IngestReport()
    sources, errors = discover(paths)
    report.failed.extend(errors)
    report.files = len(sources)
    if on_total is not None:
        on_total(len(sources))
    report.orphans_removed = store.clean_orphans()

    def done(path: Path, status: str) -> None:
        if on_file is not None:
            on_file(path, status)

    digests = {
        str(source.path): digest
        for source in sources
        if source.kind != "jsonl" and (digest := _file_hash(source.path))
    }  # a JSONL file holds many documents: each record is checked by the store
    unchanged = store.unchanged_sources(digests)
    to_parse: list[SourceFile] = []
    for source in sources:
        if str(source.path) in unchanged:
            report.skipped_files += 1
            report.unchanged += 1
            done(source.path, "unchanged")
        else:
            to_parse.append(source)

    seen: dict[str, str] = {}
    batch = _Batch()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="litsynth-parse") as pool:
        futures: list[Future[Parsed]] = [
            pool.submit(_parse, source, store.chunking) for source in to_parse
        ]
        try:
            for source, future in zip(to_parse, futures, strict=True):
                try:
                    docs, chunks, line_errors = future.result()
                except IngestError as exc:
                    report.failed.append(exc)
                    done(source.path, "failed")
                    continue
                report.failed.extend(line_errors)
                batch.add(source.path, _unseen(docs, seen, report), chunks)
                if batch.full():
                    batch.write(store, report, done)
            batch.write(store, report, done)
        finally:
            for future in futures:
                future.cancel()
    report.seconds = time.perf_counter() - started
    return report
