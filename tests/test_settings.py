"""Settings: presets, TOML, overrides, env, and strictness."""

from __future__ import annotations

from pathlib import Path

import pytest

from litsynth.errors import ConfigError
from litsynth.settings import Settings, load_settings


def test_defaults_validate_and_every_field_is_described() -> None:
    def walk(model: type) -> list[str]:
        missing = []
        for name, field in model.model_fields.items():  # type: ignore[attr-defined]
            if not field.description:
                missing.append(f"{model.__name__}.{name}")
            ann = field.annotation
            if isinstance(ann, type) and hasattr(ann, "model_fields"):
                missing += walk(ann)
        return missing

    assert walk(Settings) == []


def test_presets_change_budgets() -> None:
    fast = load_settings(preset="fast", env={})
    thorough = load_settings(preset="thorough", env={})
    assert fast.retrieval.max_passages < thorough.retrieval.max_passages
    assert fast.aggregator.max_rounds == 1
    assert (fast.verifier.runtime, thorough.verifier.runtime) == ("onnx-int8", "onnx")


def test_toml_then_overrides_then_env(tmp_path: Path) -> None:
    cfg = tmp_path / "litsynth.toml"
    cfg.write_text('preset = "fast"\n[retrieval]\nk_per_query = 3\n[llm]\nmodel = "m-file"\n')
    s = load_settings(
        cfg,
        overrides={"retrieval": {"max_passages": 7}},
        env={"LITSYNTH_LLM_MODEL": "m-env", "LITSYNTH_LLM_BASE_URL": "http://127.0.0.1:9/v1"},
    )
    assert s.retrieval.k_per_query == 3
    assert s.retrieval.max_passages == 7
    assert s.aggregator.max_rounds == 1  # from the file's preset
    assert s.llm.model == "m-env"
    assert s.llm.base_url == "http://127.0.0.1:9/v1"


def test_unknown_key_fails_with_its_path(tmp_path: Path) -> None:
    cfg = tmp_path / "litsynth.toml"
    cfg.write_text("[retrieval]\nk_per_qery = 3\n")
    with pytest.raises(ConfigError, match=r"retrieval\.k_per_qery"):
        load_settings(cfg, env={})


def test_unknown_preset_and_bad_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown preset"):
        load_settings(preset="turbo", env={})
    bad = tmp_path / "bad.toml"
    bad.write_text("[[[")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(bad, env={})
