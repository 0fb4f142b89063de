"""How strongly a sentence bears on a research question: a MiniLM cross-encoder.

The model reads (question, sentence) together and gives the probability that the sentence
answers or bears on the question, not merely shares its words: "4-bit Conformer ... speech
recognition" must score low for a question about large language models, GPTQ's "down to 3 or
4 bits per weight, with negligible accuracy degradation" high. It is the MiniLM
cross-encoder the verifier's judge also uses (:class:`litsynth.text.pair_encoder.PairEncoder`:
the pip-shipped all-MiniLM-L6-v2, fine-tuned upper layers from a small artefact, PyTorch or ONNX
Runtime) with a two-class head,
trained by ``python -m litsynth.training.relevance``. Nothing is downloaded.

torch and transformers are imported inside the loader: importing this module is cheap.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from litsynth.errors import ConfigError
from litsynth.text.onnx_runner import Runtime
from litsynth.text.pair_encoder import PairEncoder

logger = logging.getLogger(__name__)

DEFAULT_ARTIFACT = "relevance-v1"
FORMAT = "litsynth-relevance"
HINT = "retrain with: python -m litsynth.training.relevance (or reinstall litsynth)"


def artifact_path(name: str = DEFAULT_ARTIFACT) -> Path:
    """A shipped artefact by name (``relevance-v1``), or ``name`` itself when it is a path."""
    if name.endswith(".safetensors") or "/" in name:
        return Path(name)
    base = resources.files("litsynth.relevance") / "artifacts" / f"{name}.safetensors"
    return Path(str(base))


class RelevanceScorer:
    """Scores (question, sentence) pairs: probability in [0, 1] that the sentence bears on the
    question. Load it once and reuse it; :meth:`score` batches internally."""

    def __init__(self, model: PairEncoder, *, batch_size: int = 32) -> None:
        if model.head.out_features != 2:
            raise ConfigError(
                f"a relevance artefact has a 2-way head, this one {model.head.out_features}",
                hint=HINT,
            )
        self.model = model
        self.batch_size = batch_size
        self.metadata: dict[str, Any] = model.metadata
        self.version = str(model.metadata.get("version", "unknown"))
        self.name = f"minilm-relevance/{self.version}"

    @classmethod
    def load(
        cls,
        artifact: str | Path = DEFAULT_ARTIFACT,
        *,
        runtime: Runtime = "onnx",
        batch_size: int = 32,
    ) -> RelevanceScorer:
        """The scorer from an artefact name or path; never touches the network.

        With an ONNX runtime the encoder is exported once into the cache (see
        :mod:`litsynth.text.onnx_runner`); if that fails PyTorch runs it and
        :attr:`runtime_note` says why.
        """
        path = artifact if isinstance(artifact, Path) else artifact_path(artifact)
        model = PairEncoder.from_artifact(
            path, runtime=runtime, fmt=FORMAT, what="relevance artefact", hint=HINT
        )
        scorer = cls(model, batch_size=batch_size)
        logger.info("relevance scorer %s loaded (%s)", scorer.name, scorer.runtime_note)
        return scorer

    @property
    def runtime_note(self) -> str:
        """What runs the encoder (ONNX Runtime or PyTorch, and why when it fell back)."""
        return self.model.runtime_note

    def score(self, question: str, sentences: Sequence[str]) -> list[float]:
        """Probability that each sentence bears on ``question``, in the order given."""
        if not sentences:
            return []
        return self.score_pairs([question] * len(sentences), sentences)

    def score_pairs(self, questions: Sequence[str], sentences: Sequence[str]) -> list[float]:
        """Probability for each (question, sentence) pair; many questions in one batched call."""
        if len(questions) != len(sentences):
            raise ValueError("questions and sentences differ in length")
        if not sentences:
            return []
        logits = self.model.logits(questions, sentences, batch=self.batch_size)
        # softmax(logits / T)[:, 1] of a two-way head, written as a sigmoid of the margin
        margin = (logits[:, 1] - logits[:, 0]) / self.model.temperature
        return [float(p) for p in 1.0 / (1.0 + np.exp(-margin))]
