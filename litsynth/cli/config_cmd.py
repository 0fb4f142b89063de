"""``litsynth config``: show the effective settings with every field's description."""

from __future__ import annotations

import json

import typer

from litsynth.cli.common import ConfigOpt, PresetOpt, cli_settings


def register(app: typer.Typer) -> None:
    """Add the command to the root app."""

    @app.command("config")
    def config_show(config: ConfigOpt = None, preset: PresetOpt = None) -> None:
        """Print the effective settings (defaults < preset < litsynth.toml) as JSON."""
        settings = cli_settings(config, preset)
        typer.echo(json.dumps(settings.model_dump(mode="json"), indent=2))
