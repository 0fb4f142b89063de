"""The root command: -v turns on litsynth's step logs, nothing else's."""

from __future__ import annotations

import logging

import pytest

from litsynth.cli.app import _logging


@pytest.mark.parametrize(("count", "level"), [(1, logging.INFO), (2, logging.DEBUG)])
def test_verbose_sets_litsynth_level_only(count: int, level: int) -> None:
    ours, theirs = logging.getLogger("litsynth"), logging.getLogger("chromadb")
    before = ours.level, theirs.level
    try:
        _logging(count)
        assert ours.level == level
        assert theirs.level == before[1]
    finally:
        ours.setLevel(before[0])


def test_step_logs_reach_stderr(caplog: pytest.LogCaptureFixture) -> None:
    from litsynth.settings import VerifierSettings
    from litsynth.verification.factory import make_verifier

    with caplog.at_level(logging.INFO, logger="litsynth"):
        make_verifier(VerifierSettings(kind="embedding"))
    assert "verifier embedding" in caplog.text
