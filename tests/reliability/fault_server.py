"""A fault-injecting OpenAI-compatible chat server on loopback, for tests.

Each POST to ``/v1/chat/completions`` takes the next fault from a script: an HTTP error (with
``Retry-After`` for 429), a hang past the client's timeout, a connection closed mid-body,
malformed JSON, a tool call that violates the requested schema, or a good answer. Every request
is logged with its arrival time and Host header, so tests can assert on backoff and on where
requests went.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Fault:
    """One scripted answer. ``kind``: ok, status, hang, close, malformed, bad_tool, text."""

    kind: str
    status: int = 200
    retry_after: float | None = None
    args: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0


OK = Fault("ok")


@dataclass
class Seen:
    """One request as the server received it."""

    at: float
    host: str
    body: dict[str, Any]


class FaultServer:
    """The server; ``script`` is consumed in order, then ``default`` answers."""

    def __init__(self, default: Fault | None = None) -> None:
        self.script: deque[Fault] = deque()
        self.default = default or Fault("text")
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Base URL of the OpenAI-compatible API."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def push(self, *faults: Fault) -> None:
        """Append faults to the script."""
        with self._lock:
            self.script.extend(faults)

    def _next(self) -> Fault:
        with self._lock:
            return self.script.popleft() if self.script else self.default

    def start(self) -> FaultServer:
        """Serve in a daemon thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._httpd.shutdown()
        self._httpd.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        return type("Handler", (_Handler,), {"owner": self})


class _Handler(BaseHTTPRequestHandler):
    """Answers each POST with the owning server's next fault."""

    protocol_version = "HTTP/1.1"
    owner: FaultServer

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        self._send(200, {"object": "list", "data": [{"id": "fault", "object": "model"}]})

    def do_POST(self) -> None:
        body = self._record()
        self._answer(self.owner._next(), body)

    def _record(self) -> dict[str, Any]:
        """Read the request body and log the request on the server."""
        length = int(self.headers.get("Content-Length", 0))
        body: dict[str, Any] = json.loads(self.rfile.read(length) or b"{}")
        server = self.owner
        with server._lock:
            server.seen.append(Seen(time.monotonic(), self.headers.get("Host", ""), body))
        return body

    def _answer(self, fault: Fault, body: dict[str, Any]) -> None:
        """Reply to the request ``body`` the way ``fault`` scripts."""
        if fault.kind == "status":
            headers = {}
            if fault.retry_after is not None:
                headers["Retry-After"] = f"{fault.retry_after:g}"
            err = {"error": {"message": f"injected {fault.status}", "type": "fault"}}
            self._send(fault.status, err, headers)
        elif fault.kind == "hang":
            time.sleep(fault.seconds)
            self._send(200, _completion(body, text="too late"))
        elif fault.kind == "close":
            self._cut_body()
        elif fault.kind == "malformed":
            self._send_raw(200, b'{"id": "x", "choices": [{"message": {"content": "x"')
        elif fault.kind == "bad_tool":
            self._send(200, _completion(body, args={"not_a_field": [1, 2, 3]}))
        elif fault.kind == "ok":
            self._send(200, _completion(body, args=fault.args))
        else:
            self._send(200, _completion(body, text="I cannot help with that."))

    def _cut_body(self) -> None:
        """Promise a long body, send its first bytes, then close the connection."""
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "5000")
        self.end_headers()
        self.wfile.write(b'{"id": "cut", "choices": [')
        self.wfile.flush()
        self.close_connection = True

    def _send(
        self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        self._send_raw(status, json.dumps(payload).encode(), headers)

    def _send_raw(self, status: int, data: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            return  # the client gave up (its timeout): nothing to answer


def _completion(
    request: dict[str, Any], *, args: dict[str, Any] | None = None, text: str | None = None
) -> dict[str, Any]:
    """A chat completion: a tool call of the requested tool with ``args``, or plain text."""
    message: dict[str, Any] = {"role": "assistant", "content": text}
    tools = request.get("tools") or []
    if args is not None and tools:
        name = tools[0]["function"]["name"]
        message["content"] = None
        message["tool_calls"] = [
            {
                "id": "call_1",
                "type": "function",
                "function": {"name": name, "arguments": json.dumps(args)},
            }
        ]
    elif args is not None:
        message["content"] = json.dumps(args)
    return {
        "id": "chatcmpl-fault",
        "object": "chat.completion",
        "created": 0,
        "model": request.get("model", "fault"),
        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


@contextmanager
def fault_server(default: Fault | None = None) -> Iterator[FaultServer]:
    """A running fault server for the length of the block."""
    server = FaultServer(default).start()
    try:
        yield server
    finally:
        server.stop()
