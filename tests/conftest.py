"""Shared fixtures. Tests never touch the network or a model hub."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from litsynth.text.embedding import MiniLMEmbedder, get_embedder

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURE_DATA = REPO_ROOT / "tests" / "data"
SHARED_MARK = "shared_data"


def shared_data_root() -> Path:
    """``$LITSYNTH_SHARED_DATA``, else ``../shared/data`` beside the repository."""
    env = os.environ.get("LITSYNTH_SHARED_DATA")
    return Path(env) if env else REPO_ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The full shared datasets (gold sets, 8 papers); tests using it are marked and may skip."""
    root = shared_data_root()
    if not root.is_dir():
        pytest.skip(f"shared data not found at {root} (set LITSYNTH_SHARED_DATA)")
    return root


@pytest.fixture(scope="session")
def fixture_data() -> Path:
    """The small committed corpus every fresh clone has (see tests/data/README.md)."""
    return FIXTURE_DATA


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that asks for the shared data, so the list of them is explicit."""
    for item in items:
        if SHARED_MARK in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.shared_data)


_UNEXPECTED_SKIPS: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Remember skips of tests that should run anywhere."""
    expected_failure = hasattr(report, "wasxfail")  # xfail is reported as a skip; it is not one
    if report.skipped and not expected_failure and SHARED_MARK not in report.keywords:
        _UNEXPECTED_SKIPS.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under CI, a skip outside the shared-data list fails the run."""
    if os.environ.get("CI") and _UNEXPECTED_SKIPS and exitstatus == 0:
        print(f"\nunexpected skips under CI: {', '.join(_UNEXPECTED_SKIPS)}")
        session.exitstatus = 1


@pytest.fixture(scope="session")
def embedder() -> MiniLMEmbedder:
    """The process-wide MiniLM embedder (the model is shipped locally by a package)."""
    return get_embedder()
