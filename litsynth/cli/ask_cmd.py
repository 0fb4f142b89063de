"""``litsynth ask`` and ``litsynth demo``: run the research graph from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from litsynth.cli.common import (
    ChromaUrlOpt,
    ConfigOpt,
    PresetOpt,
    StoreOpt,
    VerifierOpt,
    cli_settings,
)
from litsynth.report.formats import FORMATS

if TYPE_CHECKING:
    from rich.console import Console

    from litsynth.schema.report import Report
    from litsynth.settings import Settings

DEMO_QUESTION = "How does 4-bit weight quantization affect the accuracy of large language models?"
FormatOpt = Annotated[
    str,
    typer.Option("--format", help="Report format: md, json, html or bib.", case_sensitive=False),
]
OutOpt = Annotated[Path | None, typer.Option("--out", help="Write the report to this file.")]
LlmUrlOpt = Annotated[
    str | None, typer.Option("--llm-url", help="OpenAI-compatible endpoint, e.g. http://h:p/v1.")
]
LlmModelOpt = Annotated[str | None, typer.Option("--llm-model", help="Model name to request.")]


def _settings_for(
    config: Path | None,
    preset: str | None,
    store: Path | None,
    chroma_url: str | None,
    llm_url: str | None,
    llm_model: str | None,
    verifier: str | None,
) -> Settings:
    extra: dict[str, Any] = {}
    llm = {k: v for k, v in (("base_url", llm_url), ("model", llm_model)) if v}
    if llm:
        extra["llm"] = llm
    if verifier:
        extra["verifier"] = {"kind": verifier}
    return cli_settings(config, preset, store, chroma_url, extra)


def _run(
    question: str | None,
    settings: Settings,
    fmt: str,
    out: Path | None,
    resume: str | None,
    err: Console,
) -> Report:
    import uuid

    from litsynth.api import research
    from litsynth.cli.chat.progress import line
    from litsynth.report.formats import render

    thread_id = resume or uuid.uuid4().hex[:12]
    announced = resume is not None

    def progress(node: str, update: dict[str, Any]) -> None:
        nonlocal announced
        if not announced:  # said once the first node is checkpointed, so a killed run resumes
            err.print(f"thread {thread_id} (if interrupted: --resume {thread_id})")
            announced = True
        err.print(line(node, update))

    report = research(
        question,
        config=settings,
        thread_id=thread_id,
        resume=resume is not None,
        on_event=progress,
    )
    text = render(report, fmt)
    if out is None and fmt == "json":
        typer.echo(text)
    else:
        if out is None:
            out = default_report_path(settings, report, fmt)
            _print_answer(report)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    _warn_llm_failures(report, err)
    err.print(
        f"[bold]gate verdict: {report.gate_verdict}[/] · quality {report.quality_score:.1f}/10 "
        f"({report.quality_tier}) · {report.verification_line()} · "
        f"thread {report.manifest.thread_id}" + (f" · full report: {out}" if out else "")
    )
    return report


def default_report_path(settings: Settings, report: Report, fmt: str) -> Path:
    """Where ``ask`` without ``--out`` writes the full report: beside the run checkpoints."""
    name = report.manifest.thread_id or "report"
    return settings.checkpoint_path().parent / "reports" / f"{name}.{fmt}"


def _print_answer(report: Report) -> None:
    """The answer as chat shows it, on stdout."""
    from rich.console import Console

    from litsynth.cli.chat.repl import show_answer

    show_answer(Console(), report)


def _warn_llm_failures(report: Report, err: Console) -> None:
    """One stderr line when the chat model failed: the report alone is easy to misread."""
    down = [e for e in report.errors if e.kind == "llm_endpoint"]
    bad = [e for e in report.errors if e.kind == "llm_malformed_output"]
    if down:
        err.print(
            f"[yellow]warning:[/] the chat model failed {len(down)} times, rule-based "
            f"fallbacks were used: {down[0].message}"
        )
    elif bad:
        err.print(
            f"[yellow]warning:[/] the chat model's answer was unusable {len(bad)} times; "
            "rule-based fallbacks were used (see the report's Errors)."
        )


def _check_format(fmt: str) -> str:
    low = fmt.lower()
    if low not in FORMATS:
        raise typer.BadParameter(
            f"unknown format {fmt!r}; use md, json, html or bib", param_hint="--format"
        )
    return low


def register(app: typer.Typer) -> None:
    """Add ``ask`` and ``demo`` to the root app."""

    @app.command("ask")
    def ask(
        question: Annotated[
            str | None, typer.Argument(help="The research question (omit with --resume).")
        ] = None,
        store: StoreOpt = None,
        chroma_url: ChromaUrlOpt = None,
        config: ConfigOpt = None,
        preset: PresetOpt = None,
        fmt: FormatOpt = "md",
        out: OutOpt = None,
        resume: Annotated[
            str | None, typer.Option("--resume", help="Resume an interrupted run by thread id.")
        ] = None,
        llm_url: LlmUrlOpt = None,
        llm_model: LlmModelOpt = None,
        verifier: VerifierOpt = None,
    ) -> None:
        """Answer a research question from the store with a verified, cited report."""
        from rich.console import Console

        kind = _check_format(fmt)
        if question is None and resume is None:
            from litsynth.errors import QuestionError

            raise QuestionError(
                "no research question given", hint="give a QUESTION, or --resume THREAD_ID"
            )
        settings = _settings_for(config, preset, store, chroma_url, llm_url, llm_model, verifier)
        _run(question, settings, kind, out, resume, Console(stderr=True))

    @app.command("demo")
    def demo(
        question: Annotated[str, typer.Argument(help="Question to ask.")] = DEMO_QUESTION,
        store: StoreOpt = None,
        preset: PresetOpt = None,
        out: OutOpt = Path("litsynth-demo-report.md"),
        llm_url: LlmUrlOpt = None,
        llm_model: LlmModelOpt = None,
    ) -> None:
        """Ingest the bundled demo corpus, then answer a question on it (local model by default)."""
        from rich.console import Console

        from litsynth.demo import corpus_path
        from litsynth.ingest.runner import ingest_paths
        from litsynth.text.embedding import get_embedder
        from litsynth.vectorstore.store import PaperStore

        settings = _settings_for(None, preset, store, None, llm_url, llm_model, None)
        err = Console(stderr=True)
        with PaperStore.open_for_writing(
            settings.store, get_embedder(settings.embedding), chunking=settings.chunking
        ) as paper_store:
            ingested = ingest_paths(paper_store, [corpus_path()])
        err.print(
            f"demo corpus: {ingested.added} documents added, {ingested.unchanged} unchanged "
            f"(store {settings.store.path})"
        )
        _run(question, settings, "md", out, None, err)
