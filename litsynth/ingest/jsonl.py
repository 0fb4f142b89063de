"""JSONL loader: one record per line, each record one single-page document.

A record needs ``title`` and ``abstract`` or ``text``; ``abstract`` may be a list of sentences
(SciFact's corpus format). The id comes from ``doc_id``, ``id`` or ``arxiv_id`` (as
``arxiv:<id>``), else from the record's content hash. ``authors`` (list or string), ``year`` or
``published``, and ``source_url`` are kept when present.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from litsynth.errors import IngestError
from litsynth.ingest.metadata import content_hash, year_of
from litsynth.ingest.text import decode_text
from litsynth.schema.documents import ParsedDocument
from litsynth.text.pages import normalize_page


def _text_of(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(str(part).strip() for part in value if str(part).strip())
    return str(value) if value is not None else ""


def _authors(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(a).strip() for a in value if str(a).strip()]
    if isinstance(value, str) and value.strip():
        return [a.strip() for a in value.replace(" and ", ",").split(",") if a.strip()]
    return []


def _doc_id(record: dict[str, Any], digest: str) -> str:
    for key in ("doc_id", "id"):
        value = record.get(key)
        if value is not None and str(value).strip():
            return str(value).strip()
    if record.get("arxiv_id"):
        return f"arxiv:{str(record['arxiv_id']).strip()}"
    return f"sha256:{digest[:16]}"


def _year(record: dict[str, Any]) -> int | None:
    value = record.get("year")
    if isinstance(value, int):
        return value
    return year_of(str(value)) if value is not None else year_of(str(record.get("published", "")))


def record_document(path: Path, line_no: int, record: Any) -> ParsedDocument:
    """One JSONL record as a single-page document."""
    where = f"{path}:{line_no}"
    if not isinstance(record, dict):
        raise IngestError(where, "record is not a JSON object", hint="one JSON object per line")
    body = normalize_page(_text_of(record.get("abstract", record.get("text"))))
    if not body:
        raise IngestError(
            where, "record has no 'abstract' or 'text'", hint="add the text or drop the line"
        )
    digest = content_hash(json.dumps(record, sort_keys=True, ensure_ascii=False).encode())
    doc_id = _doc_id(record, digest)
    title = " ".join(_text_of(record.get("title")).split()) or doc_id
    source = str(record.get("source_url") or path)
    return ParsedDocument(
        doc_id=doc_id,
        title=title,
        authors=_authors(record.get("authors")),
        year=_year(record),
        source_path=source,
        source_key=f"{path}#{doc_id}",
        content_hash=digest,
        pages=[body],
    )


def load_jsonl(path: Path, data: bytes) -> list[ParsedDocument]:
    """All records of a JSONL file; a malformed line is an IngestError naming file and line."""
    docs, errors = read_jsonl(path, data)
    if errors:
        raise errors[0]
    return docs


def read_jsonl(path: Path, data: bytes) -> tuple[list[ParsedDocument], list[IngestError]]:
    """The good records of a JSONL file, and an IngestError for each bad line (file and line)."""
    text = decode_text(path, data)
    docs: list[ParsedDocument] = []
    errors: list[IngestError] = []
    seen: set[str] = set()
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(
                IngestError(
                    f"{path}:{line_no}", f"invalid JSON ({exc.msg})", hint="fix or remove the line"
                )
            )
            continue
        try:
            doc = record_document(path, line_no, record)
        except IngestError as exc:
            errors.append(exc)
            continue
        if doc.doc_id in seen:
            errors.append(
                IngestError(
                    f"{path}:{line_no}", f"duplicate doc_id {doc.doc_id!r}", hint="make ids unique"
                )
            )
            continue
        seen.add(doc.doc_id)
        docs.append(doc)
    return docs, errors
