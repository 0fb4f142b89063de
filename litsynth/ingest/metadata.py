"""Document identity and bibliographic hints: arXiv id, DOI, content hash, year."""

from __future__ import annotations

import hashlib
import re

# New-style arXiv ids (since 2007): YYMM.NNNN or YYMM.NNNNN, optional version.
_ARXIV_IN_NAME = re.compile(r"(?<![\d.])(\d{2})(0[1-9]|1[0-2])\.(\d{4,5})(?:v\d+)?(?![\d])")
_ARXIV_STAMP = re.compile(r"arXiv:\s?(\d{2})(0[1-9]|1[0-2])\.(\d{4,5})(?:v\d+)?", re.IGNORECASE)
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)")
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")


def content_hash(data: bytes) -> str:
    """SHA-256 hex digest of raw input bytes."""
    return hashlib.sha256(data).hexdigest()


def arxiv_id(file_name: str, first_page: str = "") -> str | None:
    """The arXiv id in a file name like ``2208.07339_llm_int8.pdf`` or the first page's stamp."""
    match = _ARXIV_IN_NAME.search(file_name) or _ARXIV_STAMP.search(first_page[:5000])
    if match is None:
        return None
    return f"{match.group(1)}{match.group(2)}.{match.group(3)}"


def doi(first_page: str) -> str | None:
    """The first DOI on the first page, without trailing punctuation."""
    match = _DOI.search(first_page[:10000])
    return match.group(1).rstrip(".,;)]}").lower() if match else None


def year_of(text: str | None) -> int | None:
    """The first plausible year (1950-2099) in a string such as a date."""
    if not text:
        return None
    if text.startswith("D:") and text[2:6].isdigit():  # PDF date: D:YYYYMMDDHHmmSS
        text = text[2:6]
    match = _YEAR.search(text)
    return int(match.group(1)) if match else None


def doc_identity(file_name: str, first_page: str, digest: str) -> tuple[str, int | None]:
    """A stable document id (arXiv, DOI, else content hash) and the year the arXiv id implies."""
    arxiv = arxiv_id(file_name, first_page)
    if arxiv is not None:
        return f"arxiv:{arxiv}", 2000 + int(arxiv[:2])
    found = doi(first_page)
    if found is not None:
        return f"doi:{found}", None
    return f"sha256:{digest[:16]}", None
