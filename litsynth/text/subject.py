"""The question's subject ("large language models") and whether a text is about it.

A subject is a phrase, matched as a phrase or as one of its known variants (LLM, GPT, OPT,
LLaMA...), never as scattered words: "large models" in a speech paper is not "large language
models". A question naming no known subject has subject ``""``, and every text is about it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LLM_VARIANTS = (
    r"large[-\s]language[-\s]models?",
    r"language[-\s]models?",
    r"LLMs?",
    r"GPT(?:-?[0-9A-Za-z]+)?",
    r"OPT(?:-\d+(?:\.\d+)?[BM])?",
    r"L[Ll][Aa][Mm][Aa](?:-?\d)?",
    r"BLOOM(?:Z)?",
    r"Falcon",
    r"Mistral",
    r"Pythia",
    r"ChatGPT",
    r"Vicuna",
    r"Guanaco",
    r"generative pre-?trained transformers?",
)
_TRANSFORMER_VARIANTS = (r"transformers?", r"BERT", r"RoBERTa", r"T5", *_LLM_VARIANTS)
_SPEECH_VARIANTS = (r"speech recognition", r"ASR", r"speech")
_VISION_VARIANTS = (r"vision transformers?", r"ViT", r"image classification", r"CNNs?", r"ResNet")

# (subject name, pattern that finds it in a question, variants a text may use), most specific first
_SUBJECTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("large language models", r"large[-\s]language[-\s]models?|LLMs?", _LLM_VARIANTS),
    ("language models", r"language[-\s]models?", _LLM_VARIANTS),
    ("speech recognition", r"speech recognition|ASR", _SPEECH_VARIANTS),
    ("vision models", r"vision transformers?|image classification|ViT", _VISION_VARIANTS),
    ("transformers", r"transformers?|BERT", _TRANSFORMER_VARIANTS),
)
_CASE_SENSITIVE = re.compile(r"^[A-Z]")


def _pattern(alternatives: tuple[str, ...] | str) -> re.Pattern[str]:
    alts = (alternatives,) if isinstance(alternatives, str) else alternatives
    # Lower-case phrases match in any case; acronyms and names (upper-case start) only as written,
    # so "opt for" or "bloom" never count as a model.
    parts = [a if _CASE_SENSITIVE.match(a) else f"(?i:{a})" for a in alts]
    return re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(parts) + r")(?![A-Za-z])")


@dataclass(frozen=True)
class Subject:
    """A question's subject and the pattern of its variants."""

    name: str
    pattern: re.Pattern[str] | None

    def mentioned_in(self, text: str) -> bool:
        """True when ``text`` names the subject (always true for a question without one)."""
        return self.pattern is None or bool(self.pattern.search(text))


def subject_of(question: str) -> Subject:
    """The first known subject the question names; ``Subject("", None)`` when none."""
    for name, finder, variants in _SUBJECTS:
        if _pattern(finder).search(question):
            return Subject(name, _pattern(variants))
    return Subject("", None)
