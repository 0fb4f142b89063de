"""The question's subject is matched as a phrase or a known variant, never as scattered words."""

from __future__ import annotations

from litsynth.text.subject import subject_of

QUESTION = "How does 4-bit weight quantization affect the accuracy of large language models?"


def test_llm_question_has_the_llm_subject_and_its_variants() -> None:
    s = subject_of(QUESTION)
    assert s.name == "large language models"
    assert s.mentioned_in("GPTQ quantizes GPT models with 175 billion parameters.")
    assert s.mentioned_in("We evaluate OPT-175B and LLaMA-65B.")
    assert s.mentioned_in("LLMs need memory.")


def test_speech_paper_is_not_about_large_language_models() -> None:
    s = subject_of(QUESTION)
    # the false positive: 4-bit, weight, quantization, large, models as separate words
    asr = (
        "4-bit Conformer with Native Quantization Aware Training for Speech Recognition. We "
        "explored different precisions for weight quantization of large models and obtained a "
        "lossless 4-bit Conformer model."
    )
    assert not s.mentioned_in(asr)


def test_acronyms_match_only_as_written() -> None:
    s = subject_of(QUESTION)
    assert not s.mentioned_in("Users may opt for a smaller bloom of flowers.")


def test_question_without_known_subject_accepts_everything() -> None:
    s = subject_of("Which bit precision gives the best zero-shot accuracy for a fixed budget?")
    assert s.name == ""
    assert s.mentioned_in("anything at all")
