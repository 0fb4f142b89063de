"""The shared cassette policy: modes, matching on method/path/body only, scrubbing."""

from __future__ import annotations

import pytest
from vcr.errors import CannotOverwriteExistingCassetteException
from vcr.request import Request

from litsynth.llm.chat import make_chat_model
from litsynth.llm.structured import StructuredResult, invoke_structured
from litsynth.settings import Settings
from litsynth.tests import vcr_support
from litsynth.tests.llm.test_cassettes import MESSAGES, Claim
from litsynth.tests.vcr_support import make_vcr, record_mode, use_cassette


@pytest.mark.parametrize(
    ("env", "mode"),
    [
        ({}, "none"),
        ({"LITSYNTH_RECORD": "0"}, "none"),
        ({"LITSYNTH_RECORD": "1"}, "new_episodes"),
        ({"LITSYNTH_RECORD": "all"}, "all"),
        ({"LITSYNTH_RECORD": "1", "CI": "true"}, "none"),
    ],
)
def test_record_mode(env: dict[str, str], mode: str) -> None:
    assert record_mode(env) == mode


def test_vcr_config() -> None:
    cfg = make_vcr(env={})
    assert cfg.match_on == ["method", "path", "body"]
    assert cfg.record_mode == "none"
    assert set(vcr_support.FILTER_HEADERS) <= set(cfg.filter_headers)
    assert cfg.cassette_library_dir == str(vcr_support.CASSETTE_DIR)


def test_request_scrub_keeps_only_content_type() -> None:
    request = Request(
        "POST",
        "http://127.0.0.1:1/v1/chat/completions",
        b"{}",
        {"Content-Type": "application/json", "Authorization": "Bearer sk-x", "X-Stainless-OS": "L"},
    )
    scrubbed = vcr_support._scrub_request(request)
    assert {k.lower() for k in scrubbed.headers} == {"content-type"}
    assert scrubbed.uri == "http://llm-endpoint/v1/chat/completions"


def test_response_scrub_drops_volatile_headers() -> None:
    response = {"headers": {"date": ["x"], "server": ["uvicorn"], "content-type": ["a/json"]}}
    assert vcr_support._scrub_response(response)["headers"] == {"content-type": ["a/json"]}


def _claim_call(seed: int) -> object:
    settings = Settings.model_validate({"llm": {"seed": seed}})
    chat = make_chat_model(settings.llm, base_url="http://127.0.0.1:9/v1", api_key=None)
    return invoke_structured(chat, Claim, MESSAGES)


def test_replay_ignores_host_and_port() -> None:
    # Recorded on the local server's random port; replayed against port 9, never contacted.
    with use_cassette("llm_structured_success", env={}):
        result = _claim_call(seed=7)
    assert isinstance(result, StructuredResult) and result.ok


def test_replay_refuses_a_different_body() -> None:
    with (
        use_cassette("llm_structured_success", env={}),
        pytest.raises(CannotOverwriteExistingCassetteException),
    ):
        _claim_call(seed=8)
