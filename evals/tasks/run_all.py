"""``eval all``: verify on every dataset, retrieve where a corpus exists, then e2e."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from litsynth.errors import LitsynthError
from litsynth.evals.tasks.common import TaskResult, progress_bar, shared_embedder

if TYPE_CHECKING:
    from litsynth.evals.tasks.judge import JudgeKind
    from litsynth.settings import Settings


def run_all(
    settings: Settings,
    *,
    limit: int | None = None,
    cache_dir: Path = Path(".litsynth/evals"),
    with_e2e: bool = True,
    judge: JudgeKind = "llm",
    progress: bool = True,
    out: Path | None = None,
    datasets: list[str] | None = None,
) -> list[TaskResult]:
    """Every task on every dataset (sorted by name); a failing dataset is reported, not fatal.

    ``judge`` is the e2e task's judge of report claims that match no gold claim (``llm`` or
    ``verifier``, see ``litsynth.evals.tasks.judge``).
    """
    from rich.console import Console

    from litsynth.evals import report
    from litsynth.evals.datasets import DATASETS
    from litsynth.evals.tasks.e2e import run_e2e
    from litsynth.evals.tasks.retrieve import run_retrieve
    from litsynth.evals.tasks.verify import run_verify

    console = Console(file=sys.stderr)
    if not console.is_terminal:
        console.width = max(console.width, 140)
    embedder = shared_embedder(settings)
    results: list[TaskResult] = []
    names = sorted(datasets or DATASETS)
    with progress_bar(progress) as bar:
        for name in names:
            tasks = ["verify", "retrieve"] if DATASETS[name].has_corpus else ["verify"]
            for task in tasks:
                try:
                    if task == "verify":
                        result = run_verify(
                            name, settings, limit=limit, progress=bar, embedder=embedder
                        )
                    else:
                        result = run_retrieve(
                            name,
                            settings,
                            limit=limit,
                            cache_dir=cache_dir,
                            progress=bar,
                            embedder=embedder,
                        )
                except LitsynthError as exc:
                    result = TaskResult(
                        dataset=name, task=task, n=0, metrics={}, skipped=exc.one_line()
                    )
                results.append(result)
                _save(result, out)
                report.print_result(result, console)
        if with_e2e:
            try:
                result = run_e2e(
                    settings,
                    limit=limit,
                    cache_dir=cache_dir,
                    progress=bar,
                    embedder=embedder,
                    judge=judge,
                )
            except LitsynthError as exc:
                result = TaskResult(
                    dataset="quantization-gold", task="e2e", n=0, metrics={}, skipped=exc.one_line()
                )
            results.append(result)
            _save(result, out)
            report.print_result(result, console)
    return results


def _save(result: TaskResult, out: Path | None) -> None:
    from litsynth.evals import report

    if out is None:
        return
    report.write_json(result, out / f"{result.dataset}-{result.task}.json")
    if result.predictions:
        report.write_plot(result, out / f"{result.dataset}-{result.task}.png")


def load_results(out: Path) -> list[TaskResult]:
    """Results saved in ``out`` by an earlier (possibly interrupted) run, sorted by file name."""
    import json

    return [
        TaskResult.model_validate(json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(out.glob("*.json"))
    ]
