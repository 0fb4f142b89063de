"""Endpoint resolution precedence: settings > env > local autostart > ConfigError."""

from __future__ import annotations

from pathlib import Path

import pytest

from litsynth.errors import ConfigError
from litsynth.llm import endpoint as endpoint_mod
from litsynth.llm.endpoint import resolve_endpoint
from litsynth.settings import Settings


class FakeServer:
    """Stands in for LocalServer; records that it was entered and left."""

    instances: list[FakeServer] = []  # noqa: RUF012

    def __init__(self, local: object, *, model_alias: str) -> None:
        self.base_url = "http://127.0.0.1:5555/v1"
        self.gguf = Path("/x/model.gguf")
        self.model = model_alias
        self.entered = self.exited = False
        FakeServer.instances.append(self)

    def __enter__(self) -> FakeServer:
        self.entered = True
        return self

    def __exit__(self, *exc: object) -> None:
        self.exited = True


@pytest.fixture
def local_available(monkeypatch: pytest.MonkeyPatch) -> None:
    FakeServer.instances = []
    monkeypatch.setattr(endpoint_mod, "LocalServer", FakeServer)
    monkeypatch.setattr(endpoint_mod, "llama_server_installed", lambda: True)
    monkeypatch.setattr(endpoint_mod, "shipped_gguf", lambda: Path("/x/model.gguf"))


def test_settings_base_url_wins_over_env(local_available: None) -> None:
    settings = Settings.model_validate({"llm": {"base_url": "http://a:1/v1", "model": "m"}})
    env = {"LITSYNTH_LLM_BASE_URL": "http://b:2/v1", "OPENAI_API_KEY": "sk-x"}
    with resolve_endpoint(settings, env=env) as ep:
        assert (ep.base_url, ep.model, ep.api_key) == ("http://a:1/v1", "m", "sk-x")
        assert not ep.local
    assert FakeServer.instances == []


def test_env_base_url_beats_local(local_available: None) -> None:
    with resolve_endpoint(Settings(), env={"LITSYNTH_LLM_BASE_URL": "http://b:2/v1"}) as ep:
        assert ep.base_url == "http://b:2/v1" and not ep.local and ep.api_key is None
    assert FakeServer.instances == []


def test_local_server_started_and_stopped(local_available: None) -> None:
    with resolve_endpoint(Settings(), env={"OPENAI_API_KEY": "sk-secret"}) as ep:
        assert ep.local and ep.base_url == "http://127.0.0.1:5555/v1"
        assert ep.model_file == Path("/x/model.gguf")
        assert ep.api_key is None  # the user's key never goes to the local server
        assert FakeServer.instances[0].entered and not FakeServer.instances[0].exited
    assert FakeServer.instances[0].exited


def test_autostart_off_is_config_error(local_available: None) -> None:
    settings = Settings.model_validate({"local_llm": {"autostart": False}})
    with pytest.raises(ConfigError) as info, resolve_endpoint(settings, env={}):
        pass
    assert "LITSYNTH_LLM_BASE_URL" in info.value.hint and "--llm-url" in info.value.hint


def test_nothing_installed_is_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(endpoint_mod, "llama_server_installed", lambda: False)
    with pytest.raises(ConfigError) as info, resolve_endpoint(Settings(), env={}):
        pass
    assert "pip install 'litsynth[local]'" in info.value.hint
    assert "\n" not in info.value.one_line()
