"""``kill -9`` during ``litsynth ask``: ``--resume THREAD_ID`` continues from the last completed
node and writes the report an uninterrupted run writes.

The chat model is the fault server on loopback answering every call with prose (no tool call),
so the run is deterministic: planner and extractor fall back to their rule-based paths.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from litsynth.demo import corpus_path
from litsynth.tests.reliability.fault_server import FaultServer, fault_server
from litsynth.tests.reliability.helpers import cli_env, litsynth_cmd, run_cli

QUESTION = "How does 4-bit weight quantization affect the accuracy of large language models?"
VOLATILE = {"started_at", "finished_at", "timings_s", "thread_id", "token_usage"}


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with fault_server() as s:
        yield s


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ask") / "store"
    done = run_cli("ingest", corpus_path(), "--store", path)
    assert done.returncode == 0, done.stderr
    return path


def _ask_args(server: FaultServer, store: Path, out: Path) -> list[str | Path]:
    return [
        "--store", store, "--preset", "fast", "--llm-url", server.url, "--verifier",
        "embedding", "--format", "json", "--out", out,
    ]  # fmt: skip


def _stable(report_path: Path) -> dict[str, Any]:
    report = json.loads(report_path.read_text(encoding="utf-8"))
    report["manifest"] = {k: v for k, v in report["manifest"].items() if k not in VOLATILE}
    report["errors"] = [e for e in report["errors"] if e["kind"] != "http_fault"]
    return report


def test_kill_9_then_resume_equals_an_uninterrupted_run(
    tmp_path: Path, server: FaultServer, store: Path
) -> None:
    whole = run_cli("ask", QUESTION, *_ask_args(server, store, tmp_path / "whole.json"))
    assert whole.returncode == 0, whole.stderr

    seen: list[str] = []
    with subprocess.Popen(  # the with block closes the pipe and waits for the process
        litsynth_cmd("ask", QUESTION, *_ask_args(server, store, tmp_path / "cut.json")),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(),
    ) as proc:
        assert proc.stderr is not None
        for line in proc.stderr:
            seen.append(line.strip())
            if "relevance gate" in line:  # planner, retriever and gate are checkpointed
                proc.send_signal(signal.SIGKILL)
                break
        proc.wait(timeout=60)
    thread = next((m.group(1) for ln in seen if (m := re.match(r"thread (\w+) ", ln))), "")
    assert proc.returncode == -signal.SIGKILL, seen
    assert thread and not (tmp_path / "cut.json").exists()

    resumed = run_cli("ask", "--resume", thread, *_ask_args(server, store, tmp_path / "cut.json"))
    assert resumed.returncode == 0, resumed.stderr
    # It went on from the gate: the planner, retriever and gate did not run again.
    assert "planned queries" not in resumed.stderr
    assert "relevance gate" not in resumed.stderr
    assert "extracted claims" in resumed.stderr
    assert _stable(tmp_path / "cut.json") == _stable(tmp_path / "whole.json")
