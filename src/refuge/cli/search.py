"""`refuge search rebuild`: rebuild the full-text index from the records."""

from __future__ import annotations

import typer

from refuge.cli.django_setup import require_migrated, setup_django

search_app = typer.Typer(help="The full-text search index.", no_args_is_help=True)


@search_app.command("rebuild")
def rebuild() -> None:
    """Rebuild the search index from every source and incident (after an upgrade or repair)."""
    setup_django()
    require_migrated()
    from refuge.web.search.services import search_rebuild

    typer.echo(f"search index rebuilt: {search_rebuild()} documents")


def register(app: typer.Typer) -> None:
    app.add_typer(search_app, name="search")
