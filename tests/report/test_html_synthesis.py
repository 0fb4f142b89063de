"""The HTML report carries the synthesis the Markdown has, and both show an agreement once."""

from __future__ import annotations

from litsynth.report.html import render_html
from litsynth.report.markdown import render_markdown
from litsynth.schema.records import Finding, SourceAgreement
from litsynth.schema.report import AnswerSection, AnswerSentence, Report, ResultSentence, Synthesis
from litsynth.tests.report.sample import HOSTILE, sample_report

CHECKED = {"written_by": "template", "verdict": "supported", "confidence": 0.8}


def _agreement(width: int) -> SourceAgreement:
    return SourceAgreement(
        kind="agreement",
        setting=f"{width}-bit weights, accuracy",
        width=width,
        claim_ids=["C1", "C2"],
        doc_ids=["gptq", "spqr"],
        explanation=f"2 sources report little or no accuracy loss at {width}-bit weights "
        "(GPTQ (OPT-175B, 3-4-bit); SpQR (LLaMA, 3-4-bit)).",
    )


def report_with_synthesis() -> Report:
    conflict = SourceAgreement(
        kind="conflict",
        setting="4-bit weights, accuracy",
        width=4,
        claim_ids=["C1", "C3"],
        doc_ids=["gptq", "int4"],
        explanation="At 4-bit weights, GPTQ keeps accuracy while INT4 quantization loses it.",
    )
    finding = Finding(
        claim_id="C1",
        doc_id="gptq",
        title="GPTQ",
        method="GPTQ",
        model="OPT-175B",
        weight_bits=[3, 4],
        metric="perplexity",
        direction="no_loss",
        answer_bearing=True,
    )
    syn = Synthesis(
        subject="large language models",
        answer=[
            AnswerSentence(text="GPTQ keeps accuracy at 3-4 bits.", claim_ids=["C1"], **CHECKED)
        ],
        sections=[
            AnswerSection(
                sub_question="Which models lose accuracy?",
                sentences=[
                    AnswerSentence(text=f"Decoders lose it {HOSTILE}.", claim_ids=["C3"], **CHECKED)
                ],
            )
        ],
        findings=[finding],
        agreements=[_agreement(3), _agreement(4), conflict],
        context=[ResultSentence(text="Quantization trades accuracy for memory.", claim_ids=["C2"])],
    )
    return sample_report().model_copy(update={"synthesis": syn})


def test_an_agreement_at_3_and_4_bits_is_shown_once() -> None:
    shown = report_with_synthesis().synthesis.shown_agreements()  # type: ignore[union-attr]
    assert [a.kind for a in shown] == ["agreement", "conflict"]
    assert "little or no accuracy loss at 3- and 4-bit weights (GPTQ" in shown[0].explanation
    text = render_markdown(report_with_synthesis())
    assert text.count("little or no accuracy loss at") == 1
    assert "- conflict: At 4-bit weights, GPTQ keeps accuracy" in text


def test_html_has_the_answer_sections_table_agreements_and_context() -> None:
    page = render_html(report_with_synthesis())
    order = [
        page.index("<h2>Answer</h2>"),
        page.index("<h2>Abstract</h2>"),
        page.index("<h2>Methodology</h2>"),
        page.index("<h2>Results by sub-question</h2>"),
        page.index('<table id="evidence">'),
        page.index("<h2>Agreement and conflict across sources</h2>"),
        page.index("<h2>Context</h2>"),
    ]
    assert order == sorted(order), "the answer first, then the report in the Markdown's order"
    assert "<li>GPTQ keeps accuracy at 3-4 bits. [C1]</li>" in page
    assert "<h3>Which models lose accuracy?</h3>" in page
    assert "<td>GPTQ [C1]</td><td>OPT-175B [C1]</td><td>3-4-bit [C1]</td><td>–</td>" in page
    assert page.count("little or no accuracy loss at") == 1
    assert "Quantization trades accuracy for memory. [C2]" in page
    assert HOSTILE not in page, "a sentence quoting a source is escaped like the rest"
    assert "<h2>Results</h2>" not in page, "the flat list is for reports without a synthesis"
