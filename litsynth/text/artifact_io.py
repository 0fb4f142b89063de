"""Reading a trained judge's artefact: weights file + JSON metadata of the same stem."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from litsynth.errors import ConfigError

T = TypeVar("T")


def read_artifact(
    weights: Path,
    *,
    fmt: str,
    what: str,
    hint: str,
    read: Callable[[Path], T],
    errors: tuple[type[Exception], ...] = (),
) -> tuple[dict[str, Any], T]:
    """Metadata and ``read(weights)``; a missing, unreadable (``OSError``, ``ValueError`` or
    ``errors``) or foreign-format artefact raises ConfigError naming the file."""
    meta_path = weights.with_suffix(".json")
    if not weights.is_file() or not meta_path.is_file():
        raise ConfigError(f"{what} not found: {weights} (+ .json)", hint=hint)
    caught: tuple[type[Exception], ...] = (OSError, ValueError, *errors)
    try:
        metadata = json.loads(meta_path.read_text(encoding="utf-8"))
        loaded = read(weights)
    except caught as exc:
        raise ConfigError(f"{what} {weights} is unreadable: {exc}", hint=hint) from exc
    if metadata.get("format") != fmt:
        raise ConfigError(f"{meta_path} is not a {fmt} file", hint=hint)
    return metadata, loaded
