"""What every node shares: asking the chat model for a judgement, and timing."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from pydantic import BaseModel

from litsynth.agents.context import Context
from litsynth.errors import LLMError
from litsynth.llm.delimit import SYSTEM_NOTE, fence_values
from litsynth.schema.records import StepError

T = TypeVar("T", bound=BaseModel)
F = TypeVar("F", bound=Callable[..., dict[str, Any]])


def ask(
    ctx: Context, node: str, prompt: str, schema: type[T], **values: object
) -> tuple[T | None, list[StepError]]:
    """One structured judgement; a malformed answer or a dead endpoint becomes a StepError."""
    from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

    from litsynth.llm.structured import invoke_structured

    spent = ctx.budget_exhausted()
    if spent is not None:
        return None, [
            StepError(node=node, kind="llm_budget", message=f"{prompt}: not asked ({spent})")
        ]
    rendered = ctx.prompts[prompt].render(**fence_values(values))
    messages: list[BaseMessage] = [
        SystemMessage(f"{text}\n{SYSTEM_NOTE}") if role == "system" else HumanMessage(text)
        for role, text in rendered
    ]
    llm = ctx.settings.llm
    try:
        result = invoke_structured(
            ctx.get_chat_model(),
            schema,
            messages,
            method=llm.structured_method,
            max_retries=llm.max_retries,
        )
    except LLMError as exc:
        return None, [StepError(node=node, kind="llm_endpoint", message=exc.one_line())]
    if result.value is None:
        return None, [
            StepError(
                node=node,
                kind="llm_malformed_output",
                message=f"{prompt}: {result.error} (after {result.attempts} attempts)",
            )
        ]
    return result.value, []


def timed(name: str) -> Callable[[F], F]:
    """Record the node's wall time under ``timings[name]`` (summed over rounds)."""

    def wrap(fn: F) -> F:
        @wraps(fn)
        def inner(*args: Any, **kwargs: Any) -> dict[str, Any]:
            t0 = time.perf_counter()
            update = fn(*args, **kwargs)
            state = args[0] if args else {}
            before = state.get("timings", {}).get(name, 0.0) if isinstance(state, dict) else 0.0
            update.setdefault("timings", {})[name] = round(before + time.perf_counter() - t0, 3)
            return update

        return inner  # type: ignore[return-value]

    return wrap
