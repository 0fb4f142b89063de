"""A chat session: one LangGraph thread on the sqlite checkpointer, one question per turn.

A turn is an ordinary research run on the thread, so claims, passages and sources from earlier
turns stay in its state: the extractor skips passages it already used and the verifier judges
only claims without a verdict, so earlier verified claims are reused, never judged again. Between
turns the session resets the round counter and appends the finished turn to ``history``, which
the planner reads. Heavy dependencies (chat model, verifier, store) are built once per session.
"""

from __future__ import annotations

import logging
import uuid
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litsynth.api import EventHandler, check_question, research
from litsynth.errors import StoreError
from litsynth.report.terminal import direct_answer
from litsynth.schema.conversation import Turn

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.runnables import RunnableConfig
    from langgraph.checkpoint.base import BaseCheckpointSaver
    from langgraph.graph.state import CompiledStateGraph

    from litsynth.ingest.runner import IngestReport
    from litsynth.schema.report import Report
    from litsynth.settings import Settings
    from litsynth.vectorstore.store import PaperStore
    from litsynth.verification.base import Verifier

log = logging.getLogger(__name__)
_AS_NODE = "reporter"  # writes between turns land as if the last node wrote them


def new_thread_id() -> str:
    """A fresh thread id, short enough to type after --resume."""
    return uuid.uuid4().hex[:12]


class ChatSession:
    """Runs questions as turns of one thread; the CLI's REPL drives it."""

    def __init__(
        self,
        settings: Settings,
        *,
        thread_id: str | None = None,
        chat_model: BaseChatModel | None = None,
        verifier: Verifier | None = None,
        store: PaperStore | None = None,
    ) -> None:
        self.settings = settings
        self.thread_id = thread_id or new_thread_id()
        self._chat_model = chat_model
        self._verifier = verifier
        self._store = store
        self._stack = ExitStack()
        self._checkpointer: BaseCheckpointSaver | None = None
        self._graph: CompiledStateGraph[Any, Any, Any, Any] | None = None

    def close(self) -> None:
        """Stop the local model server (if one was started) and close the checkpointer."""
        self._stack.close()

    # --- dependencies, built on first use -------------------------------------------------
    @property
    def store(self) -> PaperStore:
        """The paper store (opened on first use)."""
        if self._store is None:
            from litsynth.text.embedding import get_embedder
            from litsynth.vectorstore.store import PaperStore

            self._store = PaperStore.open(
                self.settings.store,
                get_embedder(self.settings.embedding),
                chunking=self.settings.chunking,
            )
        return self._store

    @property
    def graph(self) -> CompiledStateGraph[Any, Any, Any, Any]:
        """The research graph on this session's checkpointer."""
        if self._graph is None:
            from litsynth.graph.builder import build_graph
            from litsynth.graph.checkpoint import sqlite_checkpointer

            self._checkpointer = self._stack.enter_context(
                sqlite_checkpointer(self.settings.checkpoint_path())
            )
            self._graph = build_graph(self._checkpointer)
        return self._graph

    def _model(self) -> BaseChatModel:
        if self._chat_model is None:
            from litsynth.llm.chat import make_chat_model
            from litsynth.llm.endpoint import resolve_endpoint

            endpoint = self._stack.enter_context(resolve_endpoint(self.settings))
            llm = self.settings.llm.model_copy(update={"model": endpoint.model})
            self._chat_model = make_chat_model(
                llm, base_url=endpoint.base_url, api_key=endpoint.api_key
            )
        return self._chat_model

    def _judge(self) -> Verifier:
        if self._verifier is None:
            from litsynth.verification.factory import make_verifier

            self._verifier = make_verifier(self.settings.verifier)
        return self._verifier

    # --- thread state ---------------------------------------------------------------------
    @property
    def config(self) -> RunnableConfig:
        """The run config naming this session's thread."""
        return {"configurable": {"thread_id": self.thread_id}}

    def values(self) -> dict[str, Any]:
        """The thread's current state (empty before the first turn)."""
        return dict(self.graph.get_state(self.config).values)

    def report(self) -> Report | None:
        """The last finished turn's report."""
        report: Report | None = self.values().get("report")
        return report

    def history(self) -> list[Turn]:
        """The thread's finished turns, oldest first."""
        return list(self.values().get("history", []))

    def new_thread(self) -> str:
        """Start a fresh conversation; the old thread stays resumable."""
        self.thread_id = new_thread_id()
        return self.thread_id

    def settle(self) -> None:
        """Make the thread ready for a new turn: no pending tasks from a cancelled run, round 0.

        Written as the reporter's update, so the thread reads as finished; the next question
        then starts from the planner with the earlier turns' records in place.
        """
        values = self.values()
        if values and (values.get("round") or self.graph.get_state(self.config).next):
            self.graph.update_state(self.config, {"round": 0, "started_at": ""}, as_node=_AS_NODE)

    # --- turns ----------------------------------------------------------------------------
    def ask(self, question: str, on_event: EventHandler | None = None) -> Report:
        """Run one turn and return its report; KeyboardInterrupt leaves the thread settled."""
        q = check_question(question)
        if not self.store.documents():
            where = self.settings.store.chroma_url or self.settings.store.path
            raise StoreError(
                f"the store at {where} holds no documents",
                hint="run `/ingest PATH...` or `litsynth ingest PATH...` first",
            )
        model, judge = self._model(), self._judge()
        self.settle()
        try:
            report = research(
                q,
                store=self.store,
                config=self.settings,
                chat_model=model,
                verifier=judge,
                checkpointer=self._checkpointer,
                thread_id=self.thread_id,
                on_event=on_event,
            )
        except BaseException:  # Ctrl-C or a failure: the next question must still work
            log.info("turn stopped on thread %s", self.thread_id, exc_info=True)
            self.settle()
            raise
        self._finish(q, report)
        return report

    def _finish(self, question: str, report: Report) -> None:
        supported = report.supported_claims()
        titles = {c.doc_id: c.title for c in supported}
        turn = Turn(
            question=question,
            answer=" ".join(direct_answer(report)) or report.abstract,
            claim_ids=[c.id for c in supported],
            sources=list(titles.values()),
        )
        self.graph.update_state(
            self.config, {"history": [turn], "round": 0, "started_at": ""}, as_node=_AS_NODE
        )

    def ingest(self, paths: list[Path], on_file: Any = None) -> IngestReport:
        """Add papers to the store mid-session."""
        from litsynth.ingest.runner import ingest_paths

        return ingest_paths(self.store, paths, on_file=on_file)
