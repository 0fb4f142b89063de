"""The trained claim verifier: MiniLM evidence selection + a small verdict head, calibrated.

Pipeline per claim: split the passages into located sentences, embed claim and sentences with
the frozen MiniLM embedder, take the top-k sentences by cosine as evidence, compute embedding and
lexical/numeric cue features (:mod:`litsynth.verification.features`), run the head (logistic
regression or a one-hidden-layer MLP, weights stored as plain arrays in an ``.npz``: no pickle),
divide the logits by the fitted temperature and take the most probable label.

The artefact is ``artifacts/verdict_head-<version>.npz`` with a JSON file of the same stem
(version, feature list, training data hashes, metrics); both are written by
``python -m litsynth.training.head``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from litsynth.errors import ConfigError
from litsynth.schema import LABELS, EvidencePassage, Verdict, VerdictLabel
from litsynth.text.artifact_io import read_artifact
from litsynth.text.embedding import Embedder
from litsynth.text.onnx_runner import Runtime
from litsynth.verification.calibration import softmax
from litsynth.verification.features import (
    PREFILTER,
    TOP_K,
    Featurized,
    feature_names,
    featurize,
    prefilter,
)
from litsynth.verification.sentences import PassageSentence, passage_sentences

ARTIFACT_STEM = "verdict_head-v1"
FORMAT = "litsynth-verdict-head"
VETO_COSINE = 0.8
VETO_COVERAGE = 0.6


def default_artifact_path() -> Path:
    """The artefact shipped inside the package."""
    base = resources.files("litsynth.verification") / "artifacts" / f"{ARTIFACT_STEM}.npz"
    return Path(str(base))


@dataclass(frozen=True)
class VerdictHead:
    """Pick feature columns, standardise, then dense layers with ReLU between them -> 3 logits.

    ``mean`` and ``scale`` cover every feature; ``columns`` (all when empty) are those the
    layers read, so a head may use only the cue block or the whole vector.
    """

    mean: np.ndarray
    scale: np.ndarray
    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    temperature: float
    columns: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def logits(self, x: np.ndarray) -> np.ndarray:
        """Raw (uncalibrated) logits, shape (n, 3)."""
        h = (np.atleast_2d(x).astype(np.float64) - self.mean) / self.scale
        if self.columns.size:
            h = h[:, self.columns]
        for i, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            h = h @ w + b
            if i < len(self.weights) - 1:
                h = np.maximum(h, 0.0)
        return h

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """Calibrated probabilities, shape (n, 3), columns in :data:`LABELS` order."""
        return softmax(self.logits(x), self.temperature)

    def arrays(self) -> dict[str, np.ndarray]:
        """The head as named arrays for ``np.savez``."""
        out = {
            "mean": self.mean,
            "scale": self.scale,
            "temperature": np.array(self.temperature),
            "columns": self.columns,
        }
        for i, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            out[f"W{i}"], out[f"b{i}"] = w, b
        return out

    @classmethod
    def from_arrays(cls, arrays: Any) -> VerdictHead:
        """Inverse of :meth:`arrays`."""
        n = sum(1 for k in arrays if k.startswith("W"))
        return cls(
            mean=np.asarray(arrays["mean"], dtype=np.float64),
            scale=np.asarray(arrays["scale"], dtype=np.float64),
            weights=tuple(np.asarray(arrays[f"W{i}"], dtype=np.float64) for i in range(n)),
            biases=tuple(np.asarray(arrays[f"b{i}"], dtype=np.float64) for i in range(n)),
            temperature=float(arrays["temperature"]),
            columns=np.asarray(arrays.get("columns", np.zeros(0)), dtype=np.int64),
        )


def _reason(label: VerdictLabel, f: Featurized, best: PassageSentence | None) -> str:
    cos = float(f.cosines[f.order[0]]) if best is not None else 0.0
    cues = f.cues.reasons
    cover = f.cues.values["claim_coverage_top1"]
    if best is None:
        return "no evidence sentences were offered"
    where = f"best sentence (cosine {cos:.2f}, {cover:.0%} of claim words)"
    if label == "contradicted":
        return "; ".join(cues) + f" — {where}" if cues else f"{where} reads as contradicting"
    if label == "supported":
        extra = f"; but note: {'; '.join(cues)}" if cues else ""
        return f"{where} states the claim{extra}"
    detail = f"; {'; '.join(cues)}" if cues else ""
    return f"no sentence settles the claim: {where}{detail}"


def _vetoed(f: Featurized) -> bool:
    """Whether a checkable conflict rules out "supported" (the next most probable label stands).

    Any conflict (number, negation, direction, antonym) does when the best sentence is about the
    same thing (cosine at least ``VETO_COSINE``). A number of the same kind that differs (claim
    OPT-350B, source OPT-175B) does already when the best sentence holds most of the claim's
    words: "GPTQ (OPT-350B): minimal increase in perplexity" read against GPTQ's OPT-175B
    sentence has cosine 0.76 and all its words there, and the learned stack called it supported.
    """
    if not f.cues.reasons:
        return False
    if float(f.cosines[f.order[0]]) >= VETO_COSINE:
        return True
    values = f.cues.values
    return bool(values["number_conflict"]) and values["claim_coverage_top1"] >= VETO_COVERAGE


class SelectingVerifier:
    """Shared pipeline of the trained judges: located sentences, lexical prefilter, MiniLM
    selection and cue features; subclasses turn the selected evidence into probabilities."""

    name: str = "selecting"

    def __init__(
        self,
        *,
        embedder: Embedder | None = None,
        evidence_sentences: int = 2,
        runtime: Runtime = "torch",
    ) -> None:
        self.evidence_sentences = evidence_sentences
        self._embedder = embedder
        self.runtime = runtime
        self.runtime_note: str = "injected embedder" if embedder is not None else runtime

    @property
    def embedder(self) -> Embedder:
        """The MiniLM embedder (process-wide, loaded on first use; ONNX Runtime when asked)."""
        if self._embedder is None:
            from litsynth.text.onnx_runner import onnx_sentence_embedder

            self._embedder, self.runtime_note = onnx_sentence_embedder(self.runtime)
        return self._embedder

    @property
    def runtime_summary(self) -> str:
        """What runs the encoders (ONNX Runtime or PyTorch, and why when it fell back)."""
        return f"embedder: {self.runtime_note}"

    def verify(self, claim: str, evidence: Sequence[EvidencePassage]) -> Verdict:
        """Judge one claim against its passages."""
        return self.verify_many([(claim, evidence)])[0]

    def verify_many(self, items: Sequence[tuple[str, Sequence[EvidencePassage]]]) -> list[Verdict]:
        """Judge many claims with one embedding call for all claims and candidate sentences."""
        split = [passage_sentences(passages) for _, passages in items]
        kept = [
            [sents[i] for i in prefilter(claim, [x.text for x in sents])]
            for (claim, _), sents in zip(items, split, strict=True)
        ]
        texts = sorted({c for c, _ in items} | {s.text for sents in kept for s in sents})
        vectors = self.embedder.encode(texts) if texts else np.zeros((0, 384), np.float32)
        index = {t: i for i, t in enumerate(texts)}
        feats: list[Featurized] = []
        for (claim, _), sents in zip(items, kept, strict=True):
            s = vectors[[index[x.text] for x in sents]] if sents else vectors[:0]
            feats.append(featurize(claim, [x.text for x in sents], vectors[index[claim]], s))
        claims = [c for c, _ in items]
        probs = self.probabilities(claims, kept, feats) if feats else np.zeros((0, 3))
        return [self._verdict(f, sents, p) for f, sents, p in zip(feats, kept, probs, strict=True)]

    def probabilities(
        self,
        claims: Sequence[str],
        kept: Sequence[list[PassageSentence]],
        feats: Sequence[Featurized],
    ) -> np.ndarray:
        """Calibrated probabilities (n, 3) in :data:`LABELS` order."""
        raise NotImplementedError

    def _verdict(self, f: Featurized, sents: list[PassageSentence], p: np.ndarray) -> Verdict:
        if not sents:
            return Verdict(
                label="unverified",
                confidence=1.0,
                probabilities={"supported": 0.0, "contradicted": 0.0, "unverified": 1.0},
                reason="no evidence sentences were offered",
                judge=self.name,
            )
        label = LABELS[int(np.argmax(p))]
        if label == "supported" and _vetoed(f):
            label = "contradicted" if p[1] >= p[2] else "unverified"
        top = [int(i) for i in f.order[: self.evidence_sentences]]
        return Verdict(
            label=label,
            confidence=float(p[LABELS.index(label)]),
            probabilities={lab: float(v) for lab, v in zip(LABELS, p, strict=True)},
            evidence=[sents[i].as_evidence(float(f.cosines[i])) for i in top],
            reason=_reason(label, f, sents[top[0]]),
            judge=self.name,
        )


class TrainedVerifier(SelectingVerifier):
    """Verifier protocol over the trained, calibrated verdict head."""

    def __init__(
        self,
        head: VerdictHead,
        metadata: dict[str, Any],
        *,
        embedder: Embedder | None = None,
        evidence_sentences: int = 2,
        runtime: Runtime = "torch",
    ) -> None:
        super().__init__(embedder=embedder, evidence_sentences=evidence_sentences, runtime=runtime)
        self.head = head
        self.metadata = metadata
        self.version = str(metadata.get("version", "unknown"))
        self.name = f"trained-minilm-head/{self.version}"

    @classmethod
    def load(
        cls,
        path: Path | None = None,
        *,
        embedder: Embedder | None = None,
        evidence_sentences: int = 2,
        runtime: Runtime = "torch",
    ) -> TrainedVerifier:
        """Load the artefact (default: the shipped one); never touches the network."""
        npz = Path(path) if path is not None else default_artifact_path()
        hint = "retrain with: python -m litsynth.training.head (or reinstall litsynth)"

        def read(p: Path) -> VerdictHead:
            with np.load(p, allow_pickle=False) as arrays:
                return VerdictHead.from_arrays({k: arrays[k] for k in arrays.files})

        metadata, head = read_artifact(
            npz, fmt=FORMAT, what="verifier artefact", hint=hint, read=read, errors=(KeyError,)
        )
        expected = len(feature_names(int(metadata.get("embedding_dim", 384))))
        if (
            head.mean.shape != (expected,)
            or metadata.get("top_k") != TOP_K
            or metadata.get("prefilter", PREFILTER) != PREFILTER
        ):
            raise ConfigError(
                f"verifier artefact {npz} was trained for other features "
                f"({head.mean.shape[0]} features, top_k {metadata.get('top_k')})",
                hint=hint,
            )
        return cls(
            head,
            metadata,
            embedder=embedder,
            evidence_sentences=evidence_sentences,
            runtime=runtime,
        )

    def probabilities(
        self,
        claims: Sequence[str],
        kept: Sequence[list[PassageSentence]],
        feats: Sequence[Featurized],
    ) -> np.ndarray:
        """The head's calibrated probabilities over the feature vectors."""
        return self.head.probabilities(np.stack([f.x for f in feats]))
