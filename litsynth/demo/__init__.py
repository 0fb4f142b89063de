"""A small demo corpus shipped with litsynth: arXiv titles and abstracts (CC0 metadata)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

CORPUS_FILE = "arxiv_abstracts.jsonl"


def corpus_path() -> Path:
    """Path of the demo corpus JSONL (one record per paper, loadable by ``litsynth ingest``)."""
    path = Path(str(resources.files(__name__).joinpath(CORPUS_FILE)))
    if not path.is_file():  # pragma: no cover - only when the package data was not installed
        raise FileNotFoundError(f"demo corpus missing at {path}; reinstall litsynth")
    return path
