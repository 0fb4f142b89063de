"""What every node shares: asking the chat model for a judgement, and timing."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from pydantic import BaseModel

from litsynth.agents.context import Context
from litsynth.errors import LLMError
from litsynth.llm.delimit import SYSTEM_NOTE, fence_values
from litsynth.schema.records import StepError
from litsynth.text.validation import PromptEcho, schema_texts

logger = logging.getLogger(__name__)
T = TypeVar("T", bound=BaseModel)
F = TypeVar("F", bound=Callable[..., dict[str, Any]])

logger = logging.getLogger(__name__)


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
            took = time.perf_counter() - t0
            update.setdefault("timings", {})[name] = round(before + took, 3)
            logger.info("node %s done in %.2f s: %s", name, took, sorted(update))
            return update

        return inner  # type: ignore[return-value]

    return wrap


def prompt_echo(ctx: Context, prompt: str) -> PromptEcho:
    """Recogniser of text copied from a prompt's template or from the judgement schemas."""
    from litsynth.schema import judgements

    models = [
        m
        for m in vars(judgements).values()
        if isinstance(m, type) and issubclass(m, BaseModel) and m.__module__ == judgements.__name__
    ]
    template = ctx.prompts[prompt]
    return PromptEcho.from_texts([template.system, template.user, *schema_texts(models)])


def rejection_error(node: str, what: str, rejected: list[tuple[str, str]]) -> StepError:
    """One recorded failure for the model outputs a node refused, from (text, why) pairs.

    The message counts the reasons but never repeats the rejected text (it would leak into the
    report); the texts go to the log.
    """
    for text, why in rejected:
        logger.info("%s: rejected %s (%s): %r", node, what, why, text[:200])
    reasons = Counter(why for _, why in rejected)
    shown = ", ".join(f"{why} x{n}" for why, n in reasons.most_common())
    return StepError(
        node=node, kind="llm_output_rejected", message=f"{len(rejected)} {what} rejected: {shown}"
    )
