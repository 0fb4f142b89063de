"""What every node runs with: settings plus injectable dependencies.

The chat model, embedder, store, verifier and relevance scorer are injected here (tests pass
fakes); any that are left out are built lazily from the settings on first use, never at import
time. Under LangGraph Server the context arrives as JSON: ``settings`` may then be a plain dict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from litsynth.errors import ConfigError
from litsynth.prompts import PromptLibrary, load_prompts
from litsynth.settings import Settings, api_key

if TYPE_CHECKING:
    from langchain_core.callbacks import BaseCallbackHandler
    from langchain_core.language_models import BaseChatModel

    from litsynth.llm.budget import Budget
    from litsynth.llm.endpoint import Endpoint
    from litsynth.llm.usage import UsageLedger
    from litsynth.schema.relevance import RelevanceScorer
    from litsynth.text.embedding import MiniLMEmbedder
    from litsynth.vectorstore.store import PaperStore
    from litsynth.verification.base import Verifier


@dataclass(kw_only=True)
class Context:
    """Everything a node needs besides the state."""

    settings: Settings = field(default_factory=Settings)
    chat_model: BaseChatModel | None = None
    embedder: MiniLMEmbedder | None = None
    store: PaperStore | None = None
    verifier: Verifier | None = None
    relevance_scorer: RelevanceScorer | None = None
    usage: UsageLedger | None = None
    endpoint: Endpoint | None = None
    thread_id: str | None = None
    budget: Budget | None = None

    def __post_init__(self) -> None:
        if isinstance(self.settings, dict):
            self.settings = Settings.model_validate(self.settings)

    @cached_property
    def prompts(self) -> PromptLibrary:
        """Bundled prompts with the configured overrides, validated."""
        return load_prompts(self.settings.prompts.overrides)

    def get_usage(self) -> UsageLedger:
        """The token-usage ledger (created on first use)."""
        if self.usage is None:
            from litsynth.llm.usage import UsageLedger

            self.usage = UsageLedger()
        return self.usage

    def budget_exhausted(self) -> str | None:
        """Why the run's LLM budget allows no further call, or None (clock starts on first use)."""
        if self.budget is None:
            from litsynth.llm.budget import Budget

            self.budget = Budget(self.settings.budget)
        return self.budget.exhausted(self.get_usage().total())

    def get_chat_model(self) -> BaseChatModel:
        """The injected chat model, or one built for the configured endpoint."""
        if self.chat_model is None:
            from litsynth.llm.chat import make_chat_model

            llm = self.settings.llm
            if self.endpoint is not None:
                base_url, key = self.endpoint.base_url, self.endpoint.api_key
                llm = llm.model_copy(update={"model": self.endpoint.model})
            elif llm.base_url:
                base_url, key = llm.base_url, api_key()
            else:
                raise ConfigError(
                    "no chat model endpoint configured",
                    hint="set LITSYNTH_LLM_BASE_URL or llm.base_url, or use `litsynth ask`, "
                    "which can start the local default",
                )
            self.chat_model = make_chat_model(
                llm, base_url=base_url, api_key=key, faults=self.get_usage().faults
            )
        return self.chat_model

    def callbacks(self) -> list[BaseCallbackHandler]:
        """Callbacks to pass in the run config so every LLM call is accounted."""
        return [self.get_usage().handler()]

    def get_embedder(self) -> MiniLMEmbedder:
        """The injected embedder, or the process-wide MiniLM."""
        if self.embedder is None:
            from litsynth.text.embedding import get_embedder

            self.embedder = get_embedder(self.settings.embedding)
        return self.embedder

    def get_store(self) -> PaperStore:
        """The injected store, or the configured Chroma store."""
        if self.store is None:
            from litsynth.vectorstore.store import PaperStore

            self.store = PaperStore.open(
                self.settings.store,
                self.get_embedder(),
                chunking=self.settings.chunking,
                must_exist=True,
            )
        return self.store

    def get_verifier(self) -> Verifier:
        """The injected verifier, or the configured one."""
        if self.verifier is None:
            from litsynth.verification.factory import make_verifier

            self.verifier = make_verifier(self.settings.verifier)
        return self.verifier

    def get_relevance_scorer(self) -> RelevanceScorer:
        """The injected (question, sentence) relevance scorer, or the baseline: MiniLM cosine
        plus subject-facet and key-term evidence (``text.relevance_baseline``)."""
        if self.relevance_scorer is None:
            from litsynth.text.relevance_baseline import MiniLMTermScorer

            self.relevance_scorer = MiniLMTermScorer(self.get_embedder())
        return self.relevance_scorer

    def model_info(self) -> dict[str, str]:
        """Chat model name and endpoint for the manifest."""
        model: Any = self.chat_model
        name = self.endpoint.model if self.endpoint else self.settings.llm.model
        if model is not None:
            name = str(getattr(model, "model_name", None) or getattr(model, "model", name))
        where = self.endpoint.base_url if self.endpoint else self.settings.llm.base_url
        return {"name": name, "endpoint": where or "injected"}
