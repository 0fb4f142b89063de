"""Ingest files into a paper store: skip unchanged files by hash, parse while encoding.

Parsing and chunking (pure Python: pypdf, the sentence splitter) run in one background thread
while the main thread encodes and writes the previous file, so they hide behind MiniLM encoding
(torch releases the GIL while it computes).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

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
_Done = Callable[[Path, str], None]


def _parse(source: SourceFile, settings: ChunkSettings) -> Parsed:
    """Load a file; chunk it too unless it is JSONL (whose records are mostly unchanged).

    A JSONL file's bad lines come back as errors beside its good records.
    """
    docs, errors = load_file_lenient(source, read_bytes(source))
    if source.kind == "jsonl":
        return docs, None, errors
    return docs, {doc.doc_id: chunk_document(doc, settings) for doc in docs}, errors


def _changed_sources(
    store: PaperStore, sources: list[SourceFile], report: IngestReport, done: _Done
) -> list[SourceFile]:
    """The sources to parse: a single-document file whose hash the store already holds is not."""
    to_parse: list[SourceFile] = []
    for source in sources:
        digest = _file_hash(source.path)
        single_doc = source.kind != "jsonl"
        if single_doc and digest and store.is_unchanged(str(source.path), digest):
            report.skipped_files += 1
            report.unchanged += 1
            done(source.path, "unchanged")
        else:
            to_parse.append(source)
    return to_parse


def _first_of_each_id(
    docs: list[ParsedDocument], seen: dict[str, str], report: IngestReport
) -> list[ParsedDocument]:
    """Drop (and report) documents whose id another file of this run already used."""
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


def _store_parsed(
    store: PaperStore, to_parse: list[SourceFile], report: IngestReport, done: _Done
) -> None:
    """Parse in a background thread while the main thread encodes and writes each file."""
    seen: dict[str, str] = {}
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
                fresh = _first_of_each_id(docs, seen, report)
                for outcome in store.add_documents(fresh, chunks=chunks):
                    setattr(report, outcome.status, getattr(report, outcome.status) + 1)
                    report.chunks_added += outcome.chunks_added
                    report.chunks_removed += outcome.chunks_removed
                done(source.path, "ok")
        finally:
            for future in futures:
                future.cancel()


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

    _store_parsed(store, _changed_sources(store, sources, report, done), report, done)
    report.seconds = time.perf_counter() - started
    return report
