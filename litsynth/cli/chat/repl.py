"""The chat loop: a line-editing prompt on a terminal, or one question per line from a pipe.

On a terminal: prompt_toolkit with persistent history and tab completion, live progress while a
turn runs, the answer rendered as Markdown. Ctrl-C during a run cancels that run (the session
stays), Ctrl-C at the prompt clears the line, Ctrl-D quits. From a pipe: no prompt and no colour;
each line is answered (``--json``: one JSON object per line) and the exit code is 0.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litsynth.cli.chat.commands import Chat, CommandError, Quit, run_command
from litsynth.cli.chat.progress import LiveProgress
from litsynth.errors import LitsynthError

if TYPE_CHECKING:
    from rich.console import Console

    from litsynth.cli.chat.session import ChatSession
    from litsynth.schema.report import Report

log = logging.getLogger(__name__)
PROMPT = "litsynth> "


def history_file() -> Path:
    """Where the prompt's history persists across sessions."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "litsynth" / "chat_history"


def show_answer(console: Console, report: Report) -> None:
    """The turn's answer, as Markdown on a terminal and as plain text when piped."""
    from rich.markdown import Markdown

    from litsynth.report.terminal import answer_markdown

    text = answer_markdown(report)
    if console.is_terminal:
        console.print(Markdown(text))
    else:
        console.print(text, markup=False, highlight=False, soft_wrap=True)


def _error(console: Console, exc: LitsynthError) -> None:
    from rich.markup import escape

    console.print(f"[red]error:[/] {escape(exc.one_line())}")


def handle(chat: Chat, text: str) -> None:
    """One line from the user: a slash command or a question."""
    if text.startswith("/"):
        run_command(chat, text)
        return
    with LiveProgress(chat.console) as progress:
        report = chat.session.ask(text, on_event=progress)
    show_answer(chat.console, report)
    chat.console.print(
        f"[dim]thread {chat.session.thread_id} · /claims /claim N /gaps /sources /review · "
        "/export md|json|html|bib for the full report[/]"
    )


def interactive(session: ChatSession, console: Console) -> None:
    """The REPL on a terminal."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory

    from litsynth.cli.chat.completion import make_completer

    path = history_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    prompt: PromptSession[str] = PromptSession(
        history=FileHistory(str(path)), completer=make_completer(), complete_while_typing=False
    )
    chat = Chat(session, console)
    turns = session.history()
    console.print(
        f"litsynth chat · thread {session.thread_id}"
        + (f" · resumed with {len(turns)} turns" if turns else "")
        + " · /help for commands, Ctrl-D to quit"
    )
    while True:
        try:
            text = prompt.prompt(PROMPT).strip()
        except KeyboardInterrupt:
            continue
        except EOFError:
            break
        if not text:
            continue
        try:
            handle(chat, text)
        except KeyboardInterrupt:
            console.print("[yellow]cancelled[/]: the session is intact; ask again or /quit")
        except Quit:
            break
        except (CommandError, LitsynthError) as exc:
            _error(console, exc)
        except Exception as exc:  # the session outlives a failed turn; the log has the trace
            from rich.markup import escape

            log.debug("turn failed", exc_info=True)
            console.print(f"[red]error:[/] the run failed: {escape(repr(exc))}; session intact")
    console.print(f"bye · resume with: litsynth chat --resume {session.thread_id}")


def _as_json(session: ChatSession, question: str, report: Report) -> dict[str, Any]:
    from litsynth.report.terminal import answer_markdown

    return {
        "question": question,
        "thread_id": session.thread_id,
        "gate_verdict": report.gate_verdict,
        "quality_score": report.quality_score,
        "answer": answer_markdown(report),
        "report": report.model_dump(mode="json"),
    }


def batch(session: ChatSession, console: Console, lines: Iterable[str], as_json: bool) -> int:
    """Answer each line of a pipe; returns how many questions failed (the rest still run).

    A slash command's output and errors go to the console (stderr under ``--json``, so stdout
    holds one JSON object per question).
    """
    chat = Chat(session, console)
    failures = 0
    for raw in lines:
        text = raw.strip()
        if not text:
            continue
        if text.startswith("/"):
            try:
                run_command(chat, text)
            except Quit:
                break
            except LitsynthError as exc:
                _error(console, exc)
            continue
        try:
            report = session.ask(text)
        except LitsynthError as exc:
            failures += 1
            if as_json:
                sys.stdout.write(json.dumps({"question": text, "error": exc.one_line()}) + "\n")
            else:
                _error(console, exc)
            continue
        if as_json:
            sys.stdout.write(json.dumps(_as_json(session, text, report)) + "\n")
            sys.stdout.flush()
        else:
            show_answer(console, report)
    return failures
