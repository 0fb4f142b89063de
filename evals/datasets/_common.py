"""Shared helpers for the gold-set loaders: paths, line-numbered reading, deterministic splits."""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from litsynth.errors import DatasetError
from litsynth.evals.schema import GoldLabel, GoldRecord, Split

ENV_SHARED_DATA = "LITSYNTH_SHARED_DATA"


def shared_data_dir() -> Path:
    """The shared data root: ``$LITSYNTH_SHARED_DATA`` or ``<repo>/../shared/data``."""
    env = os.environ.get(ENV_SHARED_DATA)
    if env:
        return Path(env)
    # evals/datasets/_common.py -> repo root is two levels above the evals folder.
    return Path(__file__).resolve().parents[2].parent / "shared" / "data"


def resolve(explicit: Path | None, *default_parts: str) -> Path:
    """An explicit path if given, else the default under the shared data root; must exist."""
    path = Path(explicit) if explicit is not None else shared_data_dir().joinpath(*default_parts)
    if not path.is_file():
        raise DatasetError(
            f"{path}: dataset file not found",
            hint=f"pass an explicit path or set {ENV_SHARED_DATA} to the shared data folder",
        )
    return path


def bad(path: Path, line: int, message: str) -> DatasetError:
    """A DatasetError naming file and line."""
    return DatasetError(
        f"{path}:{line}: {message}", hint="fix or remove that record, or pass the right file"
    )


def iter_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (1-based line number, JSON object) for each non-blank line."""
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise bad(path, lineno, f"not valid JSON ({exc.msg})") from exc
            if not isinstance(obj, dict):
                raise bad(path, lineno, "expected a JSON object")
            yield lineno, obj


def iter_csv(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (1-based line number of the record's first line, row dict) for a CSV with header."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        start = reader.line_num + 1
        try:
            for row in reader:
                if None in row or any(v is None for v in row.values()):
                    raise bad(path, start, "wrong number of columns")
                yield start, row
                start = reader.line_num + 1
        except csv.Error as exc:
            raise bad(path, reader.line_num, f"CSV error ({exc})") from exc


def field(
    path: Path, line: int, obj: dict[str, Any], key: str, kind: type | tuple[type, ...]
) -> Any:
    """``obj[key]`` checked for presence and type, else DatasetError naming file:line."""
    if key not in obj:
        raise bad(path, line, f"missing field {key!r}")
    value = obj[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        name = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
        raise bad(path, line, f"field {key!r} should be {name}, got {type(value).__name__}")
    return value


def map_label(path: Path, line: int, raw: object, table: dict[str, GoldLabel]) -> GoldLabel:
    """Map a dataset's label through ``table`` (case-insensitive), else DatasetError."""
    key = str(raw).strip().lower()
    if key not in table:
        raise bad(path, line, f"unknown label {raw!r} (expected one of {sorted(table)})")
    return table[key]


def hash_split(key: str, dev_fraction: float = 0.3, salt: str = "litsynth-split-v1") -> Split:
    """Deterministic train/dev assignment: sha256 of ``salt:key`` -> dev if below the fraction."""
    digest = hashlib.sha256(f"{salt}:{key}".encode()).digest()
    bucket = int.from_bytes(digest[:8], "big") / 2**64
    return "dev" if bucket < dev_fraction else "train"


def check_split(name: str, split: str, available: tuple[str, ...]) -> None:
    """Raise DatasetError when ``split`` is not one the dataset offers."""
    if split not in available:
        raise DatasetError(
            f"{name} has no split {split!r}", hint=f"use one of: {', '.join(available)}"
        )


def true_false_records(
    dataset: str,
    path: Path,
    line: int,
    id_prefix: str,
    items: list[Any],
    labels: list[Any],
    split: Split,
    what: str,
) -> list[GoldRecord]:
    """One evidence-free record per (text, bool) item: true -> supported, false -> contradicted."""
    records = []
    for i, (text, truth) in enumerate(zip(items, labels, strict=True)):
        if not isinstance(text, str) or not isinstance(truth, bool):
            raise bad(path, line, f"{what} {i}: expected a string with a true/false label")
        records.append(
            GoldRecord(
                dataset=dataset,
                id=f"{id_prefix}-{i}",
                claim=text,
                label="supported" if truth else "contradicted",
                split=split,
            )
        )
    return records
