"""Page text normalization (done before any span is computed) and section headings.

Normalization works on one page: NFKC (ligatures such as "ﬁ" become "fi"), control
characters dropped, words hyphenated across a line break joined ("quanti-\\nzation" ->
"quantization"), lines of a paragraph joined with single spaces, headings kept as their own
paragraph, paragraphs separated by one blank line. Chunk spans index the text this returns,
which is what the store keeps.
"""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u00ad\u200b-\u200d\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# A hyphen at a line end between two lowercase-continuing word parts is a line-break hyphen.
_HYPHEN_BREAK = re.compile(r"(?<=[A-Za-z])-\n(?=[a-z])")
_NUMBERED_HEADING = re.compile(
    r"^(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?|[A-H](?:\.\d{1,2}){0,2}\.?)"  # "3.2" or "B.1"
    r"\s+[A-Z][A-Za-z0-9 ,:&()/'-]{2,80}$"
)
_NAMED_HEADINGS = {
    "abstract",
    "introduction",
    "background",
    "related work",
    "method",
    "methods",
    "methodology",
    "experiments",
    "results",
    "discussion",
    "conclusion",
    "conclusions",
    "limitations",
    "references",
    "acknowledgments",
    "acknowledgements",
    "appendix",
}
MAX_HEADING_CHARS = 90


def heading_of(line: str) -> str | None:
    """The section heading this line is, or None (markdown ``#``, numbered, or a known name)."""
    text = line.strip()
    if not text or len(text) > MAX_HEADING_CHARS:
        return None
    if text.startswith("#"):
        stripped = text.lstrip("#").strip()
        return stripped or None
    if text.lower().rstrip(".:") in _NAMED_HEADINGS:
        return text.rstrip(".:")
    if _NUMBERED_HEADING.match(text) and not text.endswith("."):
        return text
    return None


def normalize_page(raw: str) -> str:
    """Normalize one page of extracted text (see the module docstring)."""
    text = unicodedata.normalize("NFKC", raw).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _HYPHEN_BREAK.sub("", text)
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            # A line ending in a hyphen that was not a word break (e.g. "mixed-\nPrecision")
            # continues without a space.
            joined = current[0]
            for line in current[1:]:
                joined += line if joined.endswith("-") else " " + line
            paragraphs.append(joined)
            current.clear()

    for line in text.split("\n"):
        if not line:
            flush()
        elif heading_of(line) is not None:
            flush()
            paragraphs.append(line)
        else:
            current.append(line)
    flush()
    return "\n\n".join(paragraphs)
