"""The README's set-up commands are the ones CI runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _bash_blocks(text: str) -> list[str]:
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", text, re.S)]


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_cmd = next(b for b in _bash_blocks(readme) if b.endswith("&& pytest"))
    install = test_cmd.removesuffix(" && pytest")
    assert install in ci
    assert "pytest" in ci


def test_main_job_installs_local_extra_and_runs_demo() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    main_cmd = next(b for b in _bash_blocks(readme) if b.endswith("litsynth demo"))
    assert "torch==2.13.0" in main_cmd and '".[local]"' in main_cmd
