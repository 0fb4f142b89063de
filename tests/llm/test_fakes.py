"""The scripted fake chat model itself (reused by graph tests)."""

from __future__ import annotations

import pytest
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from pydantic import BaseModel

from litsynth.tests.fakes import ScriptedChatModel, ScriptExhausted


class Verdict(BaseModel):
    label: str


def test_text_and_messages_in_order_and_prompts_recorded() -> None:
    model = ScriptedChatModel(responses=["first", AIMessage(content="second")])
    assert model.invoke("a").content == "first"
    assert model.invoke([HumanMessage("b")]).content == "second"
    assert [p[-1].content for p in model.prompts] == ["a", "b"]
    with pytest.raises(ScriptExhausted):
        model.invoke("c")


def test_callable_script_sees_messages_index_and_tools() -> None:
    seen: list[tuple[str, int, int]] = []

    def script(messages: list[BaseMessage], index: int, tools: list[dict[str, object]]) -> object:
        seen.append((str(messages[-1].content), index, len(tools)))
        return {"label": f"v{index}"}

    model = ScriptedChatModel(responses=script)
    structured = model.with_structured_output(Verdict, method="function_calling")
    assert structured.invoke("x") == Verdict(label="v0")
    assert structured.invoke("y") == Verdict(label="v1")
    assert seen == [("x", 0, 1), ("y", 1, 1)]


def test_dict_without_tools_becomes_json_text() -> None:
    model = ScriptedChatModel(responses=[{"label": "ok"}])
    assert model.invoke("q").content == '{"label": "ok"}'


def test_structured_output_json_mode_include_raw() -> None:
    model = ScriptedChatModel(responses=["oops"])
    out = model.with_structured_output(Verdict, method="json_mode", include_raw=True).invoke("q")
    assert isinstance(out, dict)
    assert out["parsed"] is None and out["parsing_error"] is not None
    assert out["raw"].content == "oops"


def test_exceptions_are_raised_and_usage_is_reported() -> None:
    model = ScriptedChatModel(responses=["two words", RuntimeError("down")])
    message = model.invoke("one two three")
    assert message.usage_metadata is not None
    assert message.usage_metadata["input_tokens"] == 3
    assert message.usage_metadata["output_tokens"] == 2
    with pytest.raises(RuntimeError, match="down"):
        model.invoke("again")
