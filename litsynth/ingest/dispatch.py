"""Which loader reads which file: path discovery (directories recursively) and dispatch."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from litsynth.errors import IngestError
from litsynth.ingest.jsonl import load_jsonl, read_jsonl
from litsynth.ingest.pdf import load_pdf
from litsynth.ingest.text import load_text
from litsynth.schema.documents import ParsedDocument

Kind = Literal["pdf", "text", "jsonl"]
SUFFIXES: dict[str, Kind] = {
    ".pdf": "pdf",
    ".txt": "text",
    ".md": "text",
    ".markdown": "text",
    ".jsonl": "jsonl",
}


@dataclass(frozen=True)
class SourceFile:
    """One input file and the loader that reads it."""

    path: Path
    kind: Kind


def _kind_of(path: Path) -> Kind:
    return SUFFIXES.get(path.suffix.lower(), "text")


def discover(paths: Iterable[Path]) -> tuple[list[SourceFile], list[IngestError]]:
    """Input files under ``paths`` (directories recursively, supported suffixes only).

    In a directory, hidden files and a ``.txt`` beside a ``.pdf`` of the same name (its
    extracted text) are left out. A file named explicitly is read whatever its suffix (as text
    unless it is a PDF); a missing path is an error. Files are resolved and listed once.
    """
    found: list[SourceFile] = []
    errors: list[IngestError] = []
    seen: set[Path] = set()

    def add(path: Path, kind: Kind) -> None:
        resolved = path.resolve()
        if resolved not in seen:
            seen.add(resolved)
            found.append(SourceFile(resolved, kind))

    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                # "paper.txt" beside "paper.pdf" is usually its extracted text: read the PDF only.
                text_of_pdf = child.suffix.lower() == ".txt" and child.with_suffix(".pdf").is_file()
                if (
                    child.is_file()
                    and not hidden
                    and not text_of_pdf
                    and child.suffix.lower() in SUFFIXES
                ):
                    add(child, SUFFIXES[child.suffix.lower()])
        elif path.is_file():
            add(path, _kind_of(path))
        else:
            errors.append(
                IngestError(str(path), "no such file or directory", hint="check the path")
            )
    return found, errors


def read_bytes(source: SourceFile) -> bytes:
    """The file's bytes, or an IngestError saying why it cannot be read."""
    try:
        return source.path.read_bytes()
    except OSError as exc:
        raise IngestError(
            str(source.path), f"cannot read file ({exc.strerror})", hint="check permissions"
        ) from exc


def load_file(source: SourceFile, data: bytes | None = None) -> list[ParsedDocument]:
    """Parse one input file into documents (a JSONL file gives one per record)."""
    data = read_bytes(source) if data is None else data
    path = source.path
    if not data:
        raise IngestError(str(path), "file is empty (0 bytes)", hint="remove it or re-create it")
    if source.kind == "pdf" or data[:5] == b"%PDF-":
        return [load_pdf(path, data)]
    if source.kind == "jsonl":
        return load_jsonl(path, data)
    return [load_text(path, data)]


def load_file_lenient(
    source: SourceFile, data: bytes | None = None
) -> tuple[list[ParsedDocument], list[IngestError]]:
    """Like :func:`load_file`, but a JSONL file keeps its good records beside its bad lines."""
    data = read_bytes(source) if data is None else data
    if source.kind == "jsonl" and data and data[:5] != b"%PDF-":
        return read_jsonl(source.path, data)
    return load_file(source, data), []
