"""ServerProcess with dummy Python processes: readiness, failure, cleanup (loopback only)."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest

from litsynth.errors import LLMError
from litsynth.llm.process import ServerProcess, free_port


def _http_server(tmp_path: Path, port: int) -> list[str]:
    """argv of a static file server whose /v1/models answers 200."""
    (tmp_path / "www" / "v1").mkdir(parents=True)
    (tmp_path / "www" / "v1" / "models").write_text('{"data": []}')
    return [
        sys.executable,
        "-m",
        "http.server",
        str(port),
        "--bind",
        "127.0.0.1",
        "--directory",
        str(tmp_path / "www"),
    ]


def test_free_port_is_bindable() -> None:
    port = free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))
    assert 1024 <= port <= 65535


def test_waits_for_ready_and_stops_on_exit(tmp_path: Path) -> None:
    port = free_port()
    server = ServerProcess(
        _http_server(tmp_path, port),
        ready_url=f"http://127.0.0.1:{port}/v1/models",
        log_path=tmp_path / "logs" / "server.log",
        startup_timeout_s=30,
    )
    with server:
        assert server.running
        assert server.startup_s is not None
        proc = server.proc
    assert proc is not None and proc.poll() is not None
    assert not server.running
    assert (tmp_path / "logs" / "server.log").exists()


def test_process_exiting_early_raises_with_log_tail(tmp_path: Path) -> None:
    argv = [sys.executable, "-c", "import sys; print('bad flag --zap'); sys.exit(3)"]
    server = ServerProcess(
        argv, ready_url="http://127.0.0.1:9/none", log_path=tmp_path / "s.log", startup_timeout_s=30
    )
    with pytest.raises(LLMError) as info:
        server.start()
    assert "exited with code 3" in info.value.message
    assert "bad flag --zap" in info.value.message


def test_timeout_kills_a_process_that_never_gets_ready(tmp_path: Path) -> None:
    argv = [sys.executable, "-c", "import time; time.sleep(600)"]
    server = ServerProcess(
        argv,
        ready_url=f"http://127.0.0.1:{free_port()}/v1/models",
        log_path=tmp_path / "s.log",
        startup_timeout_s=0.5,
    )
    with pytest.raises(LLMError, match="not ready"):
        server.start()
    assert server.proc is not None and server.proc.poll() is not None


def test_stubborn_process_is_killed_after_grace(tmp_path: Path) -> None:
    port = free_port()
    www = _http_server(tmp_path, port)[-1]
    code = (
        "import signal, functools, http.server\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        f"h = functools.partial(http.server.SimpleHTTPRequestHandler, directory={www!r})\n"
        f"http.server.ThreadingHTTPServer(('127.0.0.1', {port}), h).serve_forever()\n"
    )
    server = ServerProcess(
        [sys.executable, "-c", code],
        ready_url=f"http://127.0.0.1:{port}/v1/models",
        log_path=tmp_path / "s.log",
        startup_timeout_s=30,
        stop_grace_s=0.5,
    )
    with server:
        assert server.running
    assert server.proc is not None
    assert server.proc.returncode == -9  # SIGKILL after SIGTERM was ignored


def test_keyboard_interrupt_while_waiting_stops_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = ServerProcess(
        [sys.executable, "-c", "import time; time.sleep(600)"],
        ready_url="http://127.0.0.1:9/none",
        log_path=tmp_path / "s.log",
        startup_timeout_s=30,
    )

    def interrupt() -> bool:
        raise KeyboardInterrupt

    monkeypatch.setattr(server, "_answers", interrupt)
    with pytest.raises(KeyboardInterrupt):
        server.start()
    assert server.proc is not None and server.proc.poll() is not None


def test_stop_is_idempotent(tmp_path: Path) -> None:
    server = ServerProcess(
        [sys.executable, "-c", "pass"],
        ready_url="http://127.0.0.1:9/none",
        log_path=tmp_path / "s.log",
        startup_timeout_s=1,
    )
    server.stop()
    server.stop()
    assert not server.running
