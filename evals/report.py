"""Showing eval results: rich tables, one Markdown summary table, JSON files and plots."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litsynth.evals.tasks.common import TaskResult

if TYPE_CHECKING:
    from rich.console import Console

METRIC_COLUMNS: tuple[tuple[str, str], ...] = (
    ("accuracy", "acc"),
    ("macro_f1", "macro-F1"),
    ("precision_supported", "P(sup)"),
    ("ece", "ECE"),
    ("ece_floor", "ECE floor"),
    ("recall_at_3", "R@3"),
)


def fmt(value: Any) -> str:
    """A metric as a 3-decimal fraction, or an en dash when absent."""
    return "–" if value is None or not isinstance(value, int | float) else f"{value:.3f}"


def write_json(result: TaskResult, path: Path) -> Path:
    """Write one task result as JSON (predictions included)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result.model_dump(mode="json"), indent=2) + "\n", encoding="utf-8")
    return path


def write_plot(result: TaskResult, path: Path) -> Path:
    """Reliability diagram of the result's predictions."""
    from litsynth.evals.metrics import reliability_diagram, to_gold

    preds = result.predictions
    return reliability_diagram(
        [p.confidence for p in preds],
        [to_gold(p.gold) == to_gold(p.pred) for p in preds],
        path,
        title=f"{result.dataset} · {result.task} · {result.verifier}",
    )


def _baseline_rows(result: TaskResult) -> list[tuple[str, dict[str, Any], str]]:
    rows: list[tuple[str, dict[str, Any], str]] = []
    for name, values in result.baselines.items():
        if name == "published":
            for fig in values.get("figures", []):
                value = fig.get("value")
                rows.append(
                    (
                        f"published: {fig['name']}",
                        {"macro_f1": value},
                        f"{fig['setting']}; {fig.get('note', '')}".strip("; "),
                    )
                )
        elif "skipped" in values:
            rows.append((name, {}, values["skipped"]))
        else:
            note = values.get("tuned_on", "") or (
                f"always '{values['label']}'" if "label" in values else ""
            )
            rows.append((name, values, note))
    return rows


def print_result(result: TaskResult, console: Console) -> None:
    """Our metrics, the baselines beside them, the per-label table and the confusion matrix."""
    from rich.table import Table

    title = f"{result.dataset} · {result.task} · split {result.split} · n = {result.n}"
    if result.skipped:
        console.print(f"[yellow]{title}: skipped — {result.skipped}[/yellow]")
        return
    cols = [(k, h) for k, h in METRIC_COLUMNS if k in result.metrics or k != "recall_at_3"]
    table = Table(title=title)
    table.add_column("system")
    for _, header in cols:
        table.add_column(header, justify="right")
    table.add_column("note")
    table.add_row(
        f"litsynth ({result.verifier})",
        *[fmt(result.metrics.get(k)) for k, _ in cols],
        f"{result.seconds:.0f} s",
        style="bold",
    )
    for name, values, note in _baseline_rows(result):
        table.add_row(name, *[fmt(values.get(k)) for k, _ in cols], note)
    console.print(table)
    if result.confusion:
        labels = list(result.confusion)
        conf = Table(title="confusion (rows gold, columns predicted)")
        conf.add_column("gold \\ pred")
        for label in labels:
            conf.add_column(label, justify="right")
        conf.add_column("F1", justify="right")
        for gold in labels:
            conf.add_row(
                gold,
                *[str(result.confusion[gold][p]) for p in labels],
                fmt(result.per_label.get(gold, {}).get("f1")),
            )
        console.print(conf)
    if result.task == "e2e":
        console.print(_answer_table(result))
    for note in result.notes:
        console.print(f"[dim]note: {note}[/dim]")


ANSWER_ROWS = (
    ("gold_recall", "baseline_gold_recall", "gold-finding recall", ">= 0.7 and >= 2x baseline"),
    (
        "gold_recall_answer_claims",
        None,
        "  from answer claims alone",
        "(without the sources' headline results)",
    ),
    ("answer_support_rate", "baseline_answer_support_rate", "answer sentences supported", ">= 0.9"),
    ("off_topic_sources_cited", None, "off-topic sources cited", "0"),
)


def _answer_table(result: TaskResult) -> Any:
    """The e2e answer metrics beside the naive search baseline, with the targets."""
    from rich.table import Table

    m = result.metrics
    table = Table(title="answer quality: litsynth against the 20 closest search sentences")
    for header in ("metric", "litsynth", "search baseline", "target"):
        table.add_column(header, justify="left" if header in ("metric", "target") else "right")
    for ours, base, label, target in ANSWER_ROWS:
        cell = fmt(m.get(ours))
        if ours == "answer_support_rate" and m.get("answer_support_rate_unvalidated") is not None:
            cell = f"– ({fmt(m['answer_support_rate_unvalidated'])}, judge failed)"
        table.add_row(label, cell, fmt(m.get(base)) if base else "", target)
        if ours == "answer_support_rate" and m.get("judge_controls_passed") is not None:
            table.add_row(*_controls_row(m))
    ratio = m.get("gold_recall_over_baseline")
    table.add_row("recall over baseline", fmt(ratio), "1.000" if ratio is not None else "", ">= 2")
    return table


def _controls_row(m: dict[str, Any]) -> tuple[str, str, str, str]:
    """The judge's control rates (gold / other source / edited confirmed) and its verdict."""
    rates = " / ".join(
        fmt(m.get(f"judge_control_{k}_confirmed")) for k in ("gold", "other_source", "edited")
    )
    verdict = "passed" if m["judge_controls_passed"] else "FAILED"
    return (
        "  judge controls (gold/other/edited)",
        f"{rates} {verdict}",
        "",
        ">= 0.8 / <= 0.2 / <= 0.2",
    )


def _ece_cell(m: dict[str, Any]) -> str:
    floor = m.get("ece_floor")
    return fmt(m.get("ece")) + (f" ({fmt(floor)})" if floor is not None else "")


def markdown_table(results: Sequence[TaskResult]) -> str:
    """One Markdown table: a row per (dataset, task) with ours and the baselines' macro-F1."""
    header = (
        "| dataset | task | n | acc | macro-F1 | P(supported) | ECE (floor) | R@3 "
        "| majority F1 | tuned-emb F1 | s |\n"
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    )
    lines: list[str] = []
    for r in results:
        if r.skipped:
            lines.append(f"| {r.dataset} | {r.task} | {r.n} | – | – | – | – | – | – | – | – |")
            continue
        maj = r.baselines.get("majority", {})
        emb = r.baselines.get("embedding_tuned_on_train", {})
        m = r.metrics
        lines.append(
            f"| {r.dataset} | {r.task} | {r.n} | {fmt(m.get('accuracy'))} "
            f"| {fmt(m.get('macro_f1'))} | {fmt(m.get('precision_supported'))} "
            f"| {_ece_cell(m)} | {fmt(m.get('recall_at_3'))} | {fmt(maj.get('macro_f1'))} "
            f"| {fmt(emb.get('macro_f1'))} | {r.seconds:.0f} |"
        )
    skipped = [r for r in results if r.skipped]
    footer = "".join(f"\n- {r.dataset}/{r.task} skipped: {r.skipped}" for r in skipped)
    return header + "\n".join(lines) + ("\n" + footer if footer else "") + "\n"
