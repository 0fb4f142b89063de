"""Build the chat model for a configured OpenAI-compatible endpoint, and nothing else."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from litsynth.errors import ConfigError
from litsynth.settings import LLMSettings

if TYPE_CHECKING:
    from langchain_core.callbacks import BaseCallbackHandler
    from langchain_core.language_models import BaseChatModel

    from litsynth.llm.transport import FaultLog

NO_KEY = "not-needed"
"""Placeholder key for servers that want none (llama.cpp); the SDK refuses an empty key."""


def _is_openai_host(base_url: str) -> bool:
    host = urlsplit(base_url).hostname or ""
    return host == "openai.com" or host.endswith((".openai.com", ".openai.azure.com"))


def make_chat_model(
    llm: LLMSettings,
    *,
    base_url: str,
    api_key: str | None,
    callbacks: list[BaseCallbackHandler] | None = None,
    faults: FaultLog | None = None,
) -> BaseChatModel:
    """A ``ChatOpenAI`` bound to exactly ``base_url``.

    The host is always explicit: no default to a public API, and no environment variable
    (``OPENAI_BASE_URL``, ``OPENAI_API_BASE``, ``OPENAI_PROXY``, ``HTTP(S)_PROXY``, a LangSmith
    gateway) can redirect the requests, because base_url, key and HTTP clients are passed in;
    the transport under them refuses any other host and records each failed attempt in
    ``faults``. Retries (``llm.http_retries``) are the OpenAI SDK's: exponential backoff with
    jitter, ``Retry-After`` honoured.
    """
    if not base_url or not base_url.startswith(("http://", "https://")):
        raise ConfigError(
            f"LLM base_url {base_url!r} is not an http(s) URL",
            hint="set llm.base_url / LITSYNTH_LLM_BASE_URL, e.g. http://127.0.0.1:8080/v1",
        )
    import openai
    from langchain_openai import ChatOpenAI
    from pydantic import SecretStr

    from litsynth.llm.transport import FaultLog, guarded_transports

    timeout = openai.Timeout(llm.timeout_s, connect=min(10.0, llm.timeout_s))
    transport, async_transport = guarded_transports(base_url, faults or FaultLog())
    # trust_env=False: proxy variables must not route requests anywhere but base_url.
    sync_client = openai.DefaultHttpxClient(timeout=timeout, trust_env=False, transport=transport)
    kwargs: dict[str, Any] = {
        "model": llm.model,
        "base_url": base_url,
        "api_key": SecretStr(api_key or NO_KEY),
        "temperature": llm.temperature,
        "seed": llm.seed,
        "max_tokens": llm.max_tokens,
        "timeout": timeout,
        "max_retries": llm.http_retries,
        "openai_proxy": None,
        "use_responses_api": False,
        "stream_usage": False,
        "http_socket_options": (),
        "http_client": sync_client,
        "http_async_client": openai.DefaultAsyncHttpxClient(
            timeout=timeout, trust_env=False, transport=async_transport
        ),
        "callbacks": callbacks,
    }
    if not _is_openai_host(base_url):
        # LangChain sends only max_completion_tokens; llama.cpp and other compatible servers
        # read the older max_tokens and would otherwise generate until the context is full.
        kwargs["extra_body"] = {"max_tokens": llm.max_tokens}
    model = ChatOpenAI(**kwargs)
    # Close pooled keep-alive sockets when the model goes away (else ResourceWarning).
    weakref.finalize(model, sync_client.close)
    return model
