"""The combiner: conflict cues reach it only directly, with weights that cannot raise
P(supported); specs of the wrong shape are refused (no model needed)."""

from __future__ import annotations

import numpy as np
import pytest

from litsynth.errors import ConfigError
from litsynth.verification.combiner import (
    CONFLICT_CUES,
    Combiner,
    cue_columns,
    design,
    supports_never_rise,
)
from litsynth.verification.features import feature_names
from litsynth.verification.trained import VerdictHead

DIM = len(feature_names(384))


def head() -> VerdictHead:
    """A linear head that reads number_mismatch as strong support (the failure to guard)."""
    weights = np.zeros((DIM, 3))
    weights[cue_columns(["number_mismatch"])[0], 0] = 5.0
    return VerdictHead(np.zeros(DIM), np.ones(DIM), (weights,), (np.zeros(3),), 1.0)


def test_the_head_sees_conflict_cues_switched_off() -> None:
    x = np.zeros((2, DIM))
    x[1, cue_columns(["number_mismatch"])[0]] = 1.0
    z = design(head(), x, np.zeros((2, 3)), ["number_mismatch"])
    assert z.shape == (2, 7)
    assert np.allclose(z[0, :3], z[1, :3])  # the head's logits ignore the cue
    assert z[1, 6] == 1.0 and z[0, 6] == 0.0  # the cue enters on its own


def test_a_cue_that_would_raise_support_is_named() -> None:
    weights = np.zeros((8, 3))
    weights[6] = [-1.0, 0.5, 0.5]  # lowers supported: fine
    weights[7] = [0.2, 0.0, -0.2]  # raises supported over contradicted: not allowed
    assert supports_never_rise(weights, ["number_mismatch", "antonym_cue"]) == ["antonym_cue"]


def test_a_firing_cue_lowers_p_supported() -> None:
    spec = {
        "weights": np.vstack([np.eye(3), np.eye(3), [[-2.0, 1.0, 1.0]]]).tolist(),
        "bias": [0.0, 0.0, 0.0],
        "temperature": 1.0,
        "cues": ["number_mismatch"],
    }
    combiner = Combiner.from_spec(spec)
    x = np.zeros((2, DIM))
    x[1, cue_columns(["number_mismatch"])[0]] = 1.0
    p = combiner.probabilities(head(), x, np.zeros((2, 3)))
    assert p[1, 0] < p[0, 0]
    assert np.allclose(p.sum(axis=1), 1.0)


def test_specs_of_the_wrong_shape_or_unknown_cues_are_refused() -> None:
    with pytest.raises(ConfigError, match="expected \\(7, 3\\)"):
        Combiner.from_spec(
            {
                "weights": np.zeros((6, 3)).tolist(),
                "bias": [0, 0, 0],
                "temperature": 1.0,
                "cues": ["number_mismatch"],
            }
        )
    with pytest.raises(ConfigError):
        Combiner.from_spec(
            {
                "weights": np.zeros((7, 3)).tolist(),
                "bias": [0, 0, 0],
                "temperature": 1.0,
                "cues": ["claim_len_log"],
            }
        )
    assert set(CONFLICT_CUES) <= set(feature_names(384))


def test_a_dropped_cue_stays_switched_off_in_the_head() -> None:
    """The fitter may drop number_mismatch from the combiner's own inputs; the head must still
    see it at 0, or a changed number reaches P(supported) through the head's logits."""
    x = np.zeros((2, DIM))
    x[1, cue_columns(["number_mismatch"])[0]] = 1.0
    z = design(head(), x, np.zeros((2, 3)), ["antonym_cue"], CONFLICT_CUES)
    assert z.shape == (2, 7)
    assert np.allclose(z[0, :3], z[1, :3])
    spec = {"weights": np.zeros((7, 3)).tolist(), "bias": [0, 0, 0], "temperature": 1.0}
    assert Combiner.from_spec({**spec, "cues": ["antonym_cue"]}).neutral == CONFLICT_CUES
    legacy = {**spec, "weights": np.zeros((6, 3)).tolist()}
    assert Combiner.from_spec(legacy).neutral == (), "a v1 spec was fitted on the raw head"
