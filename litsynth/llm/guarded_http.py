"""httpx2 transports that ask a guard before each request and tell it how each attempt ended.

Imported only when a chat client is built, so that importing litsynth does not import httpx2.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Protocol

import httpx2 as httpx


class Guard(Protocol):
    """What the transports consult: may a request go, and how did an attempt end."""

    def check(self, request: httpx.Request) -> None:
        """Raise to refuse the request before it is sent."""
        ...

    def note(
        self, request: httpx.Request, response: httpx.Response | None, exc: Exception | None
    ) -> None:
        """Record one attempt's outcome: a response, or the exception that ended it."""
        ...


class _Body(httpx.SyncByteStream):
    """The response body, noting a connection that breaks while it is read."""

    def __init__(self, guard: Guard, request: httpx.Request, inner: httpx.SyncByteStream) -> None:
        self.guard, self.request, self.inner = guard, request, inner

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self.inner
        except Exception as exc:
            self.guard.note(self.request, None, exc)
            raise

    def close(self) -> None:
        self.inner.close()


class _AsyncBody(httpx.AsyncByteStream):
    """The async response body, noting a connection that breaks while it is read."""

    def __init__(self, guard: Guard, request: httpx.Request, inner: httpx.AsyncByteStream) -> None:
        self.guard, self.request, self.inner = guard, request, inner

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for part in self.inner:
                yield part
        except Exception as exc:
            self.guard.note(self.request, None, exc)
            raise

    async def aclose(self) -> None:
        await self.inner.aclose()


class GuardedTransport(httpx.HTTPTransport):
    """The sync transport: checked before sending, every attempt noted."""

    def __init__(self, guard: Guard, *, trust_env: bool, retries: int) -> None:
        super().__init__(trust_env=trust_env, retries=retries)
        self.guard = guard

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.guard.check(request)
        try:
            response = super().handle_request(request)
        except Exception as exc:
            self.guard.note(request, None, exc)
            raise
        self.guard.note(request, response, None)
        assert isinstance(response.stream, httpx.SyncByteStream)
        response.stream = _Body(self.guard, request, response.stream)
        return response


class AsyncGuardedTransport(httpx.AsyncHTTPTransport):
    """The async transport: checked before sending, every attempt noted."""

    def __init__(self, guard: Guard, *, trust_env: bool, retries: int) -> None:
        super().__init__(trust_env=trust_env, retries=retries)
        self.guard = guard

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.guard.check(request)
        try:
            response = await super().handle_async_request(request)
        except Exception as exc:
            self.guard.note(request, None, exc)
            raise
        self.guard.note(request, response, None)
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = _AsyncBody(self.guard, request, response.stream)
        return response
