"""Disk full during ingest: a clear error, and the store still opens with its earlier contents.

The store lives on a small tmpfs (real ENOSPC) when this process may mount one (root, as in
CI); the second case limits the ingest process's file size (RLIMIT_FSIZE: the kernel refuses
the write with EFBIG), which needs no privilege. Both leave the failing ingest only a few
hundred kilobytes, so a hundred abstracts fill it and each case takes seconds, not minutes.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from litsynth.tests.reliability.helpers import abstract, cli_env, litsynth_cmd, run_cli, write_jsonl
from litsynth.vectorstore.store import PaperStore

ROOM = 300_000
"""Bytes left to the failing ingest: less than its hundred abstracts need."""


def _snapshot(store: PaperStore) -> dict[str, tuple[int, int]]:
    return {d.doc_id: (d.pages, d.chunks) for d in store.documents()}


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 16 MB tmpfs mounted at a temp directory (skips when mounting is not allowed)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root); the RLIMIT_FSIZE case still runs")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill_then_check(
    tmp_path: Path,
    store_dir: Path,
    open_store: Callable[[Path], PaperStore],
    limit: Callable[[], None],
) -> None:
    first = run_cli("ingest", write_jsonl(tmp_path / "a.jsonl", range(20)), "--store", store_dir)
    assert first.returncode == 0, first.stderr
    before = _snapshot(open_store(store_dir))
    assert len(before) == 20

    more = write_jsonl(tmp_path / "b.jsonl", range(20, 120))
    done = subprocess.run(
        litsynth_cmd("ingest", more, "--store", store_dir),
        capture_output=True,
        text=True,
        env=cli_env(),
        preexec_fn=limit,
        timeout=300,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    lines = [ln for ln in done.stderr.splitlines() if ln.startswith("error:")]
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert "no space left" in lines[0] or "too large" in lines[0], lines[0]
    assert "free disk space" in lines[0]

    after = open_store(store_dir)
    assert _snapshot(after) == before
    assert after.check().documents == 20
    hits = after.search_many([abstract(i)["text"] for i in range(20)], k=1)
    assert [h[0].doc_id for h in hits] == [f"syn:{i}" for i in range(20)]


def test_disk_full_on_tmpfs(
    tmp_path: Path, small_disk: Path, open_store: Callable[[Path], PaperStore]
) -> None:
    filler = small_disk / "filler"

    def fill() -> None:  # in the ingest process, before it starts: leave it ROOM bytes
        free = os.statvfs(small_disk)
        with filler.open("wb") as fh:
            fh.write(b"\0" * max(0, free.f_bavail * free.f_frsize - ROOM))

    _fill_then_check(tmp_path, small_disk / "store", open_store, fill)
    assert filler.stat().st_size > 0


def test_file_size_limit(tmp_path: Path, open_store: Callable[[Path], PaperStore]) -> None:
    store_dir = tmp_path / "store"

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write instead of killing
        size = max(f.stat().st_size for f in store_dir.rglob("*") if f.is_file())
        resource.setrlimit(resource.RLIMIT_FSIZE, (size + ROOM, size + ROOM))

    _fill_then_check(tmp_path, store_dir, open_store, limit)
