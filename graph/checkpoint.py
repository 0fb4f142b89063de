"""Checkpointing: a SQLite saver whose serializer knows litsynth's state types."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from litsynth.schema import conversation, judgements, records, report, verdicts

if TYPE_CHECKING:
    from langgraph.checkpoint.base import BaseCheckpointSaver
    from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer

_STATE_MODULES = (conversation, judgements, records, report, verdicts)


def state_types() -> list[tuple[str, str]]:
    """(module, class) of every pydantic type that can sit in the graph state."""
    from pydantic import BaseModel

    return sorted(
        (mod.__name__, name)
        for mod in _STATE_MODULES
        for name, obj in vars(mod).items()
        if isinstance(obj, type) and issubclass(obj, BaseModel) and obj.__module__ == mod.__name__
    )


def serializer() -> JsonPlusSerializer:
    """Checkpoint serializer that restores our state types and refuses unknown ones."""
    from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer

    return JsonPlusSerializer(allowed_msgpack_modules=state_types())


@contextmanager
def sqlite_checkpointer(path: Path) -> Iterator[BaseCheckpointSaver]:
    """A SQLite checkpointer at ``path`` (parent directories created)."""
    from langgraph.checkpoint.sqlite import SqliteSaver

    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), check_same_thread=False)
    try:
        yield SqliteSaver(conn, serde=serializer())
    finally:
        conn.close()
