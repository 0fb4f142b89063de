"""What every node shares: asking the chat model for a judgement, timing, key terms."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from pydantic import BaseModel

from litsynth.errors import LLMError
from litsynth.graph.configuration import Context
from litsynth.graph.models import StepError

T = TypeVar("T", bound=BaseModel)
F = TypeVar("F", bound=Callable[..., dict[str, Any]])

_STOP_WORDS = """
a about above across after again against all also am an and any are as at be because
been before being between both but by can could did do does doing done during each
either few for from further had has have having how however if in into is it its itself
just many may might more most much must no nor not now of off on once only or other our
out over own per same should so some such than that the their them then there these they
this those through to too under until up upon very was we were what when where whether
which while who whom why will with within without would you your affect affects effect
effects impact role use used using based via
"""
_STOP = frozenset(_STOP_WORDS.split())
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-\.]*[A-Za-z0-9]|[A-Za-z0-9]")


def key_terms(text: str) -> list[str]:
    """Content terms of a question, lower-cased, in order, without stop words."""
    seen: list[str] = []
    for tok in _TOKEN.findall(text):
        low = tok.lower()
        if low not in _STOP and (len(low) > 2 or any(c.isdigit() for c in low)) and low not in seen:
            seen.append(low)
    return seen


def term_stem(term: str) -> str:
    """A crude stem so 'quantization' matches 'quantized' and 'quantizing'."""
    return term[:6] if term.isalpha() and len(term) > 6 else term


def ask(
    ctx: Context, node: str, prompt: str, schema: type[T], **values: object
) -> tuple[T | None, list[StepError]]:
    """One structured judgement; a malformed answer or a dead endpoint becomes a StepError."""
    from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

    from litsynth.llm.structured import invoke_structured

    rendered = ctx.prompts[prompt].render(**values)
    messages: list[BaseMessage] = [
        SystemMessage(text) if role == "system" else HumanMessage(text) for role, text in rendered
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
