"""Helpers for the reliability tests: a generated corpus and the real CLI in subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

TOPICS = (
    "quantization",
    "retrieval",
    "summarization",
    "translation",
    "parsing",
    "speech",
    "vision",
    "robotics",
)


def abstract(i: int) -> dict[str, str]:
    """A distinct synthetic abstract: its sentences name the record number, so each is findable."""
    topic = TOPICS[i % len(TOPICS)]
    sentences = [
        f"Study {i} examines {topic} for model family M{i} on benchmark B{i}.",
        f"The authors of study {i} report an accuracy of {50 + i % 50}.{i % 10} percent.",
        f"Study {i} used {i % 7 + 1} GPUs and a batch size of {2 ** (i % 6 + 3)}.",
        f"Limitations of study {i} include a small {topic} test set of {100 + i} items.",
    ]
    return {
        "doc_id": f"syn:{i}",
        "title": f"Synthetic study {i} on {topic}",
        "text": " ".join(sentences * 3),
    }


def write_jsonl(path: Path, numbers: Sequence[int]) -> Path:
    """A JSONL corpus of the given abstracts."""
    path.write_text("".join(json.dumps(abstract(i)) + "\n" for i in numbers), encoding="utf-8")
    return path


def cli_env() -> dict[str, str]:
    """The environment for a CLI subprocess: offline, one torch thread, no endpoint."""
    env = dict(os.environ)
    env.update(
        {
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "OMP_NUM_THREADS": "1",
            "TOKENIZERS_PARALLELISM": "false",
            "PYTHONWARNINGS": "ignore",
        }
    )
    env.pop("LITSYNTH_LLM_BASE_URL", None)
    return env


def litsynth_cmd(*args: str | Path) -> list[str]:
    """argv running the installed CLI with this interpreter."""
    return [sys.executable, "-m", "litsynth", *map(str, args)]


def run_cli(
    *args: str | Path, cwd: Path | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run one CLI command to the end."""
    return subprocess.run(
        litsynth_cmd(*args),
        capture_output=True,
        text=True,
        env=cli_env(),
        cwd=cwd,
        timeout=timeout,
        check=False,
    )
