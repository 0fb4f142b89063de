"""Model and service faults from a fault-injecting OpenAI-compatible server on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from langchain_core.messages import HumanMessage
from pydantic import BaseModel

from litsynth.errors import LLMError
from litsynth.llm.chat import make_chat_model
from litsynth.llm.structured import invoke_structured
from litsynth.llm.transport import FaultLog
from litsynth.settings import LLMSettings
from litsynth.tests.reliability.fault_server import Fault, FaultServer, fault_server


class Answer(BaseModel):
    """A tiny judgement."""

    answer: str


GOOD = Fault("ok", args={"answer": "yes"})


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with fault_server() as s:
        yield s


def _ask(server: FaultServer, faults: FaultLog, **llm: object) -> Answer | None:
    settings = LLMSettings.model_validate({"timeout_s": 1.0, "http_retries": 3, **llm})
    model = make_chat_model(settings, base_url=server.url, api_key=None, faults=faults)
    result = invoke_structured(model, Answer, [HumanMessage("Is it?")], max_retries=2)
    return result.value


@pytest.mark.parametrize(
    ("fault", "recorded"),
    [
        (Fault("status", status=500), "HTTP 500"),
        (Fault("status", status=503), "HTTP 503"),
        (Fault("hang", seconds=2.5), "ReadTimeout"),
        (Fault("close"), "RemoteProtocolError"),
    ],
)
def test_transient_faults_are_retried_and_recorded(
    server: FaultServer, fault: Fault, recorded: str
) -> None:
    server.push(fault, GOOD)
    faults = FaultLog()
    assert _ask(server, faults) == Answer(answer="yes")
    assert len(server.seen) == 2
    assert [f.what for f in faults.faults()] == [recorded]


def test_429_retry_after_is_honoured(server: FaultServer) -> None:
    server.push(Fault("status", status=429, retry_after=2), GOOD)
    faults = FaultLog()
    assert _ask(server, faults) == Answer(answer="yes")
    first, second = server.seen
    assert second.at - first.at >= 2.0  # the SDK's own backoff would wait under 1 s
    assert [f.what for f in faults.faults()] == ["HTTP 429"]


def test_backoff_is_bounded_and_gives_up_with_one_line(server: FaultServer) -> None:
    server.default = Fault("status", status=503)
    faults = FaultLog()
    with pytest.raises(LLMError, match="HTTP 503") as info:
        _ask(server, faults, http_retries=2)
    assert len(server.seen) == 3  # one try and two retries, then the error
    gaps = [b.at - a.at for a, b in zip(server.seen, server.seen[1:], strict=False)]
    assert all(0.3 <= g <= 8.5 for g in gaps), gaps
    assert len(faults.faults()) == 3
    assert "\n" not in info.value.one_line()


def test_malformed_json_body_is_an_llm_error_not_a_crash(server: FaultServer) -> None:
    server.push(Fault("malformed"), GOOD)
    faults = FaultLog()
    assert _ask(server, faults) == Answer(answer="yes")


def test_schema_violating_tool_call_is_retried_with_a_correction(server: FaultServer) -> None:
    server.push(Fault("bad_tool"), GOOD)
    assert _ask(server, FaultLog()) == Answer(answer="yes")
    correction = server.seen[1].body["messages"][-1]["content"]
    assert "could not be used" in correction and "answer" in correction


def test_only_the_configured_host_is_contacted(server: FaultServer) -> None:
    import httpx2 as httpx

    from litsynth.llm.transport import guarded_transports

    transport, _ = guarded_transports(server.url, FaultLog())
    with httpx.Client(transport=transport) as client:
        assert client.get(server.url + "/models").status_code == 200
        with pytest.raises(Exception, match=r"only 127\.0\.0\.1 is configured"):
            client.get("http://example.invalid/v1/models")
