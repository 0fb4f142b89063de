"""Decide which chat endpoint a run talks to, starting the local server if that is the way."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from litsynth.errors import ConfigError
from litsynth.llm.local_server import (
    INSTALL_HINT,
    LocalServer,
    llama_server_installed,
    shipped_gguf,
)
from litsynth.settings import ENV_BASE_URL, Settings, api_key

NO_ENDPOINT_HINT = (
    f"{INSTALL_HINT} for the local default model, or set {ENV_BASE_URL} / --llm-url "
    "to an OpenAI-compatible endpoint"
)


@dataclass(frozen=True)
class Endpoint:
    """Where chat requests go; ``local`` is True for the server this run started."""

    base_url: str
    model: str
    api_key: str | None
    local: bool
    model_file: Path | None = None
    """The GGUF the local server runs (for the provenance manifest); None for remote ones."""


@contextmanager
def resolve_endpoint(
    settings: Settings, *, env: Mapping[str, str] | None = None
) -> Iterator[Endpoint]:
    """Yield the endpoint for this run.

    Precedence: ``settings.llm.base_url``, then ``LITSYNTH_LLM_BASE_URL``, then (when
    ``local_llm.autostart`` and llama-cpp-python plus a GGUF are installed) a local server that
    lives as long as the context. Otherwise ``ConfigError`` with a one-line hint.
    """
    environ = os.environ if env is None else env
    key = api_key(environ)
    base_url = settings.llm.base_url or environ.get(ENV_BASE_URL) or None
    if base_url:
        yield Endpoint(base_url=base_url, model=settings.llm.model, api_key=key, local=False)
        return
    local = settings.local_llm
    if not local.autostart:
        raise ConfigError(
            "no LLM endpoint configured and local_llm.autostart is off", hint=NO_ENDPOINT_HINT
        )
    if not llama_server_installed() or (local.model_path is None and shipped_gguf() is None):
        raise ConfigError("no LLM endpoint configured", hint=NO_ENDPOINT_HINT)
    with LocalServer(local, model_alias=settings.llm.model) as server:
        # The local server needs no key; never send the user's OpenAI key to it.
        yield Endpoint(
            base_url=server.base_url,
            model=server.model,
            api_key=None,
            local=True,
            model_file=server.gguf,
        )
