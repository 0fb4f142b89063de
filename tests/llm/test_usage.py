"""Token usage accounting from LangChain callbacks."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration, LLMResult

from litsynth.llm.usage import ModelUsage, UsageLedger, usage_from_result
from litsynth.tests.fakes import ScriptedChatModel


def test_handler_accumulates_per_model() -> None:
    ledger = UsageLedger()
    a = ScriptedChatModel(responses=["x y", "z"], model_name="a", callbacks=[ledger.handler()])
    b = ScriptedChatModel(responses=["w"], model_name="b", callbacks=[ledger.handler()])
    a.invoke("one two")
    a.invoke("three")
    b.invoke("four five six")
    snap = ledger.snapshot()
    assert snap["a"] == ModelUsage(calls=2, prompt_tokens=3, completion_tokens=3, total_tokens=6)
    assert snap["b"] == ModelUsage(calls=1, prompt_tokens=3, completion_tokens=1, total_tokens=4)
    assert ledger.total().calls == 3 and ledger.total().total_tokens == 10
    assert ledger.as_dict()["a"]["prompt_tokens"] == 3


def test_falls_back_to_llm_output_token_usage() -> None:
    result = LLMResult(
        generations=[[ChatGeneration(message=AIMessage(content="hi"))]],
        llm_output={
            "model_name": "smollm2",
            "token_usage": {"prompt_tokens": 10, "completion_tokens": 4, "total_tokens": 14},
        },
    )
    assert usage_from_result(result) == ("smollm2", ModelUsage(1, 10, 4, 14))


def test_unknown_model_and_missing_total() -> None:
    result = LLMResult(
        generations=[[ChatGeneration(message=AIMessage(content="hi"))]],
        llm_output={"token_usage": {"prompt_tokens": 2, "completion_tokens": 3}},
    )
    assert usage_from_result(result) == ("unknown", ModelUsage(1, 2, 3, 5))


def test_ledger_is_thread_safe() -> None:
    ledger = UsageLedger()

    def add(_: int) -> None:
        ledger.add("m", ModelUsage(1, 1, 1, 2))

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(add, range(2000)))
    assert ledger.snapshot()["m"] == ModelUsage(2000, 2000, 2000, 4000)
