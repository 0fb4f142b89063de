"""Tab completion: commands, export formats and file paths."""

from __future__ import annotations

from pathlib import Path

import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

from litsynth.cli.chat.completion import make_completer


def complete(text: str) -> list[str]:
    doc = Document(text, len(text))
    return [c.text for c in make_completer().get_completions(doc, CompleteEvent())]


def test_commands_complete_from_a_prefix() -> None:
    assert complete("/cl") == ["/claims", "/claim"]
    assert complete("/ex") == ["/export"]
    assert complete("what about 3-bit") == [], "questions are not completed"


def test_export_formats_then_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "papers").mkdir()
    (tmp_path / "papers" / "gptq.pdf").write_bytes(b"%PDF")
    assert complete("/export h") == ["html"]
    assert complete("/export html pa") == ["pers"]
    assert complete("/ingest papers/g") == ["ptq.pdf"]
    assert complete("/claims pa") == [], "commands without path arguments complete nothing"
