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
    assert "use md, json, html or bib" in result.stderr


def test_unreachable_chat_model_is_named_on_stderr() -> None:
    from io import StringIO
    from types import SimpleNamespace
    from typing import cast

    from rich.console import Console

    from litsynth.cli.ask_cmd import _warn_llm_failures
    from litsynth.schema.records import StepError
    from litsynth.schema.report import Report

    down = StepError(node="planner", kind="llm_endpoint", message="cannot reach http://h:9/v1")
    buf = StringIO()
    console = Console(file=buf, width=300)
    report = cast(Report, SimpleNamespace(errors=[down, down]))
    _warn_llm_failures(report, console)
    assert buf.getvalue().strip() == (
        "warning: the chat model failed 2 times, rule-based fallbacks were used: "
        "cannot reach http://h:9/v1"
    )
    quiet = StringIO()
    _warn_llm_failures(cast(Report, SimpleNamespace(errors=[])), Console(file=quiet))
    assert quiet.getvalue() == ""
