"""Question terms: one tokenizer and stop-word list for content words."""

from __future__ import annotations

import re

_STOP_WORDS = """
a about above across after again against all also am an and any are as at be because
been before being between both but by can could did do does doing done during each
either few for from further had has have having how however if in into is it its itself
just many may might more most much must no nor not now of off on once only or other our
out over own per same should so some such than that the their them then there these they
this those through to too under until up upon very was we were what when where whether
which while who whom why will with within without would you your affect affects effect
effects impact role use used using based via
"""
_STOP = frozenset(_STOP_WORDS.split())
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-\.]*[A-Za-z0-9]|[A-Za-z0-9]")


def key_terms(text: str) -> list[str]:
    """Content terms of a question, lower-cased, in order, without stop words."""
    seen: list[str] = []
    for tok in _TOKEN.findall(text):
        low = tok.lower()
        if low not in _STOP and (len(low) > 2 or any(c.isdigit() for c in low)) and low not in seen:
            seen.append(low)
    return seen


def term_stem(term: str) -> str:
    """A crude stem so 'quantization' matches 'quantized' and 'quantizing'."""
    return term[:6] if term.isalpha() and len(term) > 6 else term
