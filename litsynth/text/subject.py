"""The question's subject ("large language models") and whether a text is about it.

A subject is a kind of model, matched as a phrase or as one of its listed variants (LLM, GPT,
OPT, LLaMA...), never as scattered words: "large models" in a speech paper is not "large
language models". Acronyms and names match only as written, so "opt for" is not OPT. A
question that names no listed subject has ``NO_SUBJECT``, and every text is about it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LLM_NAMES = (
    r"LLMs?|GPTs?|GPT-[\w.]+|ChatGPT|InstructGPT|OPT(?:-[\w.]+)?|LLaMA[\w.-]*|Llama[\w.-]*|"
    r"LLAMA[\w.-]*|BLOOMZ?(?:-[\w.]+)?|Falcon(?:-[\w.]+)?|Mistral(?:-[\w.]+)?|"
    r"Mixtral(?:-[\w.]+)?|Pythia(?:-[\w.]+)?|Gemma(?:-[\w.]+)?|Qwen[\w.-]*|Vicuna(?:-[\w.]+)?|"
    r"Guanaco(?:-[\w.]+)?|PaLM(?:-[\w.]+)?|Chinchilla|Gemini(?:-[\w.]+)?|Phi-\d[\w.-]*|"
    r"GLM-[\w.]+|Gopher|Galactica"
)
_LLM_PHRASES = (
    r"(?i:large[-\s]+language[-\s]+models?|(?:generative\s+)?pre-?trained\s+transformers?|"
    r"language[-\s]+models?)"
)
_TRANSFORMER_NAMES = r"BERT|RoBERTa|DistilBERT|T5|BART|" + _LLM_NAMES
_TRANSFORMER_PHRASES = r"(?i:transformers?(?:-based)?(?:\s+models?)?)|" + _LLM_PHRASES


@dataclass(frozen=True)
class Subject:
    """What the question is about (a kind of model), matched as a phrase or a listed variant."""

    name: str
    variants: tuple[str, ...]
    pattern: re.Pattern[str] | None
    # Kinds of model a text can name that are not the subject (BERT for "large language
    # models"): a finding stated for them is no evidence about the subject.
    others: re.Pattern[str] | None = None

    def only_others(self, text: str) -> bool:
        """True when ``text`` names a kind of model that is not the subject, and not the subject
        itself ("encoder-only and encoder-decoder models" for large language models)."""
        return bool(self.others and self.others.search(text)) and not self.mentions(text)

    def mentions(self, text: str) -> list[str]:
        """The subject's names as they occur in ``text``, first occurrences, in order."""
        if self.pattern is None:
            return []
        return list(dict.fromkeys(m.group(0).rstrip(".-") for m in self.pattern.finditer(text)))

    def mentioned_in(self, text: str) -> bool:
        """True when ``text`` names the subject (always, for a question without one)."""
        return self.pattern is None or bool(self.mentions(text))


def _subject(
    name: str, variants: tuple[str, ...], names: str, phrases: str, others: str = ""
) -> Subject:
    body = rf"(?<![\w-])(?:{phrases}|{names})(?![\w])"
    other = re.compile(rf"(?<![\w-])(?:{others})(?![\w])") if others else None
    return Subject(name, variants, re.compile(body), other)


# Encoder and encoder-decoder models are language models, but not what "LLM" means in these
# papers (decoder-only GPT-style models): INT4 keeps BERT's accuracy and loses GPT's.
_NOT_LLM = (
    r"(?i:encoder-only|encoder-decoder|encoder\s+models?)|BERT|RoBERTa|DistilBERT|TinyBERT|"
    r"BART|T5|ViT|ResNet|Conformer"
)


SUBJECTS: tuple[Subject, ...] = (
    _subject(
        "large language models",
        ("LLM", "LLMs", "GPT", "OPT", "LLaMA", "BLOOM", "Falcon", "Mistral", "Pythia"),
        _LLM_NAMES,
        _LLM_PHRASES,
        _NOT_LLM,
    ),
    _subject(
        "transformer models",
        ("transformer", "BERT", "RoBERTa", "T5", "GPT", "OPT", "language models"),
        _TRANSFORMER_NAMES,
        _TRANSFORMER_PHRASES,
    ),
)


def find_subject(question: str) -> Subject | None:
    """The question's subject: the first listed subject the question names (phrase or variant)."""
    for subject in SUBJECTS:
        if subject.mentions(question):
            return subject
    return None


NO_SUBJECT = Subject("", (), None)


def subject_of(question: str) -> Subject:
    """The question's subject, or ``NO_SUBJECT`` when it names none of the listed ones."""
    return find_subject(question) or NO_SUBJECT
