"""``litsynth chat`` driven in a pseudo-terminal as a user would: ask, inspect, export, follow
up, cancel with Ctrl-C, ask again, quit; then resume the thread and pipe questions into it.

The chat runs in a child process on a real store (the bundled demo corpus) with the scripted
fake model and the embedding verifier (``driver.py``); nothing talks to a server.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from litsynth.demo import corpus_path
from litsynth.ingest.runner import ingest_paths
from litsynth.tests.research_fixtures import QUESTION, make_settings
from litsynth.text.embedding import get_embedder
from litsynth.vectorstore.store import PaperStore

PROMPT = "litsynth>"
# A fresh prompt: prompt_toolkit turns bracketed paste on, then draws it (a redraw on Enter
# does not turn it on again, so this never matches the line just typed).
FRESH_PROMPT = re.compile(r"\x1b\[\?2004h[^\n]*?litsynth>")
FOLLOW_UP = "What about 3-bit quantization of these models?"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture(scope="module")
def chat_dirs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A store holding the demo corpus, and a working directory for the chat."""
    root = tmp_path_factory.mktemp("chat")
    settings = make_settings(root / "store")
    store = PaperStore.open(settings.store, get_embedder())
    assert ingest_paths(store, [corpus_path()]).added > 0
    work = root / "work"
    work.mkdir()
    return root / "store", work


def _env(work: Path) -> dict[str, str]:
    return {
        **os.environ,
        "HOME": str(work),
        "XDG_DATA_HOME": str(work / "share"),
        "PROMPT_TOOLKIT_NO_CPR": "1",
        "TERM": "xterm-256color",
        "COLUMNS": "220",
        "LITSYNTH_LLM_BASE_URL": "",
    }


def _spawn(store: Path, work: Path, *extra: str) -> pexpect.spawn:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "litsynth.tests.cli.chat.driver", str(store), str(work), *extra],
        cwd=str(work),
        env=_env(work),
        dimensions=(50, 220),
        encoding="utf-8",
        timeout=180,
    )
    child.expect(FRESH_PROMPT)
    return child


def _do(child: pexpect.spawn, line: str) -> str:
    """Type a line, wait for the next prompt, return the screen output in between."""
    child.sendline(line)
    child.expect(FRESH_PROMPT)
    return ANSI.sub("", child.before or "")


def _jsonl(path: Path) -> list[str]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_a_user_session_in_a_terminal(chat_dirs: tuple[Path, Path]) -> None:
    store, work = chat_dirs
    child = _spawn(store, work)
    banner = ANSI.sub("", child.before or "")
    thread = re.search(r"thread ([0-9a-f]{12})", banner)
    assert thread, banner
    (work / "thread").write_text(thread.group(1))

    answer = _do(child, QUESTION)
    assert "Key supported claims" in answer
    assert re.search(r"\[\d+\] \(C\d+, ", answer), "claims cite numbered sources"
    assert "Sources" in answer and "/export" in answer
    verified_first = set(_jsonl(work / "verified.jsonl"))
    assert verified_first

    claims = _do(child, "/claims")
    assert re.search(r"C1\s+.*(supported|unverified|contradicted)", claims)

    one = _do(child, "/claim 1")
    assert "quote: “" in one and re.search(r"page \d+, chars \d+:\d+", one)
    assert "verdict:" in one and "evidence p." in one

    gaps = _do(child, "/gaps")
    assert "Coverage" in gaps and "4-bit" in gaps

    assert "wrote out/report.json" in _do(child, "/export json out/report.json")
    report = json.loads((work / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["question"] == QUESTION
    assert report["manifest"]["thread_id"] == thread.group(1)

    assert "wrote report.html" in _do(child, "/export html report.html")
    html = (work / "report.html").read_text(encoding="utf-8")
    assert '<table id="claims">' in html and report["claims"][0]["id"] in html

    follow = _do(child, FOLLOW_UP)
    assert "Key supported claims" in follow or "supported" in follow
    planner_prompts = _jsonl(work / "planner_prompts.jsonl")
    assert "Conversation so far" not in planner_prompts[0]
    last = planner_prompts[-1]
    assert "Conversation so far" in last and QUESTION in last and FOLLOW_UP in last
    verified_all = _jsonl(work / "verified.jsonl")
    verified_again = verified_all[len(verified_first) :]
    assert not set(verified_again) & verified_first, "earlier claims were judged again"
    follow_report = json.loads((work / _export(child, "json")).read_text(encoding="utf-8"))
    assert follow_report["question"] == FOLLOW_UP
    first_ids = {c["id"]: c["verdict"] for c in report["claims"]}
    assert {c["id"]: c["verdict"] for c in follow_report["claims"]} | first_ids == {
        c["id"]: c["verdict"] for c in follow_report["claims"]
    }, "the follow-up keeps the first turn's verified claims"

    unknown = _do(child, "/frobnicate now")
    assert "unknown command /frobnicate" in unknown and "/help" in unknown
    assert "usage: /claim N" in _do(child, "/claim")

    child.sendline("Please explain slowly how quantization changes model accuracy")
    child.expect("planner working")
    child.sendintr()
    child.expect(FRESH_PROMPT)
    assert "cancelled" in ANSI.sub("", child.before or "")

    again = _do(child, "How does 8-bit quantization affect large language model accuracy?")
    assert "Key supported claims" in again or "claims supported" in again
    history = _do(child, "/history")
    assert "3 turns" in history and FOLLOW_UP in history and "slowly" not in history

    child.sendline("/quit")
    child.expect("bye")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def _export(child: pexpect.spawn, fmt: str) -> str:
    name = f"latest.{fmt}"
    assert f"wrote {name}" in _do(child, f"/export {fmt} {name}")
    return name


def test_resume_reopens_history_and_ctrl_d_quits(chat_dirs: tuple[Path, Path]) -> None:
    store, work = chat_dirs
    thread = (work / "thread").read_text()
    child = _spawn(store, work, "--resume", thread)
    assert "resumed with 3 turns" in ANSI.sub("", child.before or "")
    assert FOLLOW_UP in _do(child, "/history")
    child.sendeof()
    child.expect("bye")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_piped_json_answers_each_line_without_prompt_or_colour(
    chat_dirs: tuple[Path, Path],
) -> None:
    store, work = chat_dirs
    (work / "extra.txt").write_text(
        "SmoothQuant migrates activation outliers into the weights. " * 5, encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "litsynth.tests.cli.chat.driver", str(store), str(work), "--json"],
        input=f"{QUESTION}\n\n/ingest extra.txt\n/nonsense\n{FOLLOW_UP}\n",
        capture_output=True,
        text=True,
        cwd=work,
        env=_env(work),
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "ingested: 1 added" in result.stderr
    assert "unknown command /nonsense" in result.stderr
    assert "\x1b[" not in result.stdout and PROMPT not in result.stdout
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["question"] for r in rows] == [QUESTION, FOLLOW_UP]
    assert rows[0]["thread_id"] == rows[1]["thread_id"]
    assert rows[1]["report"]["question"] == FOLLOW_UP
    assert "Key supported claims" in rows[0]["answer"]
