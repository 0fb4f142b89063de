"""The store's generation: a token every litsynth writer of an embedded store renews.

Chroma keeps one system per store directory in each process, and a collection's vector index
is read from disk once, when the process first uses it: a store opened before another process
wrote would not find that process's chunks. Reads rewrite Chroma's own files, so their times
say nothing; this token changes only when litsynth wrote, and a reader that sees it change
opens the store again.
"""

from __future__ import annotations

import logging
import os
import uuid
from pathlib import Path

log = logging.getLogger(__name__)

GENERATION_NAME = "litsynth-generation"


def read_generation(store_dir: Path) -> str:
    """The store's current token ("" before its first write)."""
    try:
        return (store_dir / GENERATION_NAME).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def renew_generation(store_dir: Path) -> str:
    """Give the store a new token after a write; returns it.

    On a full disk the old token is removed instead, which readers also see as a change.
    """
    token = uuid.uuid4().hex
    path = store_dir / GENERATION_NAME
    tmp = path.with_name(f"{GENERATION_NAME}.{token}")
    try:
        tmp.write_text(token, encoding="ascii")
        os.replace(tmp, path)
    except OSError as exc:
        log.warning("cannot renew the generation of %s: %s", store_dir, exc)
        tmp.unlink(missing_ok=True)
        path.unlink(missing_ok=True)
        return ""
    return token
