"""`refuge import persons FILE` (contract: ../shared/contracts/import.md)."""

from __future__ import annotations

from pathlib import Path

import typer

from refuge.cli.django_setup import require_migrated, setup_django
from refuge.errors import UsageError

import_app = typer.Typer(help="Import records from spreadsheets.", no_args_is_help=True)


@import_app.command("persons")
def persons(
    file: Path = typer.Argument(..., help="A CSV (UTF-8 or CP949) or XLSX file."),
    team: str = typer.Option("", "--team", help="Slug of the owning team (if several)."),
) -> None:
    """Import persons; identifying columns are encrypted before they are stored."""
    setup_django()
    require_migrated()
    from refuge.people import read_person_rows
    from refuge.web.accounts.models import Team
    from refuge.web.incidents.persons import persons_import

    teams = Team.objects.filter(slug=team) if team else Team.objects.all()
    if teams.count() != 1:
        raise UsageError(
            "name the owning team with --team SLUG" if not team else f"no team with slug {team!r}",
            code="R025",
        )
    reading = read_person_rows(file)
    summary = persons_import(reading=reading, team=teams.get())
    for error in summary.errors:
        typer.echo(f"row {error.row_number}: skipped: {error.reason}")
    if summary.unknown_columns:
        typer.echo(f"ignored unknown columns: {', '.join(summary.unknown_columns)}")
    typer.echo(
        f"imported: {summary.imported}, updated: {summary.updated}, skipped: {summary.skipped}"
    )


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
