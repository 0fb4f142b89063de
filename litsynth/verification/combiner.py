"""The combiner of verdict head and cross-encoder: a multinomial logistic regression over the
head's logits, the cross-encoder's logits and (optionally) the checkable-conflict cues.

The head sees the conflict cues with their values set to 0 ("no conflict"), and each cue enters
the combiner on its own with a weight for ``supported`` no larger than its weight for any other
label (the fitter drops a cue that learns otherwise). So a conflict that fires can only lower
P(supported): the combination cannot learn, say, ``number_mismatch`` as supporting evidence,
even where the training data would have it so (the cue often fires on unrelated numbers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from litsynth.errors import ConfigError
from litsynth.verification.calibration import softmax
from litsynth.verification.features import feature_names
from litsynth.verification.trained import VerdictHead

CONFLICT_CUES: tuple[str, ...] = (
    "number_mismatch",
    "negation_asymmetry",
    "direction_oppose",
    "antonym_cue",
)
HINT = "refit it: python -m litsynth.training.stack"


@dataclass(frozen=True)
class Combiner:
    """Weights (6 + len(cues), 3), bias (3,), temperature, and the cues entering directly."""

    weights: np.ndarray
    bias: np.ndarray
    temperature: float
    cues: tuple[str, ...] = ()
    neutral: tuple[str, ...] = ()
    """Cues the head sees at 0: every conflict cue for a cue-aware spec, none for a v1 spec."""

    @classmethod
    def from_spec(cls, spec: dict[str, Any]) -> Combiner:
        """From an artefact's ``combiner`` JSON (v1 specs have no ``cues``)."""
        weights = np.asarray(spec["weights"], dtype=np.float64)
        bias = np.asarray(spec["bias"], dtype=np.float64)
        cues = tuple(spec.get("cues", ()))
        neutral = tuple(spec.get("neutral_cues", CONFLICT_CUES)) if "cues" in spec else ()
        unknown = [c for c in (*cues, *neutral) if c not in CONFLICT_CUES]
        if weights.shape != (6 + len(cues), 3) or bias.shape != (3,) or unknown:
            raise ConfigError(
                f"the combiner's weights have shape {weights.shape} for cues {list(cues)}; "
                f"expected ({6 + len(cues)}, 3) over known cues",
                hint=HINT,
            )
        return cls(weights, bias, float(spec["temperature"]), cues, neutral)

    def probabilities(self, head: VerdictHead, x: np.ndarray, cross: np.ndarray) -> np.ndarray:
        """Calibrated probabilities (n, 3) from head features ``x`` and cross-encoder logits."""
        z = design(head, x, cross, self.cues, self.neutral)
        return softmax(z @ self.weights + self.bias, self.temperature)


def cue_columns(cues: Sequence[str]) -> list[int]:
    """Column of each cue in the head's feature vector."""
    names = feature_names(384)
    return [names.index(c) for c in cues]


def design(
    head: VerdictHead,
    x: np.ndarray,
    cross: np.ndarray,
    cues: Sequence[str],
    neutral: Sequence[str] = (),
) -> np.ndarray:
    """The combiner's inputs: head logits with ``cues`` and ``neutral`` set to 0, cross logits,
    then ``cues`` themselves. A cue the fitter dropped stays in ``neutral``, so it cannot reach
    the combination through the head either."""
    zeroed = list(dict.fromkeys([*neutral, *cues]))
    if not zeroed:
        return np.hstack([head.logits(x), cross])
    neutral_x = x.copy()
    neutral_x[:, cue_columns(zeroed)] = 0.0
    return np.hstack([head.logits(neutral_x), cross, x[:, cue_columns(cues)]])


def supports_never_rise(weights: np.ndarray, cues: Sequence[str]) -> list[str]:
    """The cues whose weight for ``supported`` is not the smallest of their row (those could
    raise P(supported) when they fire)."""
    return [c for i, c in enumerate(cues) if weights[6 + i, 0] > weights[6 + i, 1:].min() + 1e-12]
