"""A write that failed for lack of room, told apart from other store errors.

SQLite reports a full disk as "database or disk is full" only sometimes: a write refused with
ENOSPC or EFBIG (the process's file size limit) often comes back as a plain "disk I/O error".
That case is diagnosed from the store's file system and the process's limits.
"""

from __future__ import annotations

import errno
import resource
import shutil
from pathlib import Path

from litsynth.errors import StoreError

LOW_SPACE = 1 << 20
"""Free bytes under which a failed write is put down to a full disk."""

_ERRNOS = {errno.ENOSPC: "no space left", errno.EDQUOT: "no space left (quota)"}
_ERRNOS[errno.EFBIG] = "file too large"
_TEXTS = {
    "database or disk is full": "no space left",
    "no space left": "no space left",
    "file too large": "file too large",
}


def disk_error(exc: BaseException, where: str) -> StoreError | None:
    """A StoreError when ``exc`` (OSError, SQLite or Chroma) says the disk is full, else None."""
    reason = _ERRNOS.get(exc.errno) if isinstance(exc, OSError) and exc.errno else None
    text = str(exc).lower()
    reason = reason or next((r for t, r in _TEXTS.items() if t in text), None)
    if reason is None and "disk i/o error" in text:
        reason = _io_error_reason(Path(where))
    if reason is None:
        return None
    return StoreError(
        f"{reason} while writing the store at {where}",
        hint="free disk space, then run the same ingest again (finished documents are kept)",
    )


def _io_error_reason(store_dir: Path) -> str | None:
    """Why a write to ``store_dir`` failed with an I/O error, if it was room; else None."""
    soft, _ = resource.getrlimit(resource.RLIMIT_FSIZE)
    if soft != resource.RLIM_INFINITY and store_dir.is_dir():
        largest = max((f.stat().st_size for f in store_dir.rglob("*") if f.is_file()), default=0)
        if largest + LOW_SPACE >= soft:
            return f"file too large (this process may write files of at most {soft} bytes)"
    try:
        free = shutil.disk_usage(store_dir).free
    except OSError:
        return None
    return "no space left" if free < LOW_SPACE else None
