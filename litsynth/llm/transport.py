"""The HTTP transport under the chat client: only the configured host, every failure recorded.

The OpenAI SDK already retries what is worth retrying (connection errors, timeouts, 408, 409,
429 and 5xx) with exponential backoff and jitter (0.5 s doubling to 8 s, times 0.75-1.0) and
honours ``Retry-After`` up to 60 s; ``llm.http_retries`` sets how many times. This transport adds
what the SDK does not: it refuses any host but the configured one, and it records each failed
attempt so the run's report can say what went wrong even when a retry then succeeded.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from litsynth.errors import ConfigError

if TYPE_CHECKING:
    import httpx2 as httpx

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Fault:
    """One failed HTTP attempt: status code, or the transport error's name."""

    url: str
    what: str


class FaultLog:
    """Thread-safe list of failed attempts."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        """Record one failed attempt."""
        log.warning("LLM request to %s failed: %s", fault.url, fault.what)
        with self._lock:
            self._faults.append(fault)

    def faults(self) -> list[Fault]:
        """A copy of every failed attempt, oldest first."""
        with self._lock:
            return list(self._faults)


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return (url.scheme, url.host, url.port)


def guarded_transports(
    base_url: str, faults: FaultLog, *, retries_on_connect: int = 0
) -> tuple[httpx.BaseTransport, httpx.AsyncBaseTransport]:
    """Sync and async transports that only reach ``base_url``'s host and record failures.

    They are httpx2 transports, the HTTP library of the OpenAI SDK.
    """
    import httpx2 as httpx

    allowed = _origin(httpx.URL(base_url))

    def check(request: httpx.Request) -> None:
        if _origin(request.url) != allowed:
            raise ConfigError(
                f"refused a request to {request.url.host}: only {allowed[1]} is configured",
                hint="set llm.base_url to the endpoint you mean to use",
            )

    def note(
        request: httpx.Request, response: httpx.Response | None, exc: Exception | None
    ) -> None:
        if exc is not None:
            faults.add(Fault(str(request.url), type(exc).__name__))
        elif response is not None and response.status_code >= 400:
            faults.add(Fault(str(request.url), f"HTTP {response.status_code}"))

    class Body(httpx.SyncByteStream):
        """The response body, noting a connection that breaks while it is read."""

        def __init__(self, request: httpx.Request, inner: httpx.SyncByteStream) -> None:
            self.request, self.inner = request, inner

        def __iter__(self) -> Iterator[bytes]:
            try:
                yield from self.inner
            except Exception as exc:
                note(self.request, None, exc)
                raise

        def close(self) -> None:
            self.inner.close()

    class AsyncBody(httpx.AsyncByteStream):
        """The async response body, noting a connection that breaks while it is read."""

        def __init__(self, request: httpx.Request, inner: httpx.AsyncByteStream) -> None:
            self.request, self.inner = request, inner

        async def __aiter__(self) -> AsyncIterator[bytes]:
            try:
                async for part in self.inner:
                    yield part
            except Exception as exc:
                note(self.request, None, exc)
                raise

        async def aclose(self) -> None:
            await self.inner.aclose()

    class Guarded(httpx.HTTPTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            check(request)
            try:
                response = super().handle_request(request)
            except Exception as exc:
                note(request, None, exc)
                raise
            note(request, response, None)
            assert isinstance(response.stream, httpx.SyncByteStream)
            response.stream = Body(request, response.stream)
            return response

    class AsyncGuarded(httpx.AsyncHTTPTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            check(request)
            try:
                response = await super().handle_async_request(request)
            except Exception as exc:
                note(request, None, exc)
                raise
            note(request, response, None)
            assert isinstance(response.stream, httpx.AsyncByteStream)
            response.stream = AsyncBody(request, response.stream)
            return response

    return (
        Guarded(trust_env=False, retries=retries_on_connect),
        AsyncGuarded(trust_env=False, retries=retries_on_connect),
    )
