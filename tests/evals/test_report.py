"""Markdown summary, JSON round trip and the rich tables of eval results."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from litsynth.evals import report
from litsynth.evals.tasks.common import Prediction, TaskResult
from litsynth.evals.tasks.run_all import load_results


def _result(dataset: str, task: str, **extra) -> TaskResult:
    metrics = extra.pop(
        "metrics", {"accuracy": 0.5, "macro_f1": 0.25, "precision_supported": 1.0, "ece": 0.125}
    )
    return TaskResult(
        dataset=dataset,
        task=task,
        n=2,
        metrics=metrics,
        confusion={"supported": {"supported": 1, "not_enough_info": 0}},
        baselines={
            "majority": {"label": "supported", "accuracy": 0.5, "macro_f1": 0.2},
            "embedding_tuned_on_train": {"macro_f1": 0.3, "tuned_on": "t train"},
            "published": {"figures": [{"name": "Paper", "setting": "dev", "value": 0.7}]},
        },
        predictions=[
            Prediction(id="1", gold="supported", pred="supported", confidence=0.9),
            Prediction(id="2", gold="not_enough_info", pred="supported", confidence=0.6),
        ],
        **extra,
    )


def test_markdown_table_rows_and_skips() -> None:
    table = report.markdown_table(
        [
            _result("scifact", "verify"),
            _result("healthver", "verify", metrics={"ece": 0.1, "ece_floor": 0.04}),
            TaskResult(dataset="felm", task="verify", n=3, metrics={}, skipped="no evidence"),
        ]
    )
    lines = table.strip().splitlines()
    assert lines[0].startswith("| dataset | task | n |")
    assert "| scifact | verify | 2 | 0.500 | 0.250 | 1.000 | 0.125 | – | 0.200 | 0.300 |" in table
    assert "| healthver | verify | 2 | – | – | – | 0.100 (0.040) |" in table
    assert "felm/verify skipped: no evidence" in table


def test_json_round_trip_and_plot(tmp_path: Path) -> None:
    result = _result("scifact", "retrieve")
    report.write_json(result, tmp_path / "scifact-retrieve.json")
    report.write_plot(result, tmp_path / "scifact-retrieve.png")
    (loaded,) = load_results(tmp_path)
    assert loaded == result
    assert (tmp_path / "scifact-retrieve.png").stat().st_size > 0


def test_print_result_shows_ours_and_baselines() -> None:
    buf = io.StringIO()
    report.print_result(_result("scifact", "verify"), Console(file=buf, width=160))
    text = buf.getvalue()
    assert "litsynth" in text and "majority" in text and "published: Paper" in text
    assert "0.250" in text and "0.700" in text
