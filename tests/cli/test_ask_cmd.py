"""``litsynth ask`` from a newcomer's side: bad input gives one line and a non-zero exit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
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


def test_ask_prints_the_chat_answer_and_writes_the_full_report(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    from rich.console import Console

    import litsynth.api
    from litsynth.cli.ask_cmd import _run
    from litsynth.tests.report.sample import sample_report
    from litsynth.tests.research_fixtures import make_settings

    report = sample_report()
    monkeypatch.setattr(litsynth.api, "research", lambda *a, **k: report)
    settings = make_settings(tmp_path / "store")
    err = StringIO()
    for fmt in ("md", "html", "bib"):
        _run("How does quantization affect accuracy?", settings, fmt, None, None, Console(file=err))
        written = tmp_path / "reports" / f"t1.{fmt}"
        assert written.is_file()
        out = capsys.readouterr().out
        assert "Key supported claims" in out and "[1] GPTQ" in out
        assert "## Provenance manifest" not in out, "the full report is not printed"
        assert f"full report: {written}" in " ".join(err.getvalue().split())
    assert written.read_text(encoding="utf-8").startswith("@article{frantar2022gptq,")
    _run("How does quantization affect accuracy?", settings, "json", None, None, Console(file=err))
    assert json.loads(capsys.readouterr().out)["question"] == report.question
