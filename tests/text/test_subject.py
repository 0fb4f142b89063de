"""The question's subject is matched as a phrase or a listed variant, never as scattered words."""

from __future__ import annotations

from litsynth.text.subject import find_subject

DEMO = "How does 4-bit weight quantization affect the accuracy of large language models?"
ASR = (
    "4-bit Conformer with Native Quantization Aware Training for Speech Recognition. We propose "
    "to develop 4-bit ASR models trained with large-scale datasets."
)
GPTQ = (
    "GPTQ can quantize GPT models with 175 billion parameters down to 3 or 4 bits per weight, "
    "with negligible accuracy degradation."
)


def test_demo_question_has_the_llm_subject() -> None:
    subject = find_subject(DEMO)
    assert subject is not None and subject.name == "large language models"


def test_scattered_words_do_not_name_the_subject() -> None:
    subject = find_subject(DEMO)
    assert subject is not None
    assert subject.mentions(ASR) == []  # "large", "models", "language" apart are not the subject
    assert subject.mentions(GPTQ) == ["GPT"]  # a listed variant; "GPTQ" itself is not "GPT"


def test_variants_and_model_names_imply_the_subject() -> None:
    for q in (
        "What perplexity does GPTQ reach on OPT-175B at 4-bit?",
        "How accurate is SpQR on Falcon-180B at 3-bit?",
        "How much memory does 4-bit NF4 quantization save when finetuning LLaMA-65B?",
        "Do LLMs lose accuracy at 4-bit?",
    ):
        subject = find_subject(q)
        assert subject is not None and subject.name == "large language models", q


def test_opt_as_a_verb_is_not_a_model() -> None:
    subject = find_subject(DEMO)
    assert subject is not None
    assert subject.mentions("We opt for a simpler quantizer.") == []
    assert subject.mentions("We quantize OPT-175B and BLOOM-176B.") == ["OPT-175B", "BLOOM-176B"]


def test_a_question_without_a_subject() -> None:
    assert find_subject("How well does ALCE evaluate citation quality on ASQA and ELI5?") is None
