"""The store's writer lock: one ingest at a time per embedded store directory.

Chroma's embedded client keeps its vector index in the memory of each process and writes it
back whole, so two processes writing one directory overwrite each other's index (chunks that
are in SQLite but can no longer be found). Writers therefore hold an exclusive lock file in the
store directory from before they open the client until they have closed it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from litsynth.errors import StoreError

log = logging.getLogger(__name__)

LOCK_NAME = "litsynth-write.lock"


def lock_path(store_dir: Path) -> Path:
    """Where the writer lock of an embedded store lives."""
    return store_dir / LOCK_NAME


@contextmanager
def writer_lock(
    store_dir: Path,
    *,
    timeout_s: float = -1,
    on_wait: Callable[[], None] | None = None,
) -> Iterator[None]:
    """Hold the store's writer lock; ``on_wait`` is called once if another writer holds it.

    ``timeout_s`` < 0 waits as long as it takes; a timeout is a StoreError.
    """
    from filelock import FileLock, Timeout

    lock = FileLock(str(lock_path(store_dir)))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        log.info("waiting for another writer of %s", store_dir)
        if on_wait is not None:
            on_wait()
        try:
            lock.acquire(timeout=timeout_s)
        except Timeout as exc:
            raise StoreError(
                f"another litsynth process is writing the store at {store_dir}",
                hint="wait for it to finish, then run the command again",
            ) from exc
    try:
        yield
    finally:
        lock.release()
