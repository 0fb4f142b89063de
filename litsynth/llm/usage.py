"""Token usage per model, accumulated from LangChain callbacks for the provenance manifest."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from langchain_core.callbacks import BaseCallbackHandler
    from langchain_core.outputs import LLMResult


@dataclass(frozen=True)
class ModelUsage:
    """Tokens and calls counted for one model name."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0

    def __add__(self, other: ModelUsage) -> ModelUsage:
        return ModelUsage(
            self.calls + other.calls,
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.total_tokens + other.total_tokens,
        )


def _int(value: Any) -> int:
    return value if isinstance(value, int) else 0


def usage_from_result(response: LLMResult) -> tuple[str, ModelUsage]:
    """Model name and token counts of one finished call (message metadata, then llm_output)."""
    llm_output = response.llm_output or {}
    model = str(llm_output.get("model_name") or llm_output.get("model") or "")
    prompt = completion = total = 0
    found = False
    for generations in response.generations:
        for gen in generations:
            message = getattr(gen, "message", None)
            meta = getattr(message, "usage_metadata", None)
            if meta:
                found = True
                prompt += _int(meta.get("input_tokens"))
                completion += _int(meta.get("output_tokens"))
                total += _int(meta.get("total_tokens"))
            if not model and message is not None:
                model = str(message.response_metadata.get("model_name") or "")
    if not found:
        usage = llm_output.get("token_usage") or llm_output.get("usage") or {}
        prompt = _int(usage.get("prompt_tokens"))
        completion = _int(usage.get("completion_tokens"))
        total = _int(usage.get("total_tokens"))
    if total == 0:
        total = prompt + completion
    return model or "unknown", ModelUsage(1, prompt, completion, total)


class UsageLedger:
    """Thread-safe per-model token totals; ``handler()`` gives the callback to attach."""

    def __init__(self) -> None:
        from litsynth.llm.transport import FaultLog

        self._lock = threading.Lock()
        self._by_model: dict[str, ModelUsage] = {}
        self.faults = FaultLog()
        """Failed HTTP attempts of the chat client (retried or not)."""

    def add(self, model: str, usage: ModelUsage) -> None:
        """Add one call's usage under ``model``."""
        with self._lock:
            self._by_model[model] = self._by_model.get(model, ModelUsage()) + usage

    def record(self, response: LLMResult) -> None:
        """Account one finished LangChain call."""
        self.add(*usage_from_result(response))

    def snapshot(self) -> dict[str, ModelUsage]:
        """A copy of the totals per model."""
        with self._lock:
            return dict(self._by_model)

    def total(self) -> ModelUsage:
        """Totals over all models."""
        out = ModelUsage()
        for usage in self.snapshot().values():
            out = out + usage
        return out

    def as_dict(self) -> dict[str, dict[str, int]]:
        """JSON-ready totals per model, for the manifest."""
        return {model: asdict(usage) for model, usage in sorted(self.snapshot().items())}

    def handler(self) -> BaseCallbackHandler:
        """A LangChain callback handler feeding this ledger (pass it in ``callbacks=``)."""
        return _handler_class()(self)


@cache
def _handler_class() -> Callable[[UsageLedger], BaseCallbackHandler]:
    # Built on first use so importing this module does not import LangChain.
    from langchain_core.callbacks import BaseCallbackHandler

    class UsageCallbackHandler(BaseCallbackHandler):
        """Feeds every finished chat call's token usage into a ``UsageLedger``."""

        def __init__(self, ledger: UsageLedger) -> None:
            self.ledger = ledger

        def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
            self.ledger.record(response)

    return UsageCallbackHandler
