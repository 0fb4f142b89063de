"""The fault log: every failed attempt recorded, a repeated failure warned about once."""

from __future__ import annotations

import logging

import pytest

from litsynth.llm.transport import Fault, FaultLog


def test_a_repeated_failure_is_recorded_every_time_but_warned_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A down server failed every call of a run: 60 identical warnings on a user's terminal."""
    log = FaultLog()
    down = Fault("http://127.0.0.1:9/v1/chat/completions", "ConnectError")
    with caplog.at_level(logging.WARNING, logger="litsynth.llm.transport"):
        for _ in range(3):
            log.add(down)
        log.add(Fault(down.url, "HTTP 500"))
    assert log.faults() == [down, down, down, Fault(down.url, "HTTP 500")]
    assert [r.getMessage() for r in caplog.records] == [
        f"LLM request to {down.url} failed: ConnectError",
        f"LLM request to {down.url} failed: HTTP 500",
    ]
