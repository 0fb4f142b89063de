"""BibTeX of the references a report cites, with stable keys.

A key is the first author's surname, the year and the first long title word (``dettmers2022llm``),
else the document id made safe; a repeated key gets ``a``, ``b``, ... in reference order, so the
same report always gives the same keys.
"""

from __future__ import annotations

import re
import unicodedata

from litsynth.schema.report import Reference, Report

_ARXIV = re.compile(r"^arxiv(?:-abs)?:(.+)$", re.IGNORECASE)
_DOI = re.compile(r"^doi:(.+)$", re.IGNORECASE)
_SPECIAL = str.maketrans({c: f"\\{c}" for c in "&%$#_"} | {"{": "\\{", "}": "\\}"})


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _latex(text: str) -> str:
    """Text safe inside a braced BibTeX field."""
    return " ".join(text.split()).translate(_SPECIAL)


def arxiv_id(doc_id: str) -> str | None:
    """The arXiv id a document id carries, if any."""
    m = _ARXIV.match(doc_id)
    return m.group(1) if m else None


def doi(doc_id: str) -> str | None:
    """The DOI a document id carries, if any."""
    m = _DOI.match(doc_id)
    return m.group(1) if m else None


def _surname(author: str) -> str:
    name = author.split(",")[0] if "," in author else (author.split() or [""])[-1]
    return re.sub(r"[^a-z]", "", _ascii(name).lower())


def base_key(ref: Reference) -> str:
    """The key before de-duplication."""
    words = [re.sub(r"[^a-z0-9]", "", _ascii(w).lower()) for w in ref.title.split()]
    word = next((w for w in words if len(w) > 3), words[0] if words else "")
    author = _surname(ref.authors[0]) if ref.authors else ""
    if author or ref.year:
        return f"{author or 'anon'}{ref.year or ''}{word}"
    return re.sub(r"[^A-Za-z0-9]+", "_", ref.doc_id).strip("_") or "ref"


def keys(refs: list[Reference]) -> list[str]:
    """Stable, unique keys in reference order."""
    bases = [base_key(r) for r in refs]
    seen: dict[str, int] = {}
    out = []
    for b in bases:
        n = seen.get(b, 0)
        seen[b] = n + 1
        out.append(b if bases.count(b) == 1 else f"{b}{chr(ord('a') + n)}")
    return out


def entry(ref: Reference, key: str) -> str:
    """One BibTeX entry: ``@article`` for arXiv papers, else ``@misc``."""
    fields: list[tuple[str, str]] = [("title", _latex(ref.title))]
    if ref.authors:
        fields.append(("author", " and ".join(_latex(a) for a in ref.authors)))
    if ref.year:
        fields.append(("year", str(ref.year)))
    arxiv, found_doi = arxiv_id(ref.doc_id), doi(ref.doc_id)
    if arxiv:
        fields += [
            ("journal", f"arXiv preprint arXiv:{arxiv}"),
            ("eprint", arxiv),
            ("archiveprefix", "arXiv"),
            ("url", f"https://arxiv.org/abs/{arxiv}"),
        ]
    if found_doi:
        fields.append(("doi", found_doi))
    fields.append(("note", _latex(f"litsynth document {ref.doc_id}")))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    kind = "article" if arxiv else "misc"
    return f"@{kind}{{{key},\n{body}\n}}\n"


def render_bibtex(report: Report) -> str:
    """BibTeX of every reference the report cites."""
    refs = report.references
    return "\n".join(entry(r, k) for r, k in zip(refs, keys(refs), strict=True))
