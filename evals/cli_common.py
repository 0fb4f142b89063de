"""Options and helpers shared by the ``litsynth eval`` commands, defined once so they agree."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer
from pydantic import BaseModel

DatasetOpt = Annotated[str, typer.Option("--dataset", "-d", help="Dataset name, e.g. scifact.")]
ClaimsOpt = Annotated[
    Path | None, typer.Option("--claims", help="Claims file instead of the shared default.")
]
CorpusOpt = Annotated[
    Path | None, typer.Option("--corpus", help="Corpus file instead of the shared default.")
]
SplitOpt = Annotated[str, typer.Option("--split", help="Split to report (never tuned on).")]
LimitOpt = Annotated[
    int | None, typer.Option("--limit", min=1, help="Only the first N records (quick runs).")
]
QuestionLimitOpt = Annotated[
    int | None, typer.Option("--limit", min=1, help="Only the first N questions.")
]
JsonOutOpt = Annotated[Path | None, typer.Option("--json", help="Write the result JSON here.")]
PlotOpt = Annotated[
    Path | None,
    typer.Option(
        "--plot", help="Write the reliability diagram PNG here (default: beside --json, .png)."
    ),
]
BaselinesOpt = Annotated[
    bool,
    typer.Option("--baselines/--no-baselines", help="Also run the train-tuned baselines."),
]
ProgressOpt = Annotated[
    bool, typer.Option("--progress/--no-progress", help="Progress bars on stderr.")
]
CacheDirOpt = Annotated[
    Path, typer.Option("--cache-dir", help="Where ingested eval corpora are kept.")
]
DEFAULT_CACHE_DIR = Path(".litsynth/evals")
JudgeOpt = Annotated[
    Literal["llm", "verifier"],
    typer.Option(
        "--judge",
        help="e2e judge of report claims that match no gold claim: llm (the configured chat "
        "model or the local default server, independent of the verifier) or verifier (the "
        "verifier the graph itself uses).",
    ),
]


def write_result_json(result: BaseModel, path: Path | None) -> None:
    """Write a result as indented JSON when ``path`` is given, and say so on stderr."""
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(result.model_dump_json(indent=2), encoding="utf-8")
    typer.echo(f"wrote {path}", err=True)
