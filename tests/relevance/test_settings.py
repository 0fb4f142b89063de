"""The relevance section of the settings: described, validated, loadable from TOML."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from litsynth.errors import ConfigError
from litsynth.settings import RelevanceSettings, Settings, load_settings


def test_every_field_is_described_and_defaults_point_at_the_shipped_artifact() -> None:
    for name, field in RelevanceSettings.model_fields.items():
        assert field.description, name
    s = Settings().relevance
    assert s.artifact == "relevance-v1" and s.runtime == "onnx"
    assert 0.0 < s.sentence_threshold <= s.keep_threshold <= s.strong_keep < 1.0


def test_strong_keep_below_keep_threshold_and_unknown_keys_are_refused() -> None:
    with pytest.raises(ValidationError, match="strong_keep"):
        RelevanceSettings(keep_threshold=0.8, strong_keep=0.5)
    with pytest.raises(ValidationError):
        RelevanceSettings.model_validate({"treshold": 0.5})


def test_toml_overrides_the_section(tmp_path: Path) -> None:
    toml = tmp_path / "litsynth.toml"
    toml.write_text('[relevance]\nruntime = "torch"\nkeep_threshold = 0.6\n')
    s = load_settings(toml)
    assert s.relevance.runtime == "torch" and s.relevance.keep_threshold == 0.6
    toml.write_text("[relevance]\nkeep_threshold = 2\n")
    with pytest.raises(ConfigError):
        load_settings(toml)
