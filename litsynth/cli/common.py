"""Options and helpers shared by the CLI commands (kept free of heavy imports)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from litsynth.settings import Settings, load_settings

ConfigOpt = Annotated[
    Path | None, typer.Option("--config", help="Settings file (default ./litsynth.toml).")
]
PresetOpt = Annotated[
    str | None, typer.Option("--preset", help="Settings preset: fast or thorough.")
]
StoreOpt = Annotated[
    Path | None, typer.Option("--store", help="Embedded store directory (default .litsynth/store).")
]
ChromaUrlOpt = Annotated[
    str | None, typer.Option("--chroma-url", help="Use a Chroma server at http://host:port.")
]
VerifierOpt = Annotated[
    str | None, typer.Option("--verifier", help="Verifier: embedding, trained or cross.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def cli_settings(
    config: Path | None,
    preset: str | None,
    store: Path | None = None,
    chroma_url: str | None = None,
    extra: dict[str, Any] | None = None,
) -> Settings:
    """Settings with CLI flags applied over preset and file."""
    overrides: dict[str, Any] = dict(extra or {})
    store_over: dict[str, Any] = {}
    if store is not None:
        store_over["path"] = store
    if chroma_url is not None:
        store_over["chroma_url"] = chroma_url
    if store_over:
        overrides["store"] = {**overrides.get("store", {}), **store_over}
    return load_settings(config, preset=preset, overrides=overrides)
