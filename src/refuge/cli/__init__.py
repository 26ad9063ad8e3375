"""The ``refuge`` command line (contract: ../shared/contracts/cli.md).

Commands live in small modules, each exposing ``register(app)``; this module only builds the
Typer app and turns every user error into one line on stderr with exit code 2.
"""

from __future__ import annotations

import sys

import typer

from refuge import __version__
from refuge.errors import RefugeError

app = typer.Typer(
    name="refuge",
    help="Refuge: preserve reports, extract facts, review incidents, publish safely.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"refuge {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        help="Print the version and exit.",
        callback=_version_callback,
        is_eager=True,
    ),
) -> None:
    """Refuge: preserve reports, extract facts, review incidents, publish safely."""


def _register_commands() -> None:
    # Imported here so that `refuge --version` stays fast and a broken optional module
    # cannot hide the others; each module adds its own commands.
    from refuge.cli import core, extract

    for module in (core, extract):
        module.register(app)


def fail(message: str) -> None:
    """Print one line on stderr; used for errors that are not RefugeError instances."""
    sys.stderr.write(message.rstrip() + "\n")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; never lets a traceback reach a user."""
    _register_commands()
    try:
        result = app(args=argv, standalone_mode=False)
    except RefugeError as exc:
        fail(f"refuge: {exc}")
        return 2
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except typer.Abort:
        fail("refuge: aborted")
        return 1
    except KeyboardInterrupt:
        fail("refuge: interrupted")
        return 130
    except typer.TyperException as exc:
        # Usage errors (unknown command, bad option value): one line, exit 2 as the
        # contract requires, instead of click's multi-line usage block.
        formatter = getattr(exc, "format_message", None)
        message = formatter() if callable(formatter) else str(exc)
        fail(f"refuge: [R010] {message}")
        return 2
    return int(result) if isinstance(result, int) else 0


__all__ = ["app", "main"]
