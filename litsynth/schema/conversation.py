"""One finished question of a chat session, as later turns and the planner see it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Turn(BaseModel):
    """A finished turn: what was asked and what the answer rested on."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(description="The question of the turn.")
    answer: str = Field(description="The report's abstract for that question.")
    claim_ids: list[str] = Field(description="Supported claims the answer rests on.")
    sources: list[str] = Field(description="Titles of the sources its claims cite.")

    def summary(self) -> str:
        """One line for a prompt: question, claims and sources."""
        claims = ", ".join(self.claim_ids) or "none"
        sources = "; ".join(self.sources) or "none"
        return f"Q: {self.question} | supported claims: {claims} | sources: {sources}"
