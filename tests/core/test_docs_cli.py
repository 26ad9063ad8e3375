"""Docs are tested: every command and option of `refuge` is described in docs/cli.md."""

from __future__ import annotations

from pathlib import Path

import typer

from refuge.cli import _register_commands, app

DOC = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")


def _commands() -> dict[str, object]:
    _register_commands()
    group = typer.main.get_command(app)
    return dict(group.commands)  # type: ignore[attr-defined]


def test_every_command_has_a_section_in_the_cli_docs() -> None:
    missing = [name for name in _commands() if f"## `refuge {name}" not in DOC]
    assert missing == []


def test_every_option_of_every_command_is_documented() -> None:
    missing = []
    for name, command in _commands().items():
        for param in command.params:  # type: ignore[attr-defined]
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt != "--help" and opt not in DOC:
                    missing.append(f"{name} {opt}")
    assert missing == []
