"""Prompt files are validated at load time; overrides must keep the variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from litsynth.errors import ConfigError
from litsynth.prompts import load_prompts
from litsynth.prompts.library import parse_prompt

GOOD = "---\nvariables: question\n---\n[system]\nBe brief.\n[user]\nQ: {question}\n"


def test_bundled_prompts_load_and_render() -> None:
    lib = load_prompts()
    assert set(lib.prompts) == {"planner", "gate", "extractor", "reviewer", "synthesis", "judge"}
    msgs = lib["gate"].render(question="Q?", title="T", excerpt="E")
    assert [role for role, _ in msgs] == ["system", "user"]
    assert "Q?" in msgs[1][1]
    judge = lib["judge"].render(claim="C.", quote="Q", page="P")
    assert "C." in judge[1][1] and "P" in judge[1][1]


def test_undeclared_variable_fails_at_load() -> None:
    text = GOOD.replace("Q: {question}", "Q: {question} {extra}")
    with pytest.raises(ConfigError, match="declares"):
        parse_prompt("x", text, "test")


def test_declared_but_unused_variable_fails_at_load() -> None:
    with pytest.raises(ConfigError, match="declares"):
        parse_prompt("x", GOOD.replace("variables: question", "variables: question, k"), "t")


def test_missing_header_or_section_fails() -> None:
    with pytest.raises(ConfigError, match="header"):
        parse_prompt("x", "[system]\nhi\n[user]\n{q}\n", "t")
    with pytest.raises(ConfigError, match="section"):
        parse_prompt("x", "---\nvariables: q\n---\n[user]\n{q}\n", "t")


def test_render_rejects_missing_and_unknown_values() -> None:
    prompt = parse_prompt("x", GOOD, "t")
    with pytest.raises(ConfigError, match="missing"):
        prompt.render()
    with pytest.raises(ConfigError, match="unknown"):
        prompt.render(question="a", other="b")


def test_override_replaces_prompt_and_changes_hash(tmp_path: Path) -> None:
    bundled = load_prompts()["gate"]
    path = tmp_path / "gate.md"
    path.write_text(
        "---\nvariables: question, title, excerpt\n---\n[system]\nStrict.\n"
        "[user]\n{question} / {title} / {excerpt}\n"
    )
    lib = load_prompts({"gate": path})
    assert lib["gate"].system == "Strict."
    assert lib["gate"].sha256 != bundled.sha256


def test_override_with_other_variables_or_unknown_name_fails(tmp_path: Path) -> None:
    path = tmp_path / "gate.md"
    path.write_text(GOOD)
    with pytest.raises(ConfigError, match="needs"):
        load_prompts({"gate": path})
    with pytest.raises(ConfigError, match="unknown prompt"):
        load_prompts({"nope": path})


def test_hashes_cover_the_named_prompts_only() -> None:
    from litsynth.agents.reporter import GRAPH_PROMPTS

    lib = load_prompts()
    graph = lib.hashes(GRAPH_PROMPTS)
    assert set(graph) == set(GRAPH_PROMPTS) and "judge" not in graph
    assert set(lib.hashes()) == set(lib.prompts)
    assert all(len(h) == 64 for h in graph.values())
