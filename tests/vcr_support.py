"""Shared vcrpy set-up: replay recorded LLM traffic in tests, re-record on request.

Replay is the default (and the only mode when ``CI`` is set). ``LITSYNTH_RECORD=1`` records
new interactions into existing cassettes, ``LITSYNTH_RECORD=all`` re-records them all.
Requests match on method, path and JSON body only: the local server picks a free port, so
scheme/host/port differ between runs, while the body (model, seed, temperature, messages,
tools) is deterministic for deterministic code and must match exactly.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import vcr
from vcr.cassette import Cassette

from litsynth.llm.endpoint import Endpoint, resolve_endpoint
from litsynth.settings import Settings

CASSETTE_DIR = Path(__file__).resolve().parent / "cassettes"
ENV_RECORD = "LITSYNTH_RECORD"
FILTER_HEADERS = ["authorization", "api-key", "x-api-key", "openai-organization"]
RECORDED_HOST = "llm-endpoint"
REPLAY_BASE_URL = "http://127.0.0.1:9/v1"
"""Base URL used while replaying; never contacted (unmatched requests fail in vcr)."""

_KEEP_REQUEST_HEADERS = {"content-type"}
_KEEP_RESPONSE_HEADERS = {"content-type"}


def record_mode(env: Mapping[str, str] | None = None) -> str:
    """``none`` (replay only) unless ``LITSYNTH_RECORD`` asks to record outside CI."""
    environ = os.environ if env is None else env
    flag = environ.get(ENV_RECORD, "").strip().lower()
    if environ.get("CI") or flag in ("", "0", "false", "no"):
        return "none"
    return "all" if flag == "all" else "new_episodes"


def recording(env: Mapping[str, str] | None = None) -> bool:
    """True when this run records real traffic (so it needs a real endpoint)."""
    return record_mode(env) != "none"


def _scrub_request(request: Any) -> Any:
    # Keep only content-type (needed for JSON body matching); the SDK's x-stainless-* and
    # user-agent headers vary by machine and the auth headers are secrets.
    for name in list(request.headers):
        if name.lower() not in _KEEP_REQUEST_HEADERS:
            del request.headers[name]
    # The host is not matched; a fixed one keeps random ports and private hostnames out of
    # the cassettes (and out of their diffs).
    parts = urlsplit(request.uri)
    request.uri = urlunsplit((parts.scheme, RECORDED_HOST, parts.path, parts.query, ""))
    return request


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    # Dates, server names, request ids and lengths change every run; keep content-type only.
    headers = response.get("headers", {})
    response["headers"] = {k: v for k, v in headers.items() if k.lower() in _KEEP_RESPONSE_HEADERS}
    return response


def make_vcr(cassette_dir: Path = CASSETTE_DIR, *, env: Mapping[str, str] | None = None) -> vcr.VCR:
    """A ``vcr.VCR`` with litsynth's cassette policy (see module doc)."""
    mode = record_mode(env)
    return vcr.VCR(
        cassette_library_dir=str(cassette_dir),
        record_mode=mode,
        drop_unused_requests=mode == "all",
        match_on=["method", "path", "body"],
        filter_headers=FILTER_HEADERS,
        before_record_request=_scrub_request,
        before_record_response=_scrub_response,
        decode_compressed_response=True,
        serializer="yaml",
    )


def use_cassette(
    name: str, *, cassette_dir: Path = CASSETTE_DIR, env: Mapping[str, str] | None = None
) -> AbstractContextManager[Cassette]:
    """Context manager replaying (or recording) ``<cassette_dir>/<name>``."""
    filename = name if name.endswith(".yaml") else f"{name}.yaml"
    return make_vcr(cassette_dir, env=env).use_cassette(filename)


@contextmanager
def cassette_endpoint(
    settings: Settings, *, env: Mapping[str, str] | None = None
) -> Iterator[Endpoint]:
    """The real endpoint while recording (local server started if needed), a dummy otherwise."""
    if recording(env):
        with resolve_endpoint(settings) as endpoint:
            yield endpoint
    else:
        yield Endpoint(base_url=REPLAY_BASE_URL, model=settings.llm.model, api_key=None, local=True)
