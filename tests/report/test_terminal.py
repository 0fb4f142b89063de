"""The answer chat and ask print: short, cited, with the gaps."""

from __future__ import annotations

from litsynth.report.terminal import answer_markdown, key_claims
from litsynth.tests.report.sample import sample_report


def test_answer_cites_numbered_sources_and_names_gaps() -> None:
    report = sample_report()
    text = answer_markdown(report)
    quoted = sum(1 for c in report.claims if c.verbatim)
    assert text.startswith(
        f"**needs_review** · quality 7.0/10 (medium) · {quoted} claims quoted verbatim · "
    )
    assert "claims supported" not in text, "a verbatim quote is quoted, not verified"
    assert report.abstract in text
    assert (
        "- GPTQ quantizes 175B models to 3-4 bits with negligible accuracy loss. [1] (C1, 0.80)"
        in text
    )
    assert "- Llama-3: no evidence in the corpus" in text
    assert "[1] GPTQ: Accurate Post-Training Quantization (2022), `arxiv:2210.17323`" in text
    assert "Outliers" not in text, "only sources of the claims shown are listed"
    assert len(text) < 1500


def test_key_claims_follow_the_results_then_confidence() -> None:
    report = sample_report()
    assert [c.id for c in key_claims(report)] == ["C1"]
    no_results = report.model_copy(update={"results": []})
    assert [c.id for c in key_claims(no_results)] == ["C1"]


def test_the_answer_shown_is_the_direct_answer_when_there_is_one() -> None:
    """The abstract gives only the answer's lead; chat and ask show every answer sentence."""
    from litsynth.schema.report import AnswerSentence, Synthesis

    checked = {"written_by": "template", "verdict": "supported", "confidence": 0.8}
    sentences = [
        AnswerSentence(text="GPTQ keeps accuracy at 4 bits.", claim_ids=["C1"], **checked),
        AnswerSentence(text="Accuracy is lost on small models.", claim_ids=["C1"], **checked),
    ]
    report = sample_report().model_copy(
        update={
            "synthesis": Synthesis(
                subject="LLMs",
                answer=sentences,
                sections=[],
                findings=[],
                agreements=[],
                context=[],
            )
        }
    )
    text = answer_markdown(report)
    assert "**Answer**\n\n- GPTQ keeps accuracy at 4 bits. [C1]\n- Accuracy is lost" in text
    assert report.abstract not in text
