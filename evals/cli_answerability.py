"""``litsynth eval answerability``: facet-status accuracy and ungrounded claims vs gold."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from litsynth.cli.common import ConfigOpt, PresetOpt, StoreOpt
from litsynth.evals.cli_common import JsonOutOpt, ProgressOpt, QuestionLimitOpt, write_result_json


def register(eval_app: typer.Typer) -> None:
    """Add the ``answerability`` command to the ``eval`` sub-app."""

    @eval_app.command("answerability")
    def answerability_cmd(
        gold: Annotated[
            Path | None, typer.Option("--gold", help="Gold questions JSONL (default: bundled).")
        ] = None,
        papers: Annotated[
            Path | None, typer.Option("--papers", help="Folder of the papers' PDFs.")
        ] = None,
        store: StoreOpt = None,
        limit: QuestionLimitOpt = None,
        rules_only: Annotated[
            bool,
            typer.Option(
                "--rules-only/--with-llm",
                help="Run without a chat model (rule fallbacks everywhere; minutes on a CPU).",
            ),
        ] = False,
        json_out: JsonOutOpt = None,
        progress: ProgressOpt = True,
        config: ConfigOpt = None,
        preset: PresetOpt = None,
    ) -> None:
        """Does the report name what the corpus cannot answer? Facet statuses vs gold."""
        from litsynth.cli.common import cli_settings
        from litsynth.evals.tasks.answerability import run_answerability
        from litsynth.evals.tasks.common import progress_bar

        settings = cli_settings(config, preset, store)
        paper_store = None
        if store is not None:
            from litsynth.text.embedding import get_embedder
            from litsynth.vectorstore.store import PaperStore

            paper_store = PaperStore.open(
                settings.store,
                get_embedder(settings.embedding),
                chunking=settings.chunking,
                must_exist=True,
            )
        with progress_bar(progress) as bar:
            result = run_answerability(
                settings,
                gold=gold,
                papers=papers,
                store=paper_store,
                limit=limit,
                rules_only=rules_only,
                progress=bar,
            )
        write_result_json(result, json_out)
        typer.echo(f"answerability: {result.n} facets, {result.seconds:.0f} s")
        for name, value in result.metrics.items():
            typer.echo(f"  {name:<26} {'n/a' if value is None else f'{value:.3f}'}")
        typer.echo("  confusion (gold -> predicted): " + str(result.confusion))
        for note in result.notes:
            typer.echo(f"  {note}")
