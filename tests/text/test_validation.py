"""Model output and extracted sentences are checked before they enter state (issue 18)."""

from __future__ import annotations

import pytest

from litsynth.schema import judgements
from litsynth.text.validation import (
    PromptEcho,
    query_problem,
    reason_problem,
    schema_texts,
    statement_problem,
)

QUESTION = "What accuracy does GPTQ reach at 3-bit on OPT-175B?"
LEAKED_INTRO = (
    "The answer is not available.&#34;, &#34;queries&#34;: [&#34;&#34;]}}, {&#34;query}\n"
    "function Plan:"
)
ECHO = PromptEcho.from_texts(
    schema_texts(
        [
            judgements.Plan,
            judgements.SubQuestion,
            judgements.GateJudgement,
            judgements.SelectedClaim,
            judgements.ClaimSelection,
        ]
    )
)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("The answer is: The answer is not possible..", "restated refusal"),
        ("The answer is not available", "restated refusal"),
        ("1.2", "only numbers"),
        ("3.5", "only numbers"),
        (LEAKED_INTRO, "restated refusal"),
        ("&#34;queries&#34;: [&#34;&#34;]}}", "debris"),
        ("{&#34;query} GPTQ accuracy", "debris"),
        ('"queries": GPTQ 3-bit accuracy', "debris"),
        ("function Plan: GPTQ accuracy", "debris"),
        ("Graphene Nanoparticle Quantum Computing (GNCC)", "no content word"),
        ("Search queries for the paper store.", "prompt"),
    ],
)
def test_leaked_planner_output_is_rejected(text: str, why: str) -> None:
    problem = query_problem(text, QUESTION, echo=ECHO, in_corpus=lambda term: False)
    assert problem is not None and why in problem


def test_a_term_in_neither_question_nor_corpus_is_rejected() -> None:
    text = "GNCC Graphene accuracy at 3-bit"
    corpus = {"SmoothQuant", "OPT"}
    assert "in neither the question nor the corpus" in (
        query_problem(text, QUESTION, in_corpus=corpus.__contains__) or ""
    )
    assert (
        query_problem("SmoothQuant accuracy at 3-bit", QUESTION, in_corpus=corpus.__contains__)
        is None
    )


@pytest.mark.parametrize(
    "text",
    ["GPTQ 3-bit accuracy OPT-175B", "How accurate is GPTQ on OPT models at 3 bits?"],
)
def test_good_queries_pass(text: str) -> None:
    assert query_problem(text, QUESTION, echo=ECHO, in_corpus=lambda term: False) is None


@pytest.mark.parametrize(
    "text",
    ["A claim the extractor takes from one sentence.", "True if the paper bears on the question."],
)
def test_prompt_and_schema_text_is_recognised(text: str) -> None:
    assert ECHO.echo(text) is not None


def test_a_real_finding_is_not_taken_for_prompt_text() -> None:
    assert ECHO.echo("GPTQ quantizes OPT-175B to 3 bits with negligible accuracy loss.") is None


def test_reason_never_contradicts_its_decision() -> None:
    negative = "This paper is not relevant to the research question"
    assert reason_problem(negative, keep=True) == "says off-topic beside a kept source"
    assert reason_problem(negative, keep=False) is None
    assert reason_problem("It studies LLM quantization and is relevant.", keep=False)
    assert reason_problem("True if the paper bears on the question.", keep=True, echo=ECHO)
    assert reason_problem("It studies LLM quantization.", keep=True, echo=ECHO) is None


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Does 4-bit quantization hurt the accuracy of OPT models?", "question"),
        ("2Upon closer inspection, we found that the outliers are systematic.", "footnote"),
        ("Figure 3: Zero-shot accuracy of OPT models at 4-bit precision.", "caption"),
        ("Table 2. Perplexity of LLaMA models quantized with GPTQ.", "caption"),
        ("(a) Accuracy of BLOOM models at 3-bit precision.", "caption"),
        (
            "Dettmers, T., Lewis, M., and Zettlemoyer, L. LLM.int8(): 8-bit matrix multiplication.",
            "reference",
        ),
        ("[12] E. Frantar et al. GPTQ: accurate post-training quantization.", "reference"),
        ("OPT 175B 10.13 10.27 11.25 12.01 14.62 3.21.", "table"),
    ],
)
def test_non_statements_are_rejected(sentence: str, kind: str) -> None:
    problem = statement_problem(sentence)
    assert problem is not None and problem.startswith(kind)


def test_a_finding_is_a_statement() -> None:
    sentence = (
        "GPTQ can quantize GPT models with 175 billion parameters down to 3 or 4 bits per "
        "weight, with negligible accuracy degradation."
    )
    assert statement_problem(sentence) is None


def test_a_caption_title_is_not_a_statement_but_the_caption_findings_after_it_are() -> None:
    page = (
        "Bit precision 3 4 8 16 Figure 1. Bit-level scaling laws for mean zero-shot performance "
        "across four datasets for 125M to 176B parameter OPT models. Zero-shot performance "
        "increases steadily for fixed model bits."
    )
    title = page.index("Bit-level")
    finding = page.index("Zero-shot performance")
    assert statement_problem(page[title : finding - 1], page[title - 16 : title]) == (
        "caption fragment"
    )
    assert statement_problem(page[finding:], page[finding - 16 : finding]) is None
