"""The .txt/.md loader: decode, normalize each page (``litsynth.text.pages``), identify."""

from __future__ import annotations

from pathlib import Path

from litsynth.errors import IngestError
from litsynth.ingest.metadata import content_hash, doc_identity
from litsynth.schema.documents import ParsedDocument
from litsynth.text.pages import normalize_page


def decode_text(path: Path, data: bytes) -> str:
    """UTF-8 text of a file's bytes, or an IngestError saying it is binary or another encoding."""
    if not data.strip():
        raise IngestError(str(path), "file is empty", hint="remove it or add text to it")
    if b"\x00" in data[:8192]:
        raise IngestError(
            str(path), "looks like a binary file", hint="pass PDF, .txt, .md or .jsonl files"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(
            str(path),
            f"not UTF-8 text (bad byte at offset {exc.start})",
            hint="convert it, e.g. `iconv -f latin1 -t utf-8 FILE > FILE.utf8.txt`",
        ) from exc


def _title_from_text(text: str, fallback: str) -> str:
    for line in text.split("\n"):
        line = line.strip()
        if line:
            return (line.lstrip("#").strip() or fallback)[:200]
    return fallback


def load_text(path: Path, data: bytes) -> ParsedDocument:
    """A .txt/.md file as one document; form feeds (as pdftotext writes) separate pages."""
    text = decode_text(path, data)
    pages = [normalize_page(part) for part in text.split("\f")]
    while len(pages) > 1 and not pages[-1]:
        pages.pop()
    if not any(pages):
        raise IngestError(str(path), "file has no text", hint="remove it or add text to it")
    digest = content_hash(data)
    doc_id, year = doc_identity(path.name, pages[0], digest)
    return ParsedDocument(
        doc_id=doc_id,
        title=_title_from_text(text, path.stem),
        year=year,
        source_path=str(path),
        source_key=str(path),
        content_hash=digest,
        pages=pages,
    )
