"""The baseline (question, sentence) relevance scorer: MiniLM cosine plus subject and key-term
evidence, squashed to [0, 1].

It stands in until a trained cross-encoder is wired in behind the same ``score`` method
(:class:`litsynth.schema.relevance.RelevanceScorer`). Cosine alone ranks a sentence that shares
the question's words ("4-bit ... quantization ... models" about speech recognition) near one that
answers it, so two literal cues are added: whether the sentence names the question's subject
(:func:`litsynth.text.facets.find_subject`, a phrase or a listed variant such as GPT or OPT) and
what share of the question's other key terms it contains.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from litsynth.text.embedding import Embedder
from litsynth.text.facets import relation_terms
from litsynth.text.subject import Subject, find_subject
from litsynth.text.terms import term_stem

NAME = "baseline-minilm-terms"
# Logistic weights, set by hand on the demo corpus (see evals/README.md, gate task): a sentence
# at cosine 0.45 naming the subject and half the key terms scores about 0.5.
COSINE_WEIGHT = 9.0
COSINE_CENTRE = 0.40
SUBJECT_WEIGHT = 1.5
TERMS_WEIGHT = 3.0
BIAS = -2.2


def topic_terms(question: str, subject: Subject | None) -> list[str]:
    """The question's key terms that are not its subject's words."""
    names = subject.mentions(question) if subject else []
    words = {w.casefold() for n in names for w in n.split()}
    return [t for t in relation_terms(question, []) if t not in words]


def term_share(sentence: str, terms: Sequence[str]) -> float:
    """Share of ``terms`` (by crude stem) that occur in the sentence; 0.5 when there are none."""
    if not terms:
        return 0.5
    low = sentence.casefold()
    return sum(1 for t in terms if term_stem(t) in low) / len(terms)


class MiniLMTermScorer:
    """Baseline relevance: a logistic blend of MiniLM cosine, subject mention and key terms."""

    name = NAME

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def score(self, question: str, sentences: Sequence[str]) -> list[float]:
        """One score in [0, 1] per sentence (0.5 and above: bears on the question)."""
        if not sentences:
            return []
        vecs = self.embedder.encode([question, *sentences])
        cosines = np.asarray(vecs[1:] @ vecs[0], dtype=float)
        subject = find_subject(question)
        terms = topic_terms(question, subject)
        out = []
        for cos, sentence in zip(cosines, sentences, strict=True):
            named = 0.5 if subject is None else float(bool(subject.mentions(sentence)))
            z = (
                COSINE_WEIGHT * (float(cos) - COSINE_CENTRE)
                + SUBJECT_WEIGHT * named
                + TERMS_WEIGHT * term_share(sentence, terms)
                + BIAS
            )
            out.append(1.0 / (1.0 + math.exp(-z)))
        return out
