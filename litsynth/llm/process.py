"""A child server process that is waited for over HTTP and always stopped again."""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO

from litsynth.errors import LLMError

_POLL_S = 0.25
_PR_SET_PDEATHSIG = 1
_LOG_TAIL = 1500


def _die_with_parent() -> None:
    """In the child (Linux): get SIGTERM when the parent dies, even by SIGKILL."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not glibc Linux: the atexit hook is all we have
        pass


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port on ``host`` that was free a moment ago (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def log_tail(path: Path, limit: int = _LOG_TAIL) -> str:
    """The last ``limit`` characters of a log file ('' if unreadable)."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")[-limit:]
    except OSError:
        return ""


class ServerProcess:
    """Runs ``argv`` with output to ``log_path``; ready once ``ready_url`` answers HTTP 200.

    Use as a context manager. The process is stopped (terminate, then kill after
    ``stop_grace_s``) on exit, on a failed start, on Ctrl-C while waiting, and at
    interpreter exit; on Linux the child also gets SIGTERM if this process is killed
    (``PR_SET_PDEATHSIG``; it fires when the *thread* that started the child ends, so start
    servers from the main thread or one that outlives them).
    """

    def __init__(
        self,
        argv: Sequence[str],
        *,
        ready_url: str,
        log_path: Path,
        startup_timeout_s: float,
        stop_grace_s: float = 5.0,
        name: str = "server",
    ) -> None:
        self.argv = list(argv)
        self.ready_url = ready_url
        self.log_path = log_path
        self.startup_timeout_s = startup_timeout_s
        self.stop_grace_s = stop_grace_s
        self.name = name
        self.proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self.startup_s: float | None = None

    def start(self) -> None:
        """Start the process and block until it is ready; stop it again on any failure."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("ab")
        t0 = time.monotonic()
        try:
            self.proc = subprocess.Popen(
                self.argv,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
        except OSError as exc:
            self._close_log()
            raise LLMError(
                f"cannot start {self.name}: {exc}", hint="check the interpreter and its packages"
            ) from exc
        atexit.register(self.stop)
        try:
            self._wait_ready(t0)
        except BaseException:  # includes KeyboardInterrupt: never leave the child behind
            self.stop()
            raise
        self.startup_s = time.monotonic() - t0

    def _wait_ready(self, t0: float) -> None:
        assert self.proc is not None
        deadline = t0 + self.startup_timeout_s
        while True:
            code = self.proc.poll()
            if code is not None:
                raise LLMError(
                    f"{self.name} exited with code {code} during start-up; log {self.log_path}:\n"
                    f"{log_tail(self.log_path)}",
                    hint="read the log; a bad model file or unknown option is the usual cause",
                )
            if self._answers():
                return
            if time.monotonic() > deadline:
                raise LLMError(
                    f"{self.name} not ready after {self.startup_timeout_s:.0f}s "
                    f"(log {self.log_path})",
                    hint="raise local_llm.startup_timeout_s or read the log",
                )
            time.sleep(_POLL_S)

    def _answers(self) -> bool:
        # No proxy handler: the probe goes straight to the loopback address.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(self.ready_url, timeout=2.0) as resp:
                return int(resp.status) == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            return False

    @property
    def running(self) -> bool:
        """True while the child process is alive."""
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        """Terminate the child, kill it if it lingers; safe to call repeatedly."""
        proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=self.stop_grace_s)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=self.stop_grace_s)
        self._close_log()
        with contextlib.suppress(Exception):
            atexit.unregister(self.stop)

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> ServerProcess:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
