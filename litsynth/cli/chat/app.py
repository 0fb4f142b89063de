"""``litsynth chat``: the interactive research session."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from litsynth.cli.common import ChromaUrlOpt, ConfigOpt, PresetOpt, StoreOpt, cli_settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from litsynth.settings import Settings
    from litsynth.verification.base import Verifier


def run_chat(
    settings: Settings,
    *,
    resume: str | None = None,
    as_json: bool = False,
    chat_model: BaseChatModel | None = None,
    verifier: Verifier | None = None,
) -> int:
    """Run the chat on this process's terminal or pipe; the exit code (tests inject fakes)."""
    from rich.console import Console

    from litsynth.cli.chat.repl import batch, interactive
    from litsynth.cli.chat.session import ChatSession

    tty = sys.stdin.isatty() and sys.stdout.isatty()
    if tty and not as_json:
        console = Console()
    else:  # piped: plain text; with --json, stdout carries only the JSON lines
        console = Console(stderr=as_json, no_color=True, force_terminal=False, width=100)
    session = ChatSession(settings, thread_id=resume, chat_model=chat_model, verifier=verifier)
    try:
        if tty and not as_json:
            interactive(session, console)
            return 0
        return 1 if batch(session, console, sys.stdin, as_json) else 0
    finally:
        session.close()


def register(app: typer.Typer) -> None:
    """Add ``chat`` to the root app."""

    @app.command("chat")
    def chat(
        store: StoreOpt = None,
        chroma_url: ChromaUrlOpt = None,
        config: ConfigOpt = None,
        preset: PresetOpt = None,
        resume: Annotated[
            str | None, typer.Option("--resume", help="Reopen a session by its thread id.")
        ] = None,
        as_json: Annotated[
            bool, typer.Option("--json", help="Piped use: one JSON object per answered line.")
        ] = False,
    ) -> None:
        """Ask questions and follow-ups interactively; each answer is a verified synthesis."""
        settings = cli_settings(config, preset, store, chroma_url)
        code = run_chat(settings, resume=resume, as_json=as_json)
        if code:
            raise typer.Exit(code)
