"""Escape text quoted from sources before it goes into Markdown or HTML.

A passage must not become a link, an image (which a viewer would fetch), raw HTML, a code span
or a table cell boundary; backslash escapes keep the characters visible as typed.
"""

from __future__ import annotations

import re
from html import escape

_SPECIAL = re.compile(r"([\\`*_\[\]<>|!])")


def escape_inline(text: str) -> str:
    """One line of ``text`` (whitespace collapsed) with Markdown and HTML syntax escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def escape_html(text: object) -> str:
    """``text`` as HTML text and attribute content: shown, never parsed as markup."""
    return escape(str(text), quote=True)
