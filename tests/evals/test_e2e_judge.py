"""The e2e task's LLM judge, driven by the scripted chat model (no network, no model server)."""

from __future__ import annotations

from pathlib import Path

import httpx2  # the HTTP library of openai>=3
import openai
import pytest

from litsynth.errors import ConfigError
from litsynth.evals.tasks import e2e
from litsynth.evals.tasks.judge import (
    JudgeItem,
    JudgeVerdict,
    LLMJudge,
    open_judge,
    page_window,
)
from litsynth.prompts import load_prompts
from litsynth.settings import Settings
from litsynth.tests.evals.test_e2e import FakeClaim, FakeReport, FakeStore
from litsynth.tests.fakes import ScriptedChatModel

PAGE = (
    "Large language models have been widely adopted but require significant GPU memory for "
    "inference. We open source our software."
)
ITEM = JudgeItem(
    claim="LLMs need a lot of GPU memory for inference.",
    quote="require significant GPU memory for inference",
    page_text=PAGE,
)
SUPPORTED = {"label": "supported", "reason": "The page says models need much GPU memory."}
NEI = {"label": "not_enough_info", "reason": "The page does not say how much memory."}


def _claim(text: str, quote: str, id_: str) -> FakeClaim:
    """A report claim called supported, citing page 1 of the LLM.int8() paper."""
    return FakeClaim(text, quote, "int8", 1, "supported", 0.8, id=id_)


def _judge(responses: list[object], retries: int = 0) -> tuple[LLMJudge, ScriptedChatModel]:
    model = ScriptedChatModel(responses=responses)
    settings = Settings(llm={"max_retries": retries})
    with open_judge("llm", settings, chat_model=model) as judge:
        assert isinstance(judge, LLMJudge)
        return judge, model


def test_llm_supported_confirms_and_names_the_judge() -> None:
    judge, model = _judge([SUPPORTED])
    (j,) = judge.judge_many([ITEM])
    assert j.confirmed and not j.failed
    assert j.reason.startswith("judge (llm scripted-fake): supported")
    # the model saw the claim, the quote and the page text, through the judge prompt
    user = str(model.prompts[0][-1].content)
    assert ITEM.claim in user and ITEM.quote in user and "We open source" in user
    assert model.tool_calls_seen[0][0]["function"]["name"] == "JudgeVerdict"
    desc = judge.describe()
    assert desc["kind"] == "llm" and desc["model"] == "scripted-fake"
    assert desc["prompt"] == {"name": "judge", "sha256": load_prompts()["judge"].sha256}


def test_llm_not_enough_info_and_contradicted_do_not_confirm() -> None:
    contra = {"label": "contradicted", "reason": "The page says the opposite."}
    judge, _ = _judge([NEI, contra])
    first, second = judge.judge_many([ITEM, ITEM])
    assert not first.confirmed and not first.failed
    assert "not_enough_info" in first.reason
    assert not second.confirmed and "contradicted" in second.reason


def test_unparsable_answers_are_a_recorded_judge_failure() -> None:
    judge, model = _judge(["I think so.", "yes", "{not json"], retries=2)
    (j,) = judge.judge_many([ITEM])
    assert model.calls == 3  # the configured retries were used
    assert j.failed and not j.confirmed
    assert j.reason.startswith("judge failure (llm scripted-fake):")
    assert "after 3 attempts" in j.reason


def test_endpoint_error_is_a_recorded_judge_failure() -> None:
    request = httpx2.Request("POST", "http://127.0.0.1:1/v1/chat/completions")
    judge, _ = _judge([openai.APIConnectionError(request=request)])
    (j,) = judge.judge_many([ITEM])
    assert j.failed and not j.confirmed
    assert "cannot reach LLM endpoint" in j.reason


def test_judge_verdict_schema_is_bounded() -> None:
    with pytest.raises(ValueError):
        JudgeVerdict.model_validate({"label": "maybe", "reason": "because"})
    with pytest.raises(ValueError):
        JudgeVerdict.model_validate({"label": "supported", "reason": ""})
    with pytest.raises(ValueError):
        JudgeVerdict.model_validate({"label": "supported", "reason": "x" * 401})


def test_judge_prompt_validates_and_is_overridable(tmp_path: Path) -> None:
    prompt = load_prompts()["judge"]
    assert prompt.variables == {"claim", "quote", "page"}
    with pytest.raises(ConfigError, match="missing"):
        prompt.render(claim="c", quote="q")
    bad = tmp_path / "judge.md"
    bad.write_text("---\nvariables: claim\n---\n[system]\nJudge.\n[user]\n{claim}\n")
    with pytest.raises(ConfigError, match="needs"):
        load_prompts({"judge": bad})
    good = tmp_path / "judge2.md"
    good.write_text(
        "---\nvariables: claim, quote, page\n---\n[system]\nStrict judge.\n"
        "[user]\n{claim} | {quote} | {page}\n"
    )
    model = ScriptedChatModel(responses=[NEI])
    settings = Settings(prompts={"overrides": {"judge": good}})
    with open_judge("llm", settings, chat_model=model) as judge:
        judge.judge_many([ITEM])
        assert judge.describe()["prompt"]["sha256"] != prompt.sha256
    assert model.prompts[0][0].content == "Strict judge."


def test_page_window_is_bounded_and_keeps_the_quote() -> None:
    page = "a " * 3000 + "the quoted span is here " + "b " * 3000
    window = page_window(page, "the quoted span is here", chars=500)
    assert "the quoted span is here" in window
    assert len(window) <= 500 + 4  # the two cut marks
    assert window.startswith("… ") and window.endswith(" …")
    assert page_window("short page", "short") == "short page"


def test_e2e_llm_judge_labels_counts_and_names_itself(
    monkeypatch: pytest.MonkeyPatch, fake_embedder, shared_data: Path, tmp_path: Path
) -> None:
    claims = [
        _claim("Int8 code is released.", "We open source our software.", "a"),
        _claim("LLMs need much GPU memory.", "require significant GPU memory for inference", "b"),
        _claim("Int8 runs on one consumer server.", "on a single server with consumer GPUs", "c"),
        _claim("Int8 is 10x faster.", "10x faster", "d"),  # not on its page: never asked
    ]

    def fake_research(
        question: str, *, store: object, config: Settings, chat_model: object
    ) -> FakeReport:
        return FakeReport(claims if "8-bit" in question else [])

    monkeypatch.setattr(e2e, "_research", lambda: fake_research)
    monkeypatch.setattr(e2e, "_paper_store", lambda *a, **k: FakeStore())
    judge_model = ScriptedChatModel(responses=[SUPPORTED, NEI, "no idea"])
    result = e2e.run_e2e(
        Settings(llm={"max_retries": 0}),
        progress=None,
        cache_dir=tmp_path,
        judge="llm",
        judge_model=judge_model,
    )
    reasons = [p.reason for p in result.predictions]
    assert reasons[0].startswith("judge (llm scripted-fake): supported")
    assert reasons[1].startswith("judge (llm scripted-fake): not_enough_info")
    assert reasons[2].startswith("judge failure (llm scripted-fake)")
    assert reasons[3].startswith("judge (llm scripted-fake) not asked: quote not found")
    assert [p.gold for p in result.predictions] == ["supported"] + ["not_enough_info"] * 3
    assert judge_model.calls == 3
    judge_cfg = result.config["judge"]
    assert (judge_cfg["kind"], judge_cfg["model"]) == ("llm", "scripted-fake")
    assert (judge_cfg["asked"], judge_cfg["confirmed"], judge_cfg["failures"]) == (3, 1, 1)
    assert judge_cfg["quote_not_on_page"] == 1
    assert result.metrics["judge_failure_rate"] == pytest.approx(1 / 3)
    assert result.metrics["precision_supported"] == pytest.approx(1 / 4)
    assert result.metrics["precision_supported_gold_only"] == 0.0
    assert any("1 judge failures" in note for note in result.notes)


def test_e2e_verifier_judge_is_named(
    monkeypatch: pytest.MonkeyPatch, fake_embedder, shared_data: Path, tmp_path: Path
) -> None:
    claims = [_claim("Int8 code is released.", "We open source our software.", "a")]
    monkeypatch.setattr(
        e2e,
        "_research",
        lambda: lambda q, **kw: FakeReport(claims if "8-bit" in q else []),
    )
    monkeypatch.setattr(e2e, "_paper_store", lambda *a, **k: FakeStore())
    result = e2e.run_e2e(
        Settings(verifier={"kind": "embedding"}),
        progress=None,
        cache_dir=tmp_path,
        judge="verifier",
    )
    assert result.config["judge"]["kind"] == "verifier"
    assert result.predictions[0].reason.startswith("judge (verifier ")
    assert result.config["judge"]["failures"] == 0


def test_cli_e2e_passes_the_judge_and_keeps_its_retries_when_rules_only(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from litsynth.cli.app import app
    from litsynth.evals.tasks.common import TaskResult

    seen: dict[str, object] = {}

    def fake_run_e2e(settings: Settings, **kw: object) -> TaskResult:
        seen.update(kw, research_retries=settings.llm.max_retries)
        return TaskResult(dataset="quantization-gold", task="e2e", n=0, metrics={}, skipped="x")

    monkeypatch.setattr(e2e, "run_e2e", fake_run_e2e)
    runner = CliRunner()
    args = ["eval", "e2e", "--no-progress", "--rules-only", "--judge", "verifier"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert seen["judge"] == "verifier"
    judge_llm = seen["judge_llm"]
    assert seen["research_retries"] == 0  # rules-only research
    assert getattr(judge_llm, "max_retries", None) == Settings().llm.max_retries
    result = runner.invoke(app, ["eval", "e2e", "--no-progress"])
    assert result.exit_code == 0 and seen["judge"] == "llm"  # the default
    result = runner.invoke(app, ["eval", "e2e", "--judge", "oracle"])
    assert result.exit_code != 0
