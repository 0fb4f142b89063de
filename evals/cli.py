"""``litsynth eval``: how far to trust litsynth, measured on gold sets (tables, JSON, plots).

A plug-in of the CLI: registered through the ``litsynth.commands`` entry point, so the product
never imports the evals.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from litsynth.cli.common import ConfigOpt, PresetOpt, VerifierOpt
from litsynth.evals.cli_common import (
    DEFAULT_CACHE_DIR,
    BaselinesOpt,
    CacheDirOpt,
    ClaimsOpt,
    CorpusOpt,
    DatasetOpt,
    JsonOutOpt,
    JudgeOpt,
    LimitOpt,
    PlotOpt,
    ProgressOpt,
    QuestionLimitOpt,
    SplitOpt,
)

if TYPE_CHECKING:
    from litsynth.evals.tasks.common import TaskResult
    from litsynth.settings import Settings

eval_app = typer.Typer(
    name="eval",
    help="Evaluate litsynth on gold sets: verify, retrieve, e2e, answerability, gate, all.",
    no_args_is_help=True,
)


def _settings(config: Path | None, preset: str | None, verifier: str | None) -> Settings:
    from litsynth.cli.common import cli_settings

    extra: dict[str, Any] = {"verifier": {"kind": verifier}} if verifier else {}
    return cli_settings(config, preset, extra=extra)


def _emit(result: TaskResult, json_out: Path | None, plot: Path | None) -> None:
    from rich.console import Console

    from litsynth.evals import report

    console = Console()
    if not console.is_terminal:
        console.width = max(console.width, 140)  # logs and pipes: keep table rows on one line
    report.print_result(result, console)
    if json_out is not None:
        report.write_json(result, json_out)
        typer.echo(f"wrote {json_out}", err=True)
    if plot is None and json_out is not None:
        plot = json_out.with_suffix(".png")
    if plot is not None and result.predictions:
        report.write_plot(result, plot)
        typer.echo(f"wrote {plot}", err=True)


@eval_app.command("verify")
def verify_cmd(
    dataset: DatasetOpt,
    claims: ClaimsOpt = None,
    corpus: CorpusOpt = None,
    split: SplitOpt = "dev",
    limit: LimitOpt = None,
    verifier: VerifierOpt = None,
    json_out: JsonOutOpt = None,
    plot: PlotOpt = None,
    baselines: BaselinesOpt = True,
    progress: ProgressOpt = True,
    config: ConfigOpt = None,
    preset: PresetOpt = None,
) -> None:
    """Label each claim given its gold evidence documents."""
    from litsynth.evals.tasks.common import progress_bar
    from litsynth.evals.tasks.verify import run_verify

    settings = _settings(config, preset, verifier)
    with progress_bar(progress) as bar:
        result = run_verify(
            dataset,
            settings,
            split=split,
            claims=claims,
            corpus=corpus,
            limit=limit,
            with_baselines=baselines,
            progress=bar,
        )
    _emit(result, json_out, plot)


@eval_app.command("retrieve")
def retrieve_cmd(
    dataset: DatasetOpt,
    claims: ClaimsOpt = None,
    corpus: CorpusOpt = None,
    split: SplitOpt = "dev",
    limit: LimitOpt = None,
    k: Annotated[int, typer.Option("--k", min=1, help="Passages retrieved per claim.")] = 3,
    verifier: VerifierOpt = None,
    json_out: JsonOutOpt = None,
    plot: PlotOpt = None,
    baselines: BaselinesOpt = True,
    progress: ProgressOpt = True,
    cache_dir: CacheDirOpt = DEFAULT_CACHE_DIR,
    config: ConfigOpt = None,
    preset: PresetOpt = None,
) -> None:
    """Retrieve evidence from the dataset's corpus, then verify: Recall@k and open-setting F1."""
    from litsynth.evals.tasks.common import progress_bar
    from litsynth.evals.tasks.retrieve import run_retrieve

    settings = _settings(config, preset, verifier)
    with progress_bar(progress) as bar:
        result = run_retrieve(
            dataset,
            settings,
            split=split,
            claims=claims,
            corpus=corpus,
            limit=limit,
            k=k,
            cache_dir=cache_dir,
            with_baselines=baselines,
            progress=bar,
        )
    _emit(result, json_out, plot)


@eval_app.command("e2e")
def e2e_cmd(
    gold: Annotated[
        Path | None, typer.Option("--gold", help="Gold claims JSONL (default: bundled).")
    ] = None,
    papers: Annotated[
        Path | None, typer.Option("--papers", help="Folder of the gold papers' PDFs.")
    ] = None,
    limit: QuestionLimitOpt = None,
    json_out: JsonOutOpt = None,
    progress: ProgressOpt = True,
    config: ConfigOpt = None,
    preset: PresetOpt = None,
    rules_only: Annotated[
        bool,
        typer.Option(
            "--rules-only/--with-llm",
            help="Run every research step on its rule fallback (no chat model); the llm "
            "judge still uses the configured chat model.",
        ),
    ] = False,
    judge: JudgeOpt = "llm",
) -> None:
    """Claim precision of full research reports against hand-checked gold claims."""
    from litsynth.evals.tasks.answerability import no_chat_model, rules_only_settings
    from litsynth.evals.tasks.common import progress_bar
    from litsynth.evals.tasks.e2e import run_e2e

    settings = _settings(config, preset, None)
    judge_llm = settings.llm  # the judge keeps its retries when the research runs rules-only
    chat_model = None
    if rules_only:
        settings, chat_model = rules_only_settings(settings), no_chat_model()
    with progress_bar(progress) as bar:
        result = run_e2e(
            settings,
            gold=gold,
            papers=papers,
            limit=limit,
            progress=bar,
            chat_model=chat_model,
            judge=judge,
            judge_llm=judge_llm,
        )
    _emit(result, json_out, None)


@eval_app.command("all")
def all_cmd(
    limit: LimitOpt = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder for one JSON per run and summary.md.")
    ] = None,
    verifier: VerifierOpt = None,
    e2e: Annotated[bool, typer.Option("--e2e/--no-e2e", help="Also run the e2e task.")] = True,
    judge: JudgeOpt = "llm",
    dataset: Annotated[
        list[str] | None,
        typer.Option("--dataset", "-d", help="Only these datasets (repeatable; default all)."),
    ] = None,
    progress: ProgressOpt = True,
    cache_dir: CacheDirOpt = DEFAULT_CACHE_DIR,
    config: ConfigOpt = None,
    preset: PresetOpt = None,
) -> None:
    """Run verify on every dataset, retrieve where a corpus exists, then e2e; one Markdown table."""
    from litsynth.evals import report
    from litsynth.evals.tasks.run_all import run_all

    settings = _settings(config, preset, verifier)
    results = run_all(
        settings,
        limit=limit,
        cache_dir=cache_dir,
        with_e2e=e2e,
        judge=judge,
        progress=progress,
        out=out,
        datasets=dataset or None,
    )
    table = report.markdown_table(results)
    typer.echo(table)
    if out is not None:
        (out / "summary.md").write_text(table, encoding="utf-8")
        typer.echo(f"wrote {out / 'summary.md'}", err=True)


def register(app: typer.Typer) -> None:
    """Add the ``eval`` sub-app to the root app (the ``litsynth.commands`` entry point)."""
    from litsynth.evals.cli_answerability import register as register_answerability
    from litsynth.evals.cli_gate import register as register_gate

    register_answerability(eval_app)
    register_gate(eval_app)
    app.add_typer(eval_app, name="eval")
