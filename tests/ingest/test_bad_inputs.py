"""Every kind of bad input is an IngestError that names the file and says what to do."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfWriter

from litsynth.errors import IngestError
from litsynth.ingest.dispatch import discover, load_file


def _load(path: Path) -> None:
    sources, errors = discover([path])
    if errors:
        raise errors[0]
    load_file(sources[0])


def _encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("zero.pdf", b"", "empty"),
        ("zero.txt", b"", "empty"),
        ("blank.md", b"  \n\n\t ", "empty"),
        ("corrupt.pdf", b"%PDF-1.7\n%garbage that is not a pdf at all\n", "corrupt"),
        ("fake.pdf", b"hello, I am text", "not a PDF"),
        ("binary.txt", bytes(range(256)) * 8, "binary"),
        ("latin1.txt", "caf\xe9 na\xefve".encode("latin-1"), "not UTF-8"),
        ("bad.jsonl", b'{"title": "x", "abstract": "y"}\n{not json\n', "invalid JSON"),
        ("notext.jsonl", b'{"title": "only a title"}\n', "no 'abstract' or 'text'"),
    ],
)
def test_bad_file_is_ingest_error(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(IngestError) as info:
        _load(path)
    assert name in str(info.value)
    assert message in str(info.value)
    assert info.value.hint


def test_encrypted_pdf(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    path.write_bytes(_encrypted_pdf())
    with pytest.raises(IngestError, match="encrypted") as info:
        _load(path)
    assert "locked.pdf" in info.value.one_line()
    assert "decrypt" in info.value.hint


def test_missing_path_is_reported_not_raised(tmp_path: Path) -> None:
    sources, errors = discover([tmp_path / "nope.pdf"])
    assert sources == []
    assert len(errors) == 1
    assert "nope.pdf" in errors[0].one_line()
    assert "no such file" in errors[0].message
