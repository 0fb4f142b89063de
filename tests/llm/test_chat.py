"""make_chat_model: explicit endpoint only, settings passed through, no env redirection."""

from __future__ import annotations

import pytest

from litsynth.errors import ConfigError
from litsynth.llm.chat import NO_KEY, make_chat_model
from litsynth.settings import LLMSettings


def test_settings_are_passed_through(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://evil.invalid/v1")
    monkeypatch.setenv("OPENAI_API_BASE", "http://evil2.invalid/v1")
    monkeypatch.setenv("OPENAI_PROXY", "http://proxy.invalid:3128")
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
    llm = LLMSettings(
        model="m1", temperature=0.3, seed=11, max_tokens=99, timeout_s=7, http_retries=0
    )
    chat = make_chat_model(llm, base_url="http://127.0.0.1:8080/v1", api_key=None)
    assert chat.openai_api_base == "http://127.0.0.1:8080/v1"  # type: ignore[attr-defined]
    assert chat.openai_proxy is None  # type: ignore[attr-defined]
    assert str(chat.root_client.base_url) == "http://127.0.0.1:8080/v1/"  # type: ignore[attr-defined]
    assert chat.root_client.max_retries == 0  # type: ignore[attr-defined]
    assert chat.openai_api_key.get_secret_value() == NO_KEY  # type: ignore[attr-defined]
    params = chat._default_params  # type: ignore[attr-defined]
    assert params["model"] == "m1" and params["seed"] == 11
    assert params["temperature"] == 0.3 and params["max_completion_tokens"] == 99
    assert chat.extra_body == {"max_tokens": 99}  # type: ignore[attr-defined]
    assert chat.use_responses_api is False  # type: ignore[attr-defined]


def test_api_key_is_used_when_given() -> None:
    chat = make_chat_model(LLMSettings(), base_url="https://api.example.org/v1", api_key="sk-1")
    assert chat.openai_api_key.get_secret_value() == "sk-1"  # type: ignore[attr-defined]


@pytest.mark.parametrize("url", ["", "127.0.0.1:8080", "ftp://x/v1"])
def test_base_url_must_be_http(url: str) -> None:
    with pytest.raises(ConfigError, match="not an http"):
        make_chat_model(LLMSettings(), base_url=url, api_key=None)


def test_openai_host_gets_no_legacy_max_tokens() -> None:
    chat = make_chat_model(LLMSettings(), base_url="https://api.openai.com/v1", api_key="sk-1")
    assert chat.extra_body is None  # type: ignore[attr-defined]
