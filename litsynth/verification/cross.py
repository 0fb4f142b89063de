"""A MiniLM cross-encoder verdict model: claim and its selected evidence read together.

The shipped MiniLM (all-MiniLM-L6-v2) is the base. Its lower ``frozen_layers`` stay as shipped;
the upper layers and a 3-way head over mean-pooled tokens were fine-tuned on the train splits
by ``python -m litsynth.training.cross``. The artefact
(``artifacts/cross_encoder-<version>.safetensors`` + ``.json``) holds only those upper layers
(float16) and the head, so it is small and loads offline on top of the pip-installed base.

torch and transformers are imported inside functions: importing this module is cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import numpy as np

from litsynth.text.onnx_runner import Runtime
from litsynth.text.pair_encoder import PairEncoder, load_base, mean_pool

__all__ = ["CrossEncoder", "default_cross_artifact", "evidence_text", "load_base", "mean_pool"]

ARTIFACT_STEM = "cross_encoder-v1"
FORMAT = "litsynth-cross-encoder"
HINT = "retrain with: python -m litsynth.training.cross (or reinstall litsynth)"


def default_cross_artifact() -> Path:
    """The cross-encoder artefact shipped inside the package."""
    base = resources.files("litsynth.verification") / "artifacts" / f"{ARTIFACT_STEM}.safetensors"
    return Path(str(base))


def evidence_text(sentences: Sequence[str], order: Sequence[int] | np.ndarray, k: int) -> str:
    """The top-``k`` sentences (by ``order``) joined in document order: the model's second text."""
    chosen = sorted(int(i) for i in list(order)[:k])
    return " ".join(sentences[i] for i in chosen)


class CrossEncoder(PairEncoder):
    """The verifier's (claim, evidence) judge: a 3-way head, :data:`FORMAT` artefacts."""

    @classmethod
    def load(cls, path: Path | None = None, *, runtime: Runtime = "torch") -> CrossEncoder:
        """The artefact at ``path`` (default: the shipped one) over the installed MiniLM."""
        return cls.from_artifact(
            Path(path) if path is not None else default_cross_artifact(),
            runtime=runtime,
            fmt=FORMAT,
            what="cross-encoder artefact",
            hint=HINT,
        )
