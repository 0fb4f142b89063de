"""The per-run LLM budget: calls, tokens and wall time, checked before each call."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from litsynth.llm.usage import ModelUsage
from litsynth.settings import BudgetSettings


@dataclass
class Budget:
    """Limits of one run and the moment it started (monotonic clock)."""

    settings: BudgetSettings
    started: float = field(default_factory=time.monotonic)

    def exhausted(self, used: ModelUsage) -> str | None:
        """Why no further LLM call may be made, or None while the budget lasts."""
        cfg = self.settings
        if cfg.max_llm_calls is not None and used.calls >= cfg.max_llm_calls:
            return f"budget: {used.calls} of {cfg.max_llm_calls} LLM calls used"
        if cfg.max_tokens is not None and used.total_tokens >= cfg.max_tokens:
            return f"budget: {used.total_tokens} of {cfg.max_tokens} tokens used"
        elapsed = time.monotonic() - self.started
        if cfg.max_seconds is not None and elapsed >= cfg.max_seconds:
            return f"budget: {elapsed:.0f} s of {cfg.max_seconds:g} s wall time used"
        return None
