"""Structured calls that survive a small model: bounded retries, JSON salvage, no raising on junk.

Malformed output is a normal outcome with a 135M model, so it is returned as a failed
``StructuredResult``; only an unreachable or failing endpoint raises ``LLMError``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from litsynth.errors import LLMError

logger = logging.getLogger(__name__)
_QUALIFIED = re.compile(r"\b(?:[A-Za-z_]\w*\.)+(?=[A-Za-z_]\w*)")

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage
    from langchain_core.runnables import RunnableConfig

T = TypeVar("T", bound=BaseModel)
StructuredMethod = Literal["function_calling", "json_schema", "json_mode"]
_RAW_LIMIT = 2000
_SNIPPET_LIMIT = 300


@dataclass(frozen=True)
class StructuredResult(Generic[T]):
    """Outcome of one structured call, success or not.

    ``raw`` is the model's last answer as text (tool-call arguments or content),
    ``attempts`` how many model calls were made.
    """

    value: T | None
    error: str | None
    attempts: int
    raw: str | None

    @property
    def ok(self) -> bool:
        """True when ``value`` holds a validated instance."""
        return self.value is not None


def first_json_object(text: str) -> dict[str, Any] | None:
    """The first JSON object embedded in ``text`` (code fences and chatter around it ignored)."""
    decoder = json.JSONDecoder()
    start = text.find("{")
    while start != -1:
        try:
            obj, _ = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            start = text.find("{", start + 1)
            continue
        if isinstance(obj, dict):
            return obj
        start = text.find("{", start + 1)
    return None


def _raw_text(message: Any) -> str:
    """What the model said: tool-call arguments if any, else its text content."""
    parts: list[str] = []
    for call in getattr(message, "tool_calls", None) or []:
        parts.append(json.dumps(call.get("args", {}), ensure_ascii=False))
    for call in getattr(message, "invalid_tool_calls", None) or []:
        parts.append(str(call.get("args") or ""))
    content = getattr(message, "content", "")
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    if text.strip():
        parts.append(text)
    return "\n".join(parts)[:_RAW_LIMIT]


def _unwrap(obj: dict[str, Any], schema: type[BaseModel]) -> dict[str, Any]:
    """Small models often wrap arguments: {"name": ..., "arguments": {...}} or {"Schema": {...}}."""
    fields = set(schema.model_fields)
    if fields & set(obj):
        return obj
    for key in ("arguments", "parameters", "args", schema.__name__):
        inner = obj.get(key)
        if isinstance(inner, dict) and fields & set(inner):
            return inner
    return obj


def _salvage(message: Any, schema: type[T]) -> tuple[T | None, str | None]:
    """Validate the first usable JSON object in tool calls, invalid tool calls or content."""
    calls = getattr(message, "tool_calls", None) or []
    objs: list[dict[str, Any]] = [c["args"] for c in calls if isinstance(c.get("args"), dict)]
    texts = [str(c.get("args") or "") for c in getattr(message, "invalid_tool_calls", None) or []]
    content = getattr(message, "content", "")
    if isinstance(content, str):
        texts.append(content)
    objs.extend(obj for obj in map(first_json_object, texts) if obj is not None)
    error: str | None = None
    for obj in objs:
        try:
            return schema.model_validate(_unwrap(obj, schema)), None
        except ValidationError as exc:
            error = _validation_summary(exc)
    return None, error


def _validation_summary(exc: ValidationError) -> str:
    errs = exc.errors()[:3]
    parts = [f"{'.'.join(str(p) for p in e['loc']) or 'value'}: {e['msg']}" for e in errs]
    return "invalid fields: " + "; ".join(parts)


def _describe_failure(out: dict[str, Any], method: str) -> str:
    message = out.get("raw")
    meta = getattr(message, "response_metadata", None) or {}
    if meta.get("finish_reason") == "length":
        return "answer cut at max_tokens"
    err = out.get("parsing_error")
    if isinstance(err, ValidationError):
        return _validation_summary(err)
    if err is not None:
        return f"unparseable output: {_one_line(str(err))}"
    if getattr(message, "invalid_tool_calls", None):
        return "tool-call arguments are not valid JSON"
    if method == "function_calling":
        return "no tool call in the answer"
    return "no JSON object in the answer"


def _type_name(annotation: object) -> str:
    """A field's type as the model should read it: no module paths of ours in a prompt."""
    if isinstance(annotation, type):
        return annotation.__name__
    return _QUALIFIED.sub("", str(annotation))


def _corrective(schema: type[BaseModel], error: str, raw: str, method: str) -> str:
    fields = ", ".join(
        f"{name} ({_type_name(f.annotation)})" for name, f in schema.model_fields.items()
    )
    how = (
        f"Call the function {schema.__name__} once"
        if method == "function_calling"
        else "Answer with one JSON object only"
    )
    snippet = raw[:_SNIPPET_LIMIT].strip() or "(empty)"
    return (
        f"Your previous answer could not be used ({error}). It was: {snippet}\n"
        f"{how}, with these fields: {fields}. No other text."
    )


def _one_line(text: str, limit: int = 200) -> str:
    return " ".join(text.split())[:limit]


def _cut_answer(exc: Exception) -> tuple[str, str] | None:
    """(error, raw text) when the SDK refused an answer: cut short, filtered or malformed JSON.

    That is malformed output (retry it), not an endpoint failure.
    """
    try:
        import openai
    except ImportError:  # pragma: no cover - langchain-openai depends on openai
        return None
    if isinstance(exc, openai.LengthFinishReasonError):
        reason = "answer cut at max_tokens"
    elif isinstance(exc, openai.ContentFilterFinishReasonError):
        reason = "answer stopped by the content filter"
    elif isinstance(exc, openai.APIResponseValidationError | json.JSONDecodeError):
        return "the endpoint's response was not a valid chat completion", ""
    else:
        return None
    raw = ""
    completion = getattr(exc, "completion", None)
    choices = getattr(completion, "choices", None) or []
    if choices:
        raw = str(getattr(choices[0].message, "content", "") or "")
    return reason, raw[:_RAW_LIMIT]


def _endpoint_of(model: Any) -> str:
    return str(getattr(model, "openai_api_base", None) or type(model).__name__)


def _endpoint_error(exc: Exception, model: Any, method: str) -> LLMError | None:
    """Map transport and HTTP failures of the OpenAI SDK to LLMError; None for anything else."""
    try:
        import openai
    except ImportError:  # pragma: no cover - langchain-openai depends on openai
        return None
    where = _endpoint_of(model)
    if isinstance(exc, openai.APITimeoutError):
        return LLMError(
            f"LLM endpoint {where} timed out",
            hint="raise llm.timeout_s or use a smaller max_tokens / faster model",
        )
    if isinstance(exc, openai.APIConnectionError):
        return LLMError(
            f"cannot reach LLM endpoint {where}: {_one_line(str(exc))}",
            hint="start the server or fix llm.base_url / LITSYNTH_LLM_BASE_URL / --llm-url",
        )
    if isinstance(exc, openai.APIStatusError):
        hint = "check the model name and the server log"
        if exc.status_code in (401, 403):
            hint = "set a valid OPENAI_API_KEY for this endpoint"
        elif exc.status_code >= 500 and method != "function_calling":
            hint = "this server may not support it: set llm.structured_method = 'function_calling'"
        return LLMError(
            f"LLM endpoint {where} answered HTTP {exc.status_code}: {_one_line(str(exc))}",
            hint=hint,
        )
    return None


def invoke_structured(
    model: BaseChatModel,
    schema: type[T],
    messages: Sequence[BaseMessage],
    *,
    method: StructuredMethod = "function_calling",
    max_retries: int = 2,
    config: RunnableConfig | None = None,
) -> StructuredResult[T]:
    """Ask ``model`` for one ``schema`` instance; retry malformed answers ``max_retries`` times.

    Each retry repeats the conversation plus a short corrective message that quotes the
    bad answer and lists the fields. ``config`` (callbacks, tags) is passed to every call.
    Raises ``LLMError`` only for endpoint failures
    (connection refused, timeout, HTTP error after the client's own retries).
    """
    from langchain_core.messages import HumanMessage

    runnable = model.with_structured_output(schema, method=method, include_raw=True)
    history: list[BaseMessage] = list(messages)
    error: str | None = None
    raw: str | None = None
    attempts = 0
    for attempt in range(max_retries + 1):
        attempts = attempt + 1
        try:
            out = runnable.invoke(history, config=config)
        except Exception as exc:
            cut = _cut_answer(exc)
            if cut is None:
                mapped = _endpoint_error(exc, model, method)
                if mapped is None:
                    raise
                raise mapped from exc
            error, raw = cut
            history = [*messages, HumanMessage(_corrective(schema, error, raw, method))]
            continue
        assert isinstance(out, dict)
        message = out.get("raw")
        raw = _raw_text(message) if message is not None else None
        parsed = out.get("parsed")
        if isinstance(parsed, schema):
            return StructuredResult(parsed, None, attempts, raw)
        error = _describe_failure(out, method)
        if message is not None:
            salvaged, salvage_error = _salvage(message, schema)
            if salvaged is not None:
                return StructuredResult(salvaged, None, attempts, raw)
            error = salvage_error or error
        logger.info("%s attempt %d unusable: %s", schema.__name__, attempts, error)
        history = [*messages, HumanMessage(_corrective(schema, error, raw or "", method))]
    logger.warning("%s failed after %d attempts: %s", schema.__name__, attempts, error)
    return StructuredResult(None, error, attempts, raw)
