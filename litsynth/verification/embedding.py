"""Embedding-similarity verifier: the cheap, transparent baseline judge.

A claim is compared with every sentence of its evidence passages (MiniLM cosine). The best
sentences are the evidence; the verdict comes from thresholds on the best cosine:

* ``supported`` when the best cosine reaches ``t_support``;
* ``contradicted`` only when a simple cue fires (negation asymmetry, a number that does not
  match, or an opposite direction word such as increase/decrease) on a sentence at least
  ``t_contradict`` similar to the claim;
* ``unverified`` otherwise.

Confidence is a calibrated probability: a logistic fit of best cosine -> P(supported), learnt on a
TRAIN split by ``python -m litsynth.training.tune_embedding`` and stored as a few numbers in
``artifacts/embedding_v1.json``. Without that file, hand-set defaults are used.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from litsynth.errors import ConfigError
from litsynth.schema import LABELS, EvidencePassage, EvidenceSentence, Verdict, VerdictLabel
from litsynth.text.embedding import Embedder
from litsynth.text.sentences import split_sentences

if TYPE_CHECKING:
    import numpy as np

    from litsynth.settings import VerifierSettings

ARTIFACT_NAME = "embedding_v1.json"
JUDGE_NAME = "embedding-minilm/v1"


class EmbeddingParams(BaseModel):
    """The tuned numbers of the embedding verifier (the JSON artifact's content).

    Probabilities come from a multinomial logistic model over two features, the best cosine and
    whether a contradiction cue fired; rows of ``coef``/``intercept`` follow ``LABELS``.
    """

    model_config = ConfigDict(extra="ignore")

    # Defaults: the SciFact-train fit of the bundled artifact, rounded.
    t_support: float = Field(0.62, description="Best cosine at or above which: supported.")
    t_contradict: float = Field(
        0.56, description="Cosine a cue-bearing sentence needs for: contradicted (>1 = never)."
    )
    coef: list[list[float]] = Field(
        default_factory=lambda: [[3.14, -0.26], [3.70, 0.57], [-6.84, -0.31]],
        description="Logistic weights per label over (best cosine, cue fired).",
    )
    intercept: list[float] = Field(
        default_factory=lambda: [-1.67, -2.96, 4.63], description="Logistic intercept per label."
    )
    source: str = Field("hand-set defaults", description="Where the numbers were fitted.")

    def probabilities(self, best: float, cue: bool) -> dict[VerdictLabel, float]:
        """Calibrated probability of each label given the best cosine and the cue flag."""
        logits = [
            w[0] * best + w[1] * float(cue) + b
            for w, b in zip(self.coef, self.intercept, strict=True)
        ]
        top = max(logits)
        exps = [math.exp(z - top) for z in logits]
        total = sum(exps)
        return {label: e / total for label, e in zip(LABELS, exps, strict=True)}


VERBATIM_COSINE = 0.98


@dataclass(frozen=True)
class Signals:
    """What the decision rule reads for one claim."""

    best: float | None
    """Best claim-sentence cosine; None when no evidence sentence was offered."""
    top: tuple[tuple[float, str | None], ...]
    """(cosine, contradiction cue or None) of the top evidence sentences, best first."""


def decide(
    signals: Signals, params: EmbeddingParams
) -> tuple[VerdictLabel, dict[VerdictLabel, float], str]:
    """Label, probabilities and reason from the signals (shared by verifier and tuning)."""
    if signals.best is None:
        return (
            "unverified",
            {"supported": 0.0, "contradicted": 0.0, "unverified": 1.0},
            "no evidence text was offered",
        )
    best = signals.best
    cue: tuple[float, str] | None = None
    # A source that states the claim near-verbatim, without a cue on that very sentence, is
    # not contradicted by a cue on a weaker sentence nearby.
    stated = best >= VERBATIM_COSINE and bool(signals.top) and signals.top[0][1] is None
    for score, name in () if stated else signals.top:
        if score < params.t_contradict:
            break
        if name is not None:
            cue = (score, name)
            break
    probs = params.probabilities(best, cue is not None)
    if cue is not None:
        return (
            "contradicted",
            probs,
            f"{cue[1]} in an evidence sentence with cosine {cue[0]:.2f}"
            f" ≥ {params.t_contradict:.2f} contradiction threshold",
        )
    if best >= params.t_support:
        return (
            "supported",
            probs,
            f"best evidence sentence cosine {best:.2f} ≥ {params.t_support:.2f} threshold",
        )
    return (
        "unverified",
        probs,
        f"best evidence sentence cosine {best:.2f} < {params.t_support:.2f} threshold",
    )


def default_artifact_path() -> Path:
    """Where the bundled tuned parameters live."""
    return Path(str(resources.files("litsynth.verification") / "artifacts" / ARTIFACT_NAME))


def load_params(path: Path | None = None) -> EmbeddingParams:
    """Tuned parameters from ``path`` (default: bundled artifact); defaults if it is absent."""
    target = path or default_artifact_path()
    if not target.is_file():
        if path is not None:
            raise ConfigError(
                f"embedding verifier parameters {path} not found",
                hint="run `python -m litsynth.training.tune_embedding` or omit the path",
            )
        return EmbeddingParams()
    try:
        return EmbeddingParams.model_validate(json.loads(target.read_text(encoding="utf-8")))
    except (json.JSONDecodeError, ValidationError) as exc:
        raise ConfigError(
            f"{target} is not a valid embedding-verifier parameter file: {exc}",
            hint="re-create it with `python -m litsynth.training.tune_embedding`",
        ) from exc


# --- contradiction cues --------------------------------------------------------------------

_NEGATION = re.compile(
    r"\b(?:not|no|never|none|neither|nor|cannot|without|lack|lacks|lacking|absence|absent"
    r"|fail|fails|failed|unable|unaffected|insufficient|doesn't|don't|isn't|aren't|wasn't"
    r"|weren't|didn't|won't|can't)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?:\s?%)?")
_DIRECTIONS: tuple[tuple[frozenset[str], frozenset[str]], ...] = (
    (
        frozenset({"increase", "increases", "increased", "increasing", "raise", "raises"}),
        frozenset({"decrease", "decreases", "decreased", "decreasing", "reduce", "reduces"}),
    ),
    (frozenset({"higher", "more", "greater", "larger"}), frozenset({"lower", "less", "smaller"})),
    (frozenset({"better", "improves", "improved"}), frozenset({"worse", "poorer", "worsens"})),
    (frozenset({"positive", "positively"}), frozenset({"negative", "negatively"})),
    (frozenset({"promotes", "activates", "enhances"}), frozenset({"inhibits", "suppresses"})),
)
_WORD = re.compile(r"[a-z]+")


def _numbers(text: str) -> set[str]:
    return {m.group(0).replace(",", "").replace(" ", "") for m in _NUMBER.finditer(text)}


def contradiction_cue(claim: str, sentence: str) -> str | None:
    """A short name of the cue suggesting ``sentence`` contradicts ``claim``, or None."""
    if bool(_NEGATION.search(claim)) != bool(_NEGATION.search(sentence)):
        return "negation asymmetry"
    claim_numbers, sentence_numbers = _numbers(claim), _numbers(sentence)
    if claim_numbers and sentence_numbers and not claim_numbers & sentence_numbers:
        return "number mismatch"
    claim_words = set(_WORD.findall(claim.lower()))
    sentence_words = set(_WORD.findall(sentence.lower()))
    for up, down in _DIRECTIONS:
        if (claim_words & up and sentence_words & down and not claim_words & down) or (
            claim_words & down and sentence_words & up and not claim_words & up
        ):
            return "opposite direction"
    return None


# --- the verifier --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Sentence:
    passage: EvidencePassage
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.passage.text[self.start : self.end]


def _default_embedder() -> Embedder:
    from litsynth.text.embedding import get_embedder

    return get_embedder()


class EmbeddingVerifier:
    """Verifier that judges claims by MiniLM cosine to the best evidence sentences."""

    name = JUDGE_NAME

    def __init__(
        self,
        params: EmbeddingParams | None = None,
        *,
        embedder: Embedder | None = None,
        evidence_sentences: int = 2,
    ) -> None:
        self.params = params or load_params()
        self.evidence_sentences = evidence_sentences
        self._embedder = embedder

    @classmethod
    def from_settings(cls, settings: VerifierSettings, **kwargs: Any) -> EmbeddingVerifier:
        """Build from the ``[verifier]`` settings section."""
        return cls(evidence_sentences=settings.evidence_sentences, **kwargs)

    @property
    def embedder(self) -> Embedder:
        """The sentence embedder, created on first use."""
        if self._embedder is None:
            self._embedder = _default_embedder()
        return self._embedder

    def verify(self, claim: str, evidence: Sequence[EvidencePassage]) -> Verdict:
        """Judge one claim against its passages."""
        return self.verify_many([(claim, evidence)])[0]

    def signals(self, items: Sequence[tuple[str, Sequence[EvidencePassage]]]) -> list[Signals]:
        """The decision signals per item (one batched embedding call); used for tuning."""
        return [
            self._signals(claim, sentences, scores)[0]
            for (claim, _), (sentences, scores) in zip(items, self._score(items), strict=True)
        ]

    def verify_many(self, items: Sequence[tuple[str, Sequence[EvidencePassage]]]) -> list[Verdict]:
        """Judge many claims; all claims and sentences are embedded in one batched call."""
        return [
            self._judge(claim, sentences, scores)
            for (claim, _), (sentences, scores) in zip(items, self._score(items), strict=True)
        ]

    def _score(
        self, items: Sequence[tuple[str, Sequence[EvidencePassage]]]
    ) -> list[tuple[list[_Sentence], np.ndarray]]:
        import numpy as np

        per_item: list[list[_Sentence]] = []
        texts: dict[str, int] = {}
        for claim, passages in items:
            texts.setdefault(claim, len(texts))
            sentences = [
                _Sentence(p, span.start, span.end)
                for p in passages
                for span in split_sentences(p.text)
            ]
            for sentence in sentences:
                texts.setdefault(sentence.text, len(texts))
            per_item.append(sentences)
        if not texts:
            return []
        vectors = np.asarray(self.embedder.encode(list(texts)), dtype=np.float32)
        out: list[tuple[list[_Sentence], np.ndarray]] = []
        for (claim, _), sentences in zip(items, per_item, strict=True):
            if not sentences:
                out.append((sentences, np.zeros(0, dtype=np.float32)))
                continue
            rows = vectors[[texts[s.text] for s in sentences]]
            out.append((sentences, rows @ vectors[texts[claim]]))
        return out

    def _signals(
        self, claim: str, sentences: list[_Sentence], scores: np.ndarray
    ) -> tuple[Signals, list[int]]:
        if not sentences:
            return Signals(None, ()), []
        order = sorted(range(len(sentences)), key=lambda i: (-float(scores[i]), i))
        top = tuple(
            (float(scores[i]), contradiction_cue(claim, sentences[i].text))
            for i in order[: self.evidence_sentences]
        )
        return Signals(float(scores[order[0]]), top), order

    def _judge(self, claim: str, sentences: list[_Sentence], scores: np.ndarray) -> Verdict:
        signals, order = self._signals(claim, sentences, scores)
        label, probs, reason = decide(signals, self.params)
        return Verdict(
            label=label,
            confidence=min(1.0, max(0.0, probs[label])),
            probabilities=probs,
            evidence=[
                self._evidence(sentences[i], float(scores[i]))
                for i in order[: self.evidence_sentences]
            ],
            reason=reason,
            judge=self.name,
        )

    @staticmethod
    def _evidence(sentence: _Sentence, score: float) -> EvidenceSentence:
        passage = sentence.passage
        # Offsets are page offsets when the passage knows where it sits in its page;
        # otherwise they are offsets inside the passage text itself.
        shift = passage.char_start or 0
        return EvidenceSentence(
            text=sentence.text,
            doc_id=passage.doc_id,
            page=passage.page,
            char_start=shift + sentence.start,
            char_end=shift + sentence.end,
            score=score,
        )
