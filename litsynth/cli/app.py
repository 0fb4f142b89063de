"""Root Typer app. Commands live one concern per module and import heavy libraries lazily."""

from __future__ import annotations

import logging
import sys
from importlib.metadata import entry_points

import typer

from litsynth import __version__
from litsynth.errors import LitsynthError

app = typer.Typer(
    name="litsynth",
    help="Turn a research question into a grounded, verified literature synthesis.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"litsynth {__version__}")
        raise typer.Exit()


def _logging(verbose: int) -> None:
    """-v: what each step did (INFO); -vv: also library detail (DEBUG). Logs go to stderr."""
    if verbose:
        logging.basicConfig(
            level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
        logging.getLogger("litsynth").setLevel(logging.DEBUG if verbose > 1 else logging.INFO)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
    verbose: int = typer.Option(
        0, "--verbose", "-v", count=True, help="Log each step to stderr (-vv for more detail)."
    ),
) -> None:
    """litsynth command line."""
    _logging(verbose)


PLUGIN_GROUP = "litsynth.commands"


def _register() -> None:
    from litsynth.cli import ask_cmd, config_cmd, store_cmds
    from litsynth.cli.chat import app as chat_cmd

    for module in (store_cmds, ask_cmd, chat_cmd, config_cmd):
        module.register(app)
    # Command plug-ins (the evals, training) register themselves; the core never imports them.
    for entry in entry_points(group=PLUGIN_GROUP):
        entry.load()(app)


_register()


def main() -> None:
    """Console entry point: library errors become one line on stderr and exit code 2."""
    try:
        app()
    except LitsynthError as exc:
        typer.secho(f"error: {exc.one_line()}", err=True, fg=typer.colors.RED)
        sys.exit(2)
    except KeyboardInterrupt:
        typer.secho("interrupted", err=True)
        sys.exit(130)
