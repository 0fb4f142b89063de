"""A cited source's other headline results (Claim.kind "source_result") are listed apart from
the answer in every format, and never count as answer evidence."""

from __future__ import annotations

from litsynth.report.compose import abstract
from litsynth.report.html import render_html
from litsynth.report.markdown import render_markdown
from litsynth.report.terminal import key_claims
from litsynth.schema.records import KeptSource, answer_claims
from litsynth.schema.report import Report
from litsynth.tests.report.sample import sample_report

SPEEDUP = "GPTQ gives end-to-end inference speedups over FP16 of around 3.25x on A100 GPUs."


def with_source_result() -> Report:
    report = sample_report()
    first = report.claims[0]
    extra = first.model_copy(
        update={
            "id": "C4",
            "text": SPEEDUP,
            "quote": SPEEDUP,
            "char_start": 500,
            "char_end": 500 + len(SPEEDUP),
            "kind": "source_result",
            "confidence": 0.99,
        }
    )
    return report.model_copy(update={"claims": [*report.claims, extra]})


def test_markdown_lists_source_results_by_source_after_the_results() -> None:
    md = render_markdown(with_source_result())
    section = md.split("## Other results of the cited sources", 1)[1].split("## Coverage")[0]
    assert "- **GPTQ: Accurate Post-Training Quantization**" in section
    assert f"  - “{SPEEDUP}” [C4]" in section
    assert "| C4 |" in md and "quoted (source result)" in md
    assert "## Other results" not in render_markdown(sample_report())


def test_html_lists_source_results() -> None:
    page = render_html(with_source_result())
    assert "<h2>Other results of the cited sources</h2>" in page
    assert "3.25x on A100 GPUs.” [C4]" in page


def test_source_results_are_not_key_claims_or_answer_claims() -> None:
    report = with_source_result()
    assert "C4" not in [c.id for c in key_claims(report)]
    assert [c.id for c in answer_claims(report.claims)] == ["C1", "C2", "C3"]


def test_abstract_says_how_many_claims_are_the_sources_other_results() -> None:
    report = with_source_result()
    text = abstract(
        report.question,
        report.claims,
        [KeptSource(doc_id="arxiv:2210.17323", title="GPTQ", reason="on topic", best_score=0.7)],
        [],
        report.panel.aggregate,
    )
    assert "4 claims were taken from them (1 of them other headline results of the cited " in text
