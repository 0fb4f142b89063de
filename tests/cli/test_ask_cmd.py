"""``litsynth ask`` from a newcomer's side: bad input gives one line and a non-zero exit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "LITSYNTH_LLM_BASE_URL": ""}
    return subprocess.run(
        [sys.executable, "-m", "litsynth", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )


def test_empty_question_is_one_line_error(tmp_path: Path) -> None:
    result = run_cli("ask", "  ", "--store", str(tmp_path / "s"), cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "question is empty" in lines[0]


def test_no_question_at_all_is_one_line_error(tmp_path: Path) -> None:
    result = run_cli("ask", "--store", str(tmp_path / "s"), cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == ["error: no research question given — give a QUESTION, or --resume THREAD_ID"]


def test_missing_store_says_to_ingest_first(tmp_path: Path) -> None:
    result = run_cli(
        "ask",
        "How does quantization affect accuracy?",
        "--store",
        str(tmp_path / "nope"),
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "litsynth ingest" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "nope").exists(), "a failed ask must not create a store"


def test_bad_format_is_rejected(tmp_path: Path) -> None:
    result = run_cli(
        "ask", "How does quantization affect accuracy?", "--format", "pdf", cwd=tmp_path
    )
    assert result.returncode != 0
    assert "use md or json" in result.stderr
