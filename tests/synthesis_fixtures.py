"""Claims, passages and a rule verifier for the synthesis, rubric and report tests.

The quotes are sentences from, or modelled on, the bundled papers (GPTQ, k-bit scaling laws, INT4,
LLM.int8()) plus the speech-recognition paper the issue found cited, so states with an
off-topic source or without any answer can be built from real text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from litsynth.schema.records import Claim, Passage
from litsynth.schema.verdicts import EvidencePassage, Verdict
from litsynth.text.grounding import ungrounded_entities
from litsynth.text.terms import key_terms, term_stem

QUESTION = "How does 4-bit weight quantization affect the accuracy of large language models?"
SUB = "What accuracy do LLMs keep at 4-bit weights?"

GPTQ = (
    "gptq",
    "GPTQ: Accurate Post-Training Quantization for Generative Pre-trained Transformers",
    "Specifically, GPTQ can quantize GPT models with 175 billion parameters in approximately "
    "four GPU hours, reducing the bitwidth down to 3 or 4 bits per weight, with negligible "
    "accuracy degradation relative to the uncompressed baseline.",
)
KBIT = (
    "kbit",
    "The case for 4-bit precision: k-bit Inference Scaling Laws",
    "We find that 4-bit weight quantization of large language models retains zero-shot "
    "accuracy with negligible degradation across OPT, BLOOM and Pythia families.",
)
INT4_DECODER = (
    "int4",
    "Understanding INT4 Quantization for Language Models: Latency Speedup, Composability, and "
    "Failure Cases",
    "However, for decoder-only models, INT4 quantization of the weights leads to significant "
    "accuracy degradation.",
)
INT8_BACKGROUND = (
    "int8",
    "LLM.int8(): 8-bit Matrix Multiplication for Transformers at Scale",
    "Large language models have been widely adopted but require significant GPU memory for "
    "inference.",
)
INT8_RESULT = (
    "int8",
    "LLM.int8(): 8-bit Matrix Multiplication for Transformers at Scale",
    "Using LLM.int8(), we show empirically it is possible to perform inference in LLMs with up to "
    "175B parameters without any performance degradation.",
)
QUESTION_8BIT = "How can large language models be quantized to 8-bit without losing accuracy?"
ASR = (
    "asr",
    "4-bit Conformer with Native Quantization Aware Training for Speech Recognition",
    "We obtained a lossless 4-bit Conformer model with 5.8x size reduction compared to the "
    "float32 model.",
)


def claim(n: int, source: tuple[str, str, str], *, verbatim: bool = True) -> Claim:
    """A supported claim quoting ``source``'s sentence."""
    doc_id, title, quote = source
    return Claim(
        id=f"C{n}",
        text=quote,
        verbatim=verbatim,
        doc_id=doc_id,
        title=title,
        page=1,
        char_start=0,
        char_end=len(quote),
        quote=quote,
        passage_id=f"{doc_id}:p",
        sub_question=SUB,
        relevance=0.6,
        round=1,
        selected_by="rules",
        verdict="supported",
        confidence=0.9,
        judge="fake",
    )


def passage(source: tuple[str, str, str]) -> Passage:
    """The passage a claim of ``source`` came from."""
    doc_id, title, quote = source
    return Passage(
        id=f"{doc_id}:p",
        doc_id=doc_id,
        title=title,
        page=1,
        char_start=0,
        char_end=len(quote),
        text=quote,
        query="4-bit quantization accuracy",
        retrieval_score=0.6,
        round=1,
    )


def state_of(*sources: tuple[str, str, str]) -> dict[str, object]:
    """A research state whose supported claims quote ``sources`` in order (C1, C2, ...)."""
    return {
        "question": QUESTION,
        "claims": [claim(i, s) for i, s in enumerate(sources, start=1)],
        "passages": [passage(s) for s in dict.fromkeys(sources)],
        "contradictions": [],
    }


@dataclass
class RuleVerifier:
    """Supported when the sentence names nothing its evidence does not and shares its terms."""

    name: str = "rule-verifier"
    calls: list[tuple[str, list[str]]] = field(default_factory=list)

    def verify_many(self, items: Sequence[tuple[str, Sequence[EvidencePassage]]]) -> list[Verdict]:
        """One verdict per (sentence, evidence) pair."""
        return [self.verify(text, evidence) for text, evidence in items]

    def verify(self, text: str, evidence: Sequence[EvidencePassage]) -> Verdict:
        """Entities grounded and most content terms shared: supported."""
        self.calls.append((text, [e.text for e in evidence]))
        basis = " ".join(e.text for e in evidence)
        terms = {term_stem(t) for t in key_terms(text)}
        shared = terms & {term_stem(t) for t in key_terms(basis)}
        ok = not ungrounded_entities(text, basis) and len(shared) >= 0.6 * len(terms)
        return Verdict(
            label="supported" if ok else "unverified",
            confidence=0.9 if ok else 0.6,
            judge=self.name,
        )
