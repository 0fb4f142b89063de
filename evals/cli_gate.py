"""``litsynth eval gate``: precision and recall of the sources the relevance gate keeps."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from litsynth.cli.common import ConfigOpt, PresetOpt
from litsynth.evals.cli_common import (
    DEFAULT_CACHE_DIR,
    CacheDirOpt,
    JsonOutOpt,
    ProgressOpt,
    write_result_json,
)


def register(eval_app: typer.Typer) -> None:
    """Add the ``gate`` command to the ``eval`` sub-app."""

    @eval_app.command("gate")
    def gate_cmd(
        gold: Annotated[
            Path | None, typer.Option("--gold", help="Gate labels JSONL (default: bundled).")
        ] = None,
        label_set: Annotated[
            list[str] | None,
            typer.Option(
                "--set",
                help="Label sets: papers (needs the shared papers) and demo (bundled corpus); "
                "repeatable, default both.",
            ),
        ] = None,
        with_llm: Annotated[
            bool,
            typer.Option(
                "--with-llm/--rules-only",
                help="Also ask the configured chat model about papers between "
                "gate.min_relevance and gate.strong_keep.",
            ),
        ] = False,
        json_out: JsonOutOpt = None,
        progress: ProgressOpt = True,
        cache_dir: CacheDirOpt = DEFAULT_CACHE_DIR,
        config: ConfigOpt = None,
        preset: PresetOpt = None,
    ) -> None:
        """Does the gate keep the papers that bear on the question, and only those?"""
        from litsynth.cli.common import cli_settings
        from litsynth.evals.report import fmt
        from litsynth.evals.tasks.common import progress_bar
        from litsynth.evals.tasks.gate import SETS, run_gate

        settings = cli_settings(config, preset)
        chat_model = None
        if with_llm:
            from litsynth.agents.context import Context

            chat_model = Context(settings=settings).get_chat_model()
        sets = tuple(label_set or SETS)
        with progress_bar(progress) as bar:
            result = run_gate(
                settings,
                gold=gold,
                sets=sets,
                chat_model=chat_model,
                cache_dir=cache_dir,
                progress=bar,
            )
        write_result_json(result, json_out)
        typer.echo(
            f"gate: {result.n} labelled pairs, scorer {result.config['scorer']}, "
            f"llm {'on' if with_llm else 'off'}, {result.seconds:.0f} s"
        )
        typer.echo(
            f"  {'set':<8} {'gate':<10} {'precision':>9} {'recall':>7} {'F1':>6} {'kept':>5}"
        )
        for s in sets:
            old = result.baselines.get(f"old_gate_{s}", {})
            new = {k: result.metrics.get(f"{s}_{k}") for k in ("precision", "recall", "f1", "kept")}
            for name, m in (("litsynth", new), ("old gate", old)):
                typer.echo(
                    f"  {s:<8} {name:<10} {fmt(m.get('precision')):>9} {fmt(m.get('recall')):>7} "
                    f"{fmt(m.get('f1')):>6} {int(m.get('kept') or 0):>5}"
                )
