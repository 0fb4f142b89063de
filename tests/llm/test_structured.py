"""invoke_structured with the scripted fake: success, retry, salvage, recorded failure, errors."""

from __future__ import annotations

import httpx2  # the HTTP library of openai>=3
import openai
import pytest
from langchain_core.messages import AIMessage, HumanMessage
from pydantic import BaseModel

from litsynth.errors import LLMError
from litsynth.llm.structured import first_json_object, invoke_structured
from litsynth.tests.fakes import ScriptedChatModel, ScriptExhausted


class Claim(BaseModel):
    claim: str
    quote: str


GOOD = {"claim": "Aspirin lowers fever.", "quote": "aspirin reduced fever in 80%"}
ASK = [HumanMessage("Extract one claim.")]


def test_first_call_success_uses_one_attempt() -> None:
    model = ScriptedChatModel(responses=[GOOD])
    result = invoke_structured(model, Claim, ASK)
    assert result.ok and result.value == Claim(**GOOD)
    assert result.attempts == 1 and result.error is None
    assert model.tool_calls_seen[0][0]["function"]["name"] == "Claim"


def test_retry_adds_corrective_message_quoting_bad_answer() -> None:
    model = ScriptedChatModel(responses=["I think the claim is about aspirin.", GOOD])
    result = invoke_structured(model, Claim, ASK, max_retries=2)
    assert result.value == Claim(**GOOD)
    assert result.attempts == 2
    retry_prompt = model.prompts[1]
    assert retry_prompt[0].content == "Extract one claim."
    corrective = str(retry_prompt[-1].content)
    assert "no tool call" in corrective
    assert "I think the claim is about aspirin." in corrective
    assert "claim (str)" in corrective and "quote (str)" in corrective


def test_invalid_tool_args_are_retried_with_field_errors() -> None:
    model = ScriptedChatModel(responses=[{"claim": "only a claim"}, GOOD])
    result = invoke_structured(model, Claim, ASK)
    assert result.ok and result.attempts == 2
    assert "quote: Field required" in str(model.prompts[1][-1].content)


def test_failure_is_returned_not_raised_after_last_attempt() -> None:
    model = ScriptedChatModel(responses=["junk", "more junk", "{not json"])
    result = invoke_structured(model, Claim, ASK, max_retries=2)
    assert not result.ok and result.value is None
    assert result.attempts == 3 and model.calls == 3
    assert result.error == "no tool call in the answer"
    assert result.raw == "{not json"


def test_zero_retries_means_one_call() -> None:
    model = ScriptedChatModel(responses=["junk"])
    result = invoke_structured(model, Claim, ASK, max_retries=0)
    assert result.attempts == 1 and not result.ok


def test_json_in_plain_text_is_salvaged_without_retry() -> None:
    text = 'Here you go:\n```json\n{"claim": "A", "quote": "B"}\n```'
    model = ScriptedChatModel(responses=[text])
    result = invoke_structured(model, Claim, ASK)
    assert result.value == Claim(claim="A", quote="B")
    assert result.attempts == 1


def test_wrapped_arguments_are_unwrapped() -> None:
    text = '{"name": "Claim", "arguments": {"claim": "A", "quote": "B"}}'
    model = ScriptedChatModel(responses=[text])
    result = invoke_structured(model, Claim, ASK)
    assert result.value == Claim(claim="A", quote="B")


def test_malformed_tool_call_arguments_are_salvaged() -> None:
    bad = AIMessage(
        content="",
        invalid_tool_calls=[
            {
                "name": "Claim",
                "args": '{"claim": "A", "quote": "B"} trailing',
                "id": "c1",
                "error": "bad json",
                "type": "invalid_tool_call",
            }
        ],
    )
    model = ScriptedChatModel(responses=[bad])
    result = invoke_structured(model, Claim, ASK)
    assert result.value == Claim(claim="A", quote="B")


def test_json_mode_parses_text() -> None:
    model = ScriptedChatModel(responses=["nope", '{"claim": "A", "quote": "B"}'])
    result = invoke_structured(model, Claim, ASK, method="json_mode")
    assert result.value == Claim(claim="A", quote="B") and result.attempts == 2
    assert "one JSON object" in str(model.prompts[1][-1].content)


def _request() -> httpx2.Request:
    return httpx2.Request("POST", "http://127.0.0.1:1/v1/chat/completions")


def test_connection_refused_raises_llm_error_with_hint() -> None:
    model = ScriptedChatModel(responses=[openai.APIConnectionError(request=_request())])
    with pytest.raises(LLMError) as info:
        invoke_structured(model, Claim, ASK)
    assert "cannot reach LLM endpoint" in info.value.message
    assert "LITSYNTH_LLM_BASE_URL" in info.value.hint
    assert model.calls == 1  # endpoint failures are not retried here (the client retries)


def test_http_500_on_json_schema_hints_function_calling() -> None:
    response = httpx2.Response(500, request=_request(), text="boom")
    error = openai.InternalServerError("boom", response=response, body=None)
    model = ScriptedChatModel(responses=[error])
    with pytest.raises(LLMError) as info:
        invoke_structured(model, Claim, ASK, method="json_schema")
    assert "HTTP 500" in info.value.message
    assert "function_calling" in info.value.hint


def test_unexpected_exceptions_propagate() -> None:
    model = ScriptedChatModel(responses=[])
    with pytest.raises(ScriptExhausted):
        invoke_structured(model, Claim, ASK)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('x {"a": 1} y {"b": 2}', {"a": 1}),
        ('[1, 2] then {not json} then {"c": [1]}', {"c": [1]}),
        ("no braces", None),
        ('{"a": {"b": 1}}', {"a": {"b": 1}}),
    ],
)
def test_first_json_object(text: str, expected: dict[str, object] | None) -> None:
    assert first_json_object(text) == expected


def test_answer_cut_at_max_tokens_is_retried_not_raised() -> None:
    from openai.types.chat import ChatCompletion

    completion = ChatCompletion.model_validate(
        {
            "id": "c1",
            "object": "chat.completion",
            "created": 0,
            "model": "m",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "length",
                    "message": {"role": "assistant", "content": '{"claim": "Aspi'},
                }
            ],
        }
    )
    model = ScriptedChatModel(
        responses=[openai.LengthFinishReasonError(completion=completion), GOOD]
    )
    result = invoke_structured(model, Claim, ASK, method="json_mode")
    assert result.value == Claim(**GOOD) and result.attempts == 2
    corrective = str(model.prompts[1][-1].content)
    assert "cut at max_tokens" in corrective and '{"claim": "Aspi' in corrective


def test_config_callbacks_see_every_attempt() -> None:
    from litsynth.llm.usage import UsageLedger

    ledger = UsageLedger()
    model = ScriptedChatModel(responses=["junk", GOOD])
    result = invoke_structured(model, Claim, ASK, config={"callbacks": [ledger.handler()]})
    assert result.ok
    assert ledger.total().calls == 2
