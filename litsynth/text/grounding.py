"""Checks that a claim is whole and says nothing its quoted span does not.

An *entity* here is a token a reader would check against the source: anything with a digit
(4-bit, 175B, 3.5, GSM8K) or an inner capital (GPTQ, LLaMA, OPT-175B).
"""

from __future__ import annotations

import re
import unicodedata

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-\.%/]*[A-Za-z0-9%]|[A-Za-z0-9]")
_TERMINAL = re.compile(r"[.!?][\"')\]]*$")
_WS = re.compile(r"\s+")


def normalize(text: str) -> str:
    """NFKC with whitespace collapsed: how quotes are compared and how a claim takes its quote.

    Stored pages are already NFKC (``text.pages``), so for them this only collapses spaces.
    """
    return _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def entities(text: str) -> list[str]:
    """Tokens that name models, numbers, datasets or acronyms."""
    out = []
    for tok in _TOKEN.findall(text):
        tok = tok.rstrip(".")
        if any(c.isdigit() for c in tok) or any(c.isupper() for c in tok[1:]):
            out.append(tok)
    return out


def ungrounded_entities(claim: str, quote: str) -> list[str]:
    """Entities of the claim that do not occur in the quote (case-insensitive)."""
    haystack = normalize(quote).casefold()
    return [e for e in entities(claim) if e.casefold() not in haystack]


def is_whole_sentence(text: str) -> bool:
    """Starts with a capital or digit, ends with terminal punctuation, no cut word at the end."""
    text = text.strip()
    if not text or not (text[0].isupper() or text[0].isdigit() or text[0] in "\"'("):
        return False
    return bool(_TERMINAL.search(text))


def claim_problems(claim: str, quote: str, *, min_words: int, max_words: int) -> list[str]:
    """Why a claim text cannot stand for its quote; empty when it can."""
    problems = []
    words = claim.split()
    if not min_words <= len(words) <= max_words:
        problems.append(f"{len(words)} words, outside {min_words}-{max_words}")
    if not is_whole_sentence(claim):
        problems.append("not a whole sentence")
    missing = ungrounded_entities(claim, quote)
    if missing:
        problems.append(f"names {', '.join(missing)} absent from its quote")
    return problems
