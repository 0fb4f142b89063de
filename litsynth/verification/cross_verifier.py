"""The cross-encoder judge: the trained verifier's evidence selection, then MiniLM reading the
claim and its top sentences together (:mod:`litsynth.verification.cross`).

When the artefact carries a ``combiner`` (fitted by ``train_stack`` on the calibration split),
the verdict head's logits and the cross-encoder's are combined by that logistic regression and
its temperature; otherwise the cross-encoder's logits alone are scaled by its temperature.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from litsynth.verification.calibration import softmax
from litsynth.verification.cross import CrossEncoder, evidence_text
from litsynth.verification.features import TOP_K, Featurized
from litsynth.verification.sentences import PassageSentence
from litsynth.verification.trained import Embedder, SelectingVerifier, TrainedVerifier, VerdictHead


class CrossEncoderVerifier(SelectingVerifier):
    """Verifier protocol over the fine-tuned, temperature-calibrated cross-encoder."""

    def __init__(
        self,
        model: CrossEncoder,
        *,
        head: VerdictHead | None = None,
        embedder: Embedder | None = None,
        evidence_sentences: int = 2,
    ) -> None:
        super().__init__(embedder=embedder, evidence_sentences=evidence_sentences)
        self.model = model
        self.metadata = model.metadata
        self.version = str(model.metadata.get("version", "unknown"))
        combiner = model.metadata.get("combiner")
        self.head = head if combiner else None
        self._combiner = (
            (np.asarray(combiner["weights"]), np.asarray(combiner["bias"]), combiner["temperature"])
            if combiner and head is not None
            else None
        )
        stage = "+head" if self._combiner else ""
        self.name = f"minilm-cross-encoder{stage}/{self.version}"

    @classmethod
    def load(
        cls,
        path: Path | None = None,
        *,
        embedder: Embedder | None = None,
        evidence_sentences: int = 2,
    ) -> CrossEncoderVerifier:
        """Load the artefact (default: the shipped one); never touches the network."""
        model = CrossEncoder.load(path)
        head = TrainedVerifier.load().head if "combiner" in model.metadata else None
        return cls(model, head=head, embedder=embedder, evidence_sentences=evidence_sentences)

    def probabilities(
        self,
        claims: Sequence[str],
        kept: Sequence[list[PassageSentence]],
        feats: Sequence[Featurized],
    ) -> np.ndarray:
        """Cross-encoder logits over (claim, top sentences in document order), scaled by T."""
        evidences = [
            evidence_text([s.text for s in sents], f.order, TOP_K)
            for sents, f in zip(kept, feats, strict=True)
        ]
        logits = self.model.logits(claims, evidences)
        if self._combiner is None or self.head is None:
            return softmax(logits, self.model.temperature)
        weights, bias, temperature = self._combiner
        z = np.hstack([self.head.logits(np.stack([f.x for f in feats])), logits])
        return softmax(z @ weights + bias, float(temperature))
