"""The per-run budget: once spent, no LLM call is made and each skipped step is recorded."""

from __future__ import annotations

from pydantic import BaseModel

from litsynth.agents.context import Context
from litsynth.agents.support import ask
from litsynth.llm.budget import Budget
from litsynth.llm.usage import ModelUsage
from litsynth.settings import BudgetSettings, load_settings
from litsynth.tests.fakes import ScriptedChatModel


class Plan(BaseModel):
    """Stands for any judgement."""

    answer: str


def test_budget_limits() -> None:
    assert Budget(BudgetSettings()).exhausted(ModelUsage(10**6, 0, 0, 10**9)) is None
    calls = Budget(BudgetSettings(max_llm_calls=3))
    assert calls.exhausted(ModelUsage(2)) is None
    assert calls.exhausted(ModelUsage(3)) == "budget: 3 of 3 LLM calls used"
    tokens = Budget(BudgetSettings(max_tokens=100))
    assert "100 of 100 tokens" in str(tokens.exhausted(ModelUsage(1, 60, 40, 100)))
    clock = Budget(BudgetSettings(max_seconds=5), started=0.0)
    assert "wall time" in str(clock.exhausted(ModelUsage()))


def test_spent_budget_skips_the_call_and_records_it() -> None:
    model = ScriptedChatModel(responses=[{"answer": "yes"}])
    settings = load_settings(overrides={"budget": {"max_llm_calls": 1}}, env={})
    ctx = Context(settings=settings, chat_model=model)
    first, errors = ask(ctx, "planner", "gate", Plan, question="q", title="t", excerpt="e")
    assert first == Plan(answer="yes") and not errors
    ctx.get_usage().add("m", ModelUsage(1))  # the fake model reports no usage itself
    second, errors = ask(ctx, "gate", "gate", Plan, question="q", title="t", excerpt="e")
    assert second is None
    assert [(e.node, e.kind) for e in errors] == [("gate", "llm_budget")]
    assert "not asked (budget: " in errors[0].message
    assert len(model.prompts) == 1
