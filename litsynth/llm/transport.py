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
        """Record one failed attempt; warn the first time it happens, the repeats go to debug
        (a down server fails every call of a run, and the run's summary counts them)."""
        with self._lock:
            repeat = fault in self._faults
            self._faults.append(fault)
        level = logging.DEBUG if repeat else logging.WARNING
        log.log(level, "LLM request to %s failed: %s", fault.url, fault.what)

    def faults(self) -> list[Fault]:
        """A copy of every failed attempt, oldest first."""
        with self._lock:
            return list(self._faults)


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return (url.scheme, url.host, url.port)


class OriginGuard:
    """Refuses requests to any origin but the configured one; records every failed attempt."""

    def __init__(self, base_url: str, faults: FaultLog) -> None:
        import httpx2 as httpx

        self.allowed = _origin(httpx.URL(base_url))
        self.faults = faults

    def check(self, request: httpx.Request) -> None:
        """ConfigError for a request to another scheme, host or port."""
        if _origin(request.url) != self.allowed:
            raise ConfigError(
                f"refused a request to {request.url.host}: only {self.allowed[1]} is configured",
                hint="set llm.base_url to the endpoint you mean to use",
            )

    def note(
        self, request: httpx.Request, response: httpx.Response | None, exc: Exception | None
    ) -> None:
        """Record an attempt that raised or got an HTTP error status."""
        if exc is not None:
            self.faults.add(Fault(str(request.url), type(exc).__name__))
        elif response is not None and response.status_code >= 400:
            self.faults.add(Fault(str(request.url), f"HTTP {response.status_code}"))


def guarded_transports(
    base_url: str, faults: FaultLog, *, retries_on_connect: int = 0
) -> tuple[httpx.BaseTransport, httpx.AsyncBaseTransport]:
    """Sync and async transports that only reach ``base_url``'s host and record failures.

    They are httpx2 transports, the HTTP library of the OpenAI SDK.
    """
    from litsynth.llm.guarded_http import AsyncGuardedTransport, GuardedTransport

    guard = OriginGuard(base_url, faults)
    return (
        GuardedTransport(guard, trust_env=False, retries=retries_on_connect),
        AsyncGuardedTransport(guard, trust_env=False, retries=retries_on_connect),
    )
