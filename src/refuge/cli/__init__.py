"""The ``refuge`` command line (contract: ../shared/contracts/cli.md).

Commands live in small modules, each exposing ``register(app)``; this module only builds the
Typer app and turns every user error into one line on stderr with exit code 2.
"""

from __future__ import annotations

import os
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


_registered = False


def _register_commands() -> None:
    """Add every command module's commands to ``app`` (once)."""
    global _registered
    if _registered:
        return
    # Imported here so that importing this package stays cheap; each module adds its own.
    from refuge.cli import audit, core, evidence, extract, keys, people, publishing, search

    for module in (audit, core, evidence, extract, keys, people, publishing, search):
        module.register(app)
    _registered = True


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
    except Exception as exc:
        # A bug, not a user error: still one line for the user, the traceback on request.
        if os.environ.get("REFUGE_TRACEBACK") == "1":
            raise
        if type(exc).__name__ == "OperationalError" and "database is locked" in str(exc):
            fail(
                "refuge: [R006] database is locked: another process kept the write lock "
                "past the busy timeout; run the command again"
            )
            return 1
        fail(
            f"refuge: [R999] internal error ({type(exc).__name__}); "
            "run again with REFUGE_TRACEBACK=1 and report the traceback"
        )
        return 1
    return int(result) if isinstance(result, int) else 0


__all__ = ["app", "main"]
