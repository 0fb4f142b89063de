"""Commands of this module are being written; registering nothing keeps the app importable."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
