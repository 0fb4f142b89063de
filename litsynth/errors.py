"""The one small exception hierarchy of litsynth.

Library code raises these; only the CLI edge turns them into one-line messages for people.
Each error carries a ``hint`` saying what to do about it.
"""

from __future__ import annotations


class LitsynthError(Exception):
    """Base of every error litsynth raises on purpose."""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def one_line(self) -> str:
        """The message and the hint as one line, for the CLI."""
        return f"{self.message} — {self.hint}" if self.hint else self.message


class ConfigError(LitsynthError):
    """Settings, presets, prompt templates or environment are wrong."""


class QuestionError(LitsynthError):
    """The research question is empty or unusable."""


class IngestError(LitsynthError):
    """A file could not be read into documents; names the file."""

    def __init__(self, path: str, message: str, *, hint: str = "") -> None:
        super().__init__(f"{path}: {message}", hint=hint)
        self.path = path


class StoreError(LitsynthError):
    """The vector store could not be opened, read or written."""


class LLMError(LitsynthError):
    """The chat model endpoint failed or returned unusable output."""


class RunError(LitsynthError):
    """A research run stopped before it wrote its report; names the run to resume."""


class BudgetExhausted(LLMError):
    """The run's LLM budget (calls, tokens or wall time) is used up; no call was made."""


class DatasetError(LitsynthError):
    """An evaluation dataset file is missing or malformed; names file and line."""
