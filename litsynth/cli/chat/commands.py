"""Slash commands: each reads the session's thread state and prints a table or a line.

A bad command or argument raises ``CommandError``; the REPL prints its one line and goes on.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from litsynth.errors import LitsynthError
from litsynth.report.formats import FORMATS as EXPORT_FORMATS
from litsynth.report.formats import render

if TYPE_CHECKING:
    from rich.console import Console

    from litsynth.cli.chat.session import ChatSession
    from litsynth.schema.report import Report


class CommandError(LitsynthError):
    """A slash command that cannot run as typed."""


class Quit(Exception):
    """Raised by /quit to leave the REPL."""


@dataclass
class Chat:
    """What a command works on: the session and where to print."""

    session: ChatSession
    console: Console


Handler = Callable[[Chat, list[str]], None]


@dataclass(frozen=True)
class Command:
    """A slash command: its handler, usage, help and whether its arguments are paths."""

    handler: Handler
    usage: str
    help: str
    paths: bool = False


def _report(chat: Chat) -> Report:
    report = chat.session.report()
    if report is None:
        raise CommandError("no answer yet in this session", hint="ask a question first")
    return report


def _no_args(name: str, args: list[str]) -> None:
    if args:
        raise CommandError(f"/{name} takes no arguments")


def cmd_help(chat: Chat, args: list[str]) -> None:
    """List the commands."""
    from rich.table import Table

    table = Table(show_header=False, box=None)
    for c in COMMANDS.values():
        table.add_row(f"[bold]{c.usage}[/]", c.help)
    chat.console.print(table)
    chat.console.print("Anything else is a question. Ctrl-C cancels a run, Ctrl-D quits.")


def cmd_sources(chat: Chat, args: list[str]) -> None:
    """Kept and dropped sources with the gate's reasons."""
    from rich.table import Table

    _no_args("sources", args)
    report = _report(chat)
    table = Table("", "source", "title", "reason", title="Sources")
    for k in report.kept_sources:
        table.add_row("[green]kept[/]", k.doc_id, k.title, k.reason)
    for d in report.dropped_sources:
        table.add_row("[red]dropped[/]", d.doc_id, d.title, f"{d.reason} ({d.decided_by})")
    chat.console.print(table)


_VERDICT_STYLE = {"supported": "green", "contradicted": "red", "unverified": "yellow"}


def cmd_claims(chat: Chat, args: list[str]) -> None:
    """Every claim: id, verdict, confidence, source, page."""
    from rich.markup import escape
    from rich.table import Table

    _no_args("claims", args)
    report = _report(chat)
    table = Table("id", "verdict", "conf.", "source", "page", "claim", title="Claims")
    for c in report.claims:
        verdict = c.verdict or "pending"
        style = _VERDICT_STYLE.get(verdict, "")
        conf = f"{c.confidence:.2f}" if c.confidence is not None else "–"
        # A cited source's other headline results are marked: the answer does not use them.
        text = f"(source result) {c.text}" if c.kind == "source_result" else c.text
        table.add_row(
            c.id,
            f"[{style}]{verdict}[/]" if style else verdict,
            conf,
            c.doc_id,
            str(c.page),
            escape(text),
        )
    chat.console.print(table)


def cmd_claim(chat: Chat, args: list[str]) -> None:
    """One claim's quoted span, its verdict, the evidence sentences and the reason."""
    from rich.markup import escape

    if len(args) != 1:
        raise CommandError("usage: /claim N (a claim number or id, e.g. /claim 3 or /claim C3)")
    report = _report(chat)
    wanted = args[0].upper() if args[0].upper().startswith("C") else f"C{args[0]}"
    claim = next((c for c in report.claims if c.id == wanted), None)
    if claim is None:
        raise CommandError(
            f"no claim {args[0]} in this answer", hint=f"claims run C1..C{len(report.claims)}"
        )
    out = chat.console
    out.print(f"[bold]{claim.id}[/] {escape(claim.text)}")
    out.print(
        f"source {escape(claim.title)} ({claim.doc_id}), page {claim.page}, "
        f"chars {claim.char_start}:{claim.char_end}"
    )
    out.print(f"quote: “{escape(claim.quote)}”")
    conf = f"{claim.confidence:.2f}" if claim.confidence is not None else "–"
    out.print(f"verdict: {claim.verdict or 'pending'} ({conf}) by {claim.judge or '–'}")
    if claim.verdict_reason:
        out.print(f"reason: {escape(claim.verdict_reason)}")
    for e in claim.evidence:
        out.print(f"  evidence p. {e.page}, {e.char_start}:{e.char_end}: “{escape(e.text)}”")


def cmd_gaps(chat: Chat, args: list[str]) -> None:
    """Coverage per facet of the question."""
    from rich.table import Table

    _no_args("gaps", args)
    report = _report(chat)
    if not report.coverage:
        chat.console.print("No facets were recorded for this answer.")
        return
    style = {"answered": "green", "partial": "yellow", "gap": "red"}
    table = Table("facet", "kind", "status", "claims", "closest evidence", title="Coverage")
    for c in report.coverage:
        table.add_row(
            c.facet.name,
            c.facet.kind,
            f"[{style[c.status]}]{c.status}[/]",
            ", ".join(c.claim_ids) or "–",
            c.closest or "–",
        )
    chat.console.print(table)


def cmd_review(chat: Chat, args: list[str]) -> None:
    """The reviewer panel: scores, reasons, agreement."""
    from rich.table import Table

    _no_args("review", args)
    report = _report(chat)
    table = Table("reviewer", "criterion", "score", "reason", title="Reviewer panel")
    for rv in report.panel.reviews:
        table.add_row(f"[bold]{rv.reviewer}[/]", "overall", f"{rv.score:.1f}", rv.comment)
        for c in rv.criteria:
            table.add_row("", c.criterion, f"{c.score:.1f}", c.reason)
    chat.console.print(table)
    agg = report.panel.aggregate
    chat.console.print(
        f"mean {agg.mean:.2f} · spread {agg.spread:.2f} · agreement {agg.agreement:.2f} · "
        f"{agg.tier} tier · {agg.gate_verdict}"
    )


def cmd_export(chat: Chat, args: list[str]) -> None:
    """Write the full report of the last answer."""
    if not args or args[0].lower() not in EXPORT_FORMATS or len(args) > 2:
        raise CommandError(f"usage: /export {'|'.join(EXPORT_FORMATS)} [FILE]")
    fmt = args[0].lower()
    report = _report(chat)
    path = (
        Path(args[1]).expanduser()
        if len(args) == 2
        else Path(f"litsynth-{chat.session.thread_id}.{fmt}")
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(report, fmt), encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"cannot write {path}: {exc.strerror}") from exc
    chat.console.print(f"wrote {path}")


def cmd_ingest(chat: Chat, args: list[str]) -> None:
    """Add papers to the store mid-session."""
    if not args:
        raise CommandError("usage: /ingest PATH...")
    paths = [Path(a).expanduser() for a in args]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise CommandError(f"no such file or directory: {', '.join(missing)}")

    def on_file(path: Path, status: str) -> None:
        chat.console.print(f"  {status:>9} {path.name}")

    with chat.console.status("ingesting…"):
        result = chat.session.ingest(paths, on_file=on_file)
    chat.console.print(
        f"ingested: {result.added} added, {result.unchanged} unchanged, {len(result.failed)} failed"
    )


def cmd_config(chat: Chat, args: list[str]) -> None:
    """The effective settings."""
    _no_args("config", args)
    chat.console.print_json(chat.session.settings.model_dump_json())


def cmd_history(chat: Chat, args: list[str]) -> None:
    """This thread's questions."""
    from rich.markup import escape

    _no_args("history", args)
    turns = chat.session.history()
    chat.console.print(f"thread {chat.session.thread_id}: {len(turns)} turns")
    for i, t in enumerate(turns, 1):
        chat.console.print(f"{i}. {escape(t.question)} [dim]({len(t.claim_ids)} supported)[/]")


def cmd_new(chat: Chat, args: list[str]) -> None:
    """Start a new conversation thread."""
    _no_args("new", args)
    old = chat.session.thread_id
    chat.console.print(f"new thread {chat.session.new_thread()} (resume the old one: {old})")


def cmd_quit(chat: Chat, args: list[str]) -> None:
    """Leave."""
    raise Quit


COMMANDS: dict[str, Command] = {
    "help": Command(cmd_help, "/help", "this list"),
    "sources": Command(cmd_sources, "/sources", "sources kept and dropped, with reasons"),
    "claims": Command(cmd_claims, "/claims", "claims: id, verdict, confidence, source, page"),
    "claim": Command(cmd_claim, "/claim N", "one claim: quoted span, evidence, reason"),
    "gaps": Command(cmd_gaps, "/gaps", "coverage per facet of the question"),
    "review": Command(cmd_review, "/review", "reviewer panel scores, reasons, agreement"),
    "export": Command(
        cmd_export, "/export md|json|html|bib [FILE]", "write the full report", paths=True
    ),
    "ingest": Command(cmd_ingest, "/ingest PATH...", "add papers to the store", paths=True),
    "config": Command(cmd_config, "/config", "effective settings"),
    "history": Command(cmd_history, "/history", "this thread's questions"),
    "new": Command(cmd_new, "/new", "start a new conversation"),
    "quit": Command(cmd_quit, "/quit", "leave (or Ctrl-D)"),
}


def run_command(chat: Chat, text: str) -> None:
    """Parse and run one slash command line."""
    try:
        words = shlex.split(text[1:])
    except ValueError as exc:
        raise CommandError(f"cannot parse {text!r}: {exc}") from exc
    if not words:
        raise CommandError("empty command", hint="/help lists the commands")
    name, args = words[0].lower(), words[1:]
    command = COMMANDS.get(name)
    if command is None:
        raise CommandError(f"unknown command /{name}", hint="/help lists the commands")
    command.handler(chat, args)
