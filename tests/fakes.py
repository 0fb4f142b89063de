"""A scripted chat model for tests: no network, deterministic, records what it was asked.

``ScriptedChatModel(responses=[...])`` answers each call with the next scripted item:

- ``dict``: a tool call to the first bound tool with these arguments (or, when no tool is
  bound, the dict as JSON text),
- ``str``: a plain text answer (e.g. JSON text, or junk),
- ``AIMessage``: returned as is,
- ``Exception`` instance: raised (e.g. a connection error).

``responses`` may also be a callable ``(messages, call_index, tools) -> item`` for answers that
depend on the prompt. Running out of script raises ``ScriptExhausted``. Every call's messages
are kept in ``prompts`` and the tools in ``tool_calls_seen`` (thread-safe).
``with_structured_output`` works for pydantic schemas with method ``function_calling``
(tool calls) and ``json_mode`` / ``json_schema`` (JSON parsed from the text).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.output_parsers import PydanticOutputParser
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable, RunnableMap, RunnablePassthrough
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

Scripted = dict[str, Any] | str | AIMessage | BaseException
ScriptFn = Callable[[list[BaseMessage], int, list[dict[str, Any]]], Scripted]


class ScriptExhausted(AssertionError):
    """The test made more model calls than it scripted."""


class ScriptedChatModel(BaseChatModel):
    """Chat model that replays scripted answers and records prompts (see module doc)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    responses: Any  # Sequence[Scripted] | ScriptFn; Any keeps pydantic from copying items
    model_name: str = "scripted-fake"
    prompts: list[list[BaseMessage]] = Field(default_factory=list)
    tool_calls_seen: list[list[dict[str, Any]]] = Field(default_factory=list)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "scripted-fake"

    @property
    def calls(self) -> int:
        """How many times the model was invoked."""
        return len(self.prompts)

    def _next(self, messages: list[BaseMessage], tools: list[dict[str, Any]]) -> Scripted:
        with self._lock:
            index = len(self.prompts)
            self.prompts.append(list(messages))
            self.tool_calls_seen.append(tools)
        if callable(self.responses):
            return self.responses(list(messages), index, tools)
        if index >= len(self.responses):
            raise ScriptExhausted(f"call {index + 1} but only {len(self.responses)} scripted")
        return self.responses[index]

    def _to_message(self, item: Scripted, tools: list[dict[str, Any]], index: int) -> AIMessage:
        if isinstance(item, BaseException):
            raise item
        if isinstance(item, AIMessage):
            return item
        if isinstance(item, dict):
            if tools:
                name = tools[0]["function"]["name"]
                call = {"name": name, "args": item, "id": f"call_{index}", "type": "tool_call"}
                return AIMessage(content="", tool_calls=[call])
            return AIMessage(content=json.dumps(item))
        return AIMessage(content=str(item))

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        tools = list(kwargs.get("tools") or [])
        item = self._next(messages, tools)
        message = self._to_message(item, tools, self.calls)
        prompt_tokens = sum(len(str(m.content).split()) for m in messages)
        completion_tokens = len(str(message.content).split()) + sum(
            len(json.dumps(c["args"]).split()) for c in message.tool_calls
        )
        usage = {
            "input_tokens": prompt_tokens,
            "output_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        }
        message = message.model_copy(
            update={
                "usage_metadata": message.usage_metadata or usage,
                "response_metadata": {**message.response_metadata, "model_name": self.model_name},
            }
        )
        return ChatResult(
            generations=[ChatGeneration(message=message)],
            llm_output={"model_name": self.model_name},
        )

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | Any],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """Bind tools as OpenAI tool dicts (visible to the script and in ``tool_calls_seen``)."""
        formatted = [convert_to_openai_tool(t) for t in tools]
        kwargs.pop("ls_structured_output_format", None)
        return self.bind(tools=formatted, tool_choice=tool_choice, **kwargs)

    def with_structured_output(
        self,
        schema: dict[str, Any] | type,
        *,
        include_raw: bool = False,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, dict[str, Any] | BaseModel]:
        """Tool calls for ``function_calling``; JSON text for ``json_mode`` / ``json_schema``."""
        method = kwargs.pop("method", "function_calling")
        if method == "function_calling":
            return super().with_structured_output(schema, include_raw=include_raw, **kwargs)
        if not (isinstance(schema, type) and issubclass(schema, BaseModel)):
            raise NotImplementedError("the fake parses JSON text only into pydantic schemas")
        parser: PydanticOutputParser[Any] = PydanticOutputParser(pydantic_object=schema)
        if not include_raw:
            return self | parser
        parse_ok = RunnablePassthrough.assign(
            parsed=lambda d: parser.invoke(d["raw"]), parsing_error=lambda _: None
        )
        parse_none = RunnablePassthrough.assign(parsed=lambda _: None)
        return RunnableMap(raw=self) | parse_ok.with_fallbacks(
            [parse_none], exception_key="parsing_error"
        )
