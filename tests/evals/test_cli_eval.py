"""`litsynth eval` on a tiny synthetic SciFact-format dataset (stand-in embedder, no model)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from litsynth.cli.app import app

runner = CliRunner()


def test_eval_verify_writes_json_and_plot(tiny_dataset, fake_embedder, tmp_path: Path) -> None:
    claims, corpus = tiny_dataset
    out, plot = tmp_path / "r.json", tmp_path / "r.png"
    result = runner.invoke(
        app,
        [
            "eval", "verify", "--dataset", "scifact", "--verifier", "embedding",
            "--claims", str(claims),
            "--corpus", str(corpus), "--no-baselines", "--no-progress",
            "--json", str(out), "--plot", str(plot),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["dataset"] == "scifact" and data["task"] == "verify" and data["n"] == 4
    for key in ("accuracy", "macro_f1", "precision_supported", "ece"):
        assert 0.0 <= data["metrics"][key] <= 1.0
    for key in ("confusion", "baselines", "config", "litsynth_version", "verifier", "seconds"):
        assert key in data
    # the two verbatim supported claims are found; the unrelated NEI claim is not supported
    preds = {p["id"]: p["pred"] for p in data["predictions"]}
    assert preds["1-1"] == "supported" and preds["3-3"] == "supported"
    assert preds["4-4"] != "supported"
    assert data["metrics"]["precision_supported"] == 1.0
    assert sum(sum(row.values()) for row in data["confusion"].values()) == 4
    assert plot.read_bytes()[:4] == b"\x89PNG"
    assert "macro-F1" in result.output


def test_eval_verify_is_reproducible(tiny_dataset, fake_embedder, tmp_path: Path) -> None:
    claims, corpus = tiny_dataset
    outs = []
    for name in ("a.json", "b.json"):
        args = [
            "eval",
            "verify",
            "-d",
            "scifact",
            "--verifier",
            "embedding",
            "--claims",
            str(claims),
        ]
        args += ["--corpus", str(corpus)]
        args += ["--no-baselines", "--no-progress", "--json", str(tmp_path / name)]
        assert runner.invoke(app, args).exit_code == 0
        data = json.loads((tmp_path / name).read_text())
        data.pop("seconds")
        outs.append(data)
    assert outs[0] == outs[1]


def test_eval_retrieve_recall(tiny_dataset, fake_embedder, tmp_path: Path) -> None:
    claims, corpus = tiny_dataset
    out = tmp_path / "ret.json"
    result = runner.invoke(
        app,
        [
            "eval", "retrieve", "--dataset", "scifact", "--verifier", "embedding",
            "--claims", str(claims),
            "--corpus", str(corpus), "--k", "2", "--no-baselines", "--no-progress",
            "--cache-dir", str(tmp_path / "cache"), "--json", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["task"] == "retrieve" and data["n"] == 4
    # each claim with gold evidence shares its words with exactly its own abstract
    assert data["metrics"]["recall_at_3"] == 1.0
    assert data["metrics"]["recall_at_2"] == 1.0
    assert (tmp_path / "cache").is_dir()
    assert (tmp_path / "ret.png").stat().st_size > 0  # diagram beside the JSON by default


def test_eval_unknown_dataset_is_one_line_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", "verify", "--dataset", "nope", "--no-progress"])
    assert result.exit_code != 0
    assert "unknown dataset" in str(result.exception)


def test_eval_help_lists_commands() -> None:
    result = runner.invoke(app, ["eval", "--help"])
    assert result.exit_code == 0
    for name in ("verify", "retrieve", "e2e", "all"):
        assert name in result.output


def test_eval_e2e_without_the_papers_is_one_line_error(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["eval", "e2e", "--papers", str(tmp_path), "--rules-only", "--no-progress"],
        env={"LITSYNTH_LLM_BASE_URL": ""},
    )
    assert result.exit_code != 0
    assert "gold papers are missing" in str(result.exception)
    assert not isinstance(result.exception, FileNotFoundError)
