"""The headline counts verbatim quotes as quoted, never as verified."""

from __future__ import annotations

from litsynth.tests.report.sample import sample_report


def test_verbatim_quotes_are_quoted_not_verified() -> None:
    report = sample_report()
    assert all(c.verbatim for c in report.claims)
    line = report.verification_line()
    assert line == "3 claims quoted verbatim · 0/0 statements verified · 1 contradicted"


def test_a_restated_claim_counts_only_when_supported() -> None:
    report = sample_report()
    claims = [c.model_copy(update={"verbatim": False, "text": "Restated."}) for c in report.claims]
    line = report.model_copy(update={"claims": claims}).verification_line()
    assert line.startswith("0 claims quoted verbatim · 1/3 statements verified")
