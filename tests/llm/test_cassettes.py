"""Replays of real local-server traffic (SmolLM2-135M via llama-cpp-python).

Recorded with ``LITSYNTH_RECORD=1 pytest tests/llm/test_cassettes.py`` (see
tests/cassettes/README.md); replayed offline otherwise.
"""

from __future__ import annotations

from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel

from litsynth.llm.chat import make_chat_model
from litsynth.llm.structured import invoke_structured
from litsynth.llm.usage import UsageLedger
from litsynth.settings import Settings
from litsynth.tests.vcr_support import cassette_endpoint, recording, use_cassette


class Claim(BaseModel):
    claim: str
    quote: str


PASSAGE = (
    "In a randomized trial of 412 adults, daily vitamin D supplementation did not reduce "
    "the incidence of acute respiratory infections compared with placebo."
)
MESSAGES = [
    SystemMessage("You extract claims from scientific passages."),
    HumanMessage(f"Passage: {PASSAGE}\nExtract one claim and an exact supporting quote."),
]


def test_structured_call_succeeds_with_function_calling() -> None:
    settings = Settings()
    ledger = UsageLedger()
    with cassette_endpoint(settings) as ep, use_cassette("llm_structured_success") as cassette:
        chat = make_chat_model(
            settings.llm, base_url=ep.base_url, api_key=ep.api_key, callbacks=[ledger.handler()]
        )
        result = invoke_structured(chat, Claim, MESSAGES, method="function_calling")
    assert result.ok and result.value is not None
    assert result.attempts == 1 and result.error is None
    assert "vitamin d" in result.value.claim.lower()
    assert cassette.play_count == 1 or recording()  # replayed, unless recording now
    usage = ledger.total()
    assert usage.calls == 1 and usage.prompt_tokens > 0 and usage.completion_tokens > 0


def test_truncated_tool_call_is_retried_then_reported_as_failure() -> None:
    # max_tokens too small for the arguments: the server cuts the tool call's JSON mid-way,
    # a natural malformed answer. Every retry is cut the same way, so the failure is returned.
    settings = Settings.model_validate({"llm": {"max_tokens": 16}})
    with cassette_endpoint(settings) as ep, use_cassette("llm_structured_truncated"):
        chat = make_chat_model(settings.llm, base_url=ep.base_url, api_key=ep.api_key)
        result = invoke_structured(chat, Claim, MESSAGES, method="function_calling", max_retries=1)
    assert not result.ok and result.value is None
    assert result.attempts == 2
    assert result.error == "tool-call arguments are not valid JSON"
    assert result.raw is not None and result.raw.startswith("{")
