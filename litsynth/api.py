"""The Python API: ``research(question) -> Report``."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Mapping
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litsynth.errors import QuestionError, RunError, StoreError
from litsynth.settings import Settings, load_settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.runnables import RunnableConfig
    from langgraph.checkpoint.base import BaseCheckpointSaver

    from litsynth.graph.configuration import Context
    from litsynth.schema.report import Report
    from litsynth.schema.state import InputState
    from litsynth.vectorstore.store import PaperStore
    from litsynth.verification.base import Verifier

EventHandler = Callable[[str, dict[str, Any]], None]
MIN_QUESTION_WORDS = 3
MAX_QUESTION_CHARS = 2000
"""Longer than any research question; a pasted document would swamp every prompt."""

logger = logging.getLogger(__name__)

# Each step is saved before the next starts, and "checkpoints" says when it was.
_SAVED_STREAM: dict[str, Any] = {"stream_mode": ["updates", "checkpoints"], "durability": "sync"}


def resolve_settings(config: Settings | Mapping[str, Any] | Path | str | None) -> Settings:
    """Settings from an object, a mapping of overrides, a TOML path, or the defaults."""
    if isinstance(config, Settings):
        return config
    if isinstance(config, Mapping):
        return load_settings(overrides=config)
    if config is not None:
        return load_settings(Path(config))
    return load_settings()


def check_question(question: str) -> str:
    """The question, stripped; QuestionError when it is empty, too short or too long."""
    q = " ".join((question or "").split())
    if len(q) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"the research question is {len(q)} characters long (at most {MAX_QUESTION_CHARS})",
            hint="ask one focused question; put documents into the store with `litsynth ingest`",
        )
    if len(q.split()) < MIN_QUESTION_WORDS:
        raise QuestionError(
            f"the research question {q!r} is too short" if q else "the research question is empty",
            hint=f"ask a question of at least {MIN_QUESTION_WORDS} words",
        )
    return q


def _store_choice(
    settings: Settings, store: PaperStore | Path | str | None
) -> tuple[Settings, PaperStore | None]:
    """A store directory goes into the settings; an open store is injected as it is."""
    if isinstance(store, Path | str):
        path_store = settings.store.model_copy(update={"path": Path(store)})
        return settings.model_copy(update={"store": path_store}), None
    return settings, store


def _require_documents(ctx: Context, settings: Settings) -> None:
    """StoreError when the run's store is empty: nothing to research from."""
    if not ctx.get_store().documents():
        where = settings.store.chroma_url or settings.store.path
        raise StoreError(
            f"the store at {where} holds no documents",
            hint="run `litsynth ingest PATH...` first",
        )


def research(
    question: str | None,
    *,
    store: PaperStore | Path | str | None = None,
    config: Settings | Mapping[str, Any] | Path | str | None = None,
    chat_model: BaseChatModel | None = None,
    verifier: Verifier | None = None,
    checkpointer: BaseCheckpointSaver | None = None,
    thread_id: str | None = None,
    resume: bool = False,
    on_event: EventHandler | None = None,
) -> Report:
    """Run the research graph and return its report.

    ``store`` is an open ``PaperStore`` or a store directory; ``config`` settings, overrides or
    a TOML path. Without ``chat_model`` the configured endpoint is used, or the local default
    server is started for the run. With ``resume=True`` the run ``thread_id`` continues from its
    last checkpoint (``question`` may then be None). ``on_event(node, update)`` sees every
    node's update as it happens.
    """
    from litsynth.graph.builder import build_graph
    from litsynth.graph.checkpoint import sqlite_checkpointer
    from litsynth.graph.configuration import Context

    settings, injected_store = _store_choice(resolve_settings(config), store)
    graph_input: InputState | None = (
        None if resume else {"question": check_question(question or "")}
    )
    if resume and not thread_id:
        raise QuestionError("resume needs the thread id of an earlier run")
    thread_id = thread_id or uuid.uuid4().hex[:12]
    logger.info("research run %s (resume=%s): %s", thread_id, resume, (question or "")[:200])

    with ExitStack() as stack:
        ctx = Context(
            settings=settings,
            chat_model=chat_model,
            store=injected_store,
            verifier=verifier,
            thread_id=thread_id,
        )
        _require_documents(ctx, settings)
        if chat_model is None:
            from litsynth.llm.endpoint import resolve_endpoint

            ctx.endpoint = stack.enter_context(resolve_endpoint(settings))
        if checkpointer is None:
            checkpointer = stack.enter_context(sqlite_checkpointer(settings.checkpoint_path()))
        graph = build_graph(checkpointer)
        run_config: RunnableConfig = {
            "configurable": {"thread_id": thread_id},
            "callbacks": ctx.callbacks(),
            "recursion_limit": settings.runs.recursion_limit,
        }
        _stream_saved(graph.stream(graph_input, run_config, **_SAVED_STREAM, context=ctx), on_event)
        values = graph.get_state(run_config).values
    report: Report | None = values.get("report")
    if report is None:
        raise RunError(
            f"run {thread_id} ended without a report",
            hint=f"resume it with --resume {thread_id}",
        )
    return report


def _stream_saved(stream: Iterable[tuple[str, Any]], on_event: EventHandler | None) -> None:
    """Pass each node's update to ``on_event`` once its step's checkpoint is on disk.

    A step's updates stream out before its checkpoint is saved; announced at once, a run
    killed in between would report a node done that ``--resume`` then runs (and reports)
    again. Held back until the checkpoint event, a reported node is never run twice.
    """
    held: list[tuple[str, Any]] = []
    for mode, chunk in stream:
        if mode == "updates":
            held.extend(chunk.items())
        else:
            _announce(held, on_event)
    _announce(held, on_event)  # a finished sync stream has saved its last step


def _announce(held: list[tuple[str, Any]], on_event: EventHandler | None) -> None:
    for node, update in held:
        if on_event is not None:
            on_event(node, update if isinstance(update, dict) else {})
    held.clear()
