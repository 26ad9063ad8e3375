"""Publishing commands: `refuge publish` (rebuild the stores) and `refuge export`.

`export` reads only the publication (or partner) store, through ``StoreReader``, never the
confidential database; it opens Django only to write its audit entry.
"""

from __future__ import annotations

from pathlib import Path

import typer

from refuge.cli.django_setup import require_migrated, setup_django
from refuge.errors import UsageError

AUDIENCE_CHOICES = ("public", "partners")


def publish() -> None:
    """Rebuild the publication and partner stores from released records; prints a summary."""
    setup_django()
    require_migrated()
    from rich.console import Console
    from rich.table import Table

    from refuge.web.disclosure.services import expire_embargoes
    from refuge.web.disclosure.snapshot import publish as publish_stores

    # Embargoes whose date has come go to the release queue first; that publishes nothing.
    expiry = expire_embargoes()
    summary = publish_stores(actor="cli")
    table = Table(title=f"publication stores, {summary.generated_at:%Y-%m-%d %H:%M:%S} UTC")
    for column in ("audience", "incidents", "tables", "cells", "suppressed", "file"):
        table.add_column(column, justify="right" if column not in ("audience", "file") else "left")
    for store in summary.stores:
        table.add_row(
            store.audience,
            str(store.incidents),
            str(store.tables),
            str(store.cells),
            str(store.suppressed),
            str(store.path),
        )
    Console(width=160).print(table)
    if expiry.ended or expiry.waiting_for_condition:
        typer.echo(
            f"embargoes: {len(expiry.ended)} ended, {len(expiry.waiting_for_condition)} "
            f"waiting for their condition; {len(expiry.queued)} incidents put in the release "
            "queue (nothing of them was published)"
        )


def export(
    audience: str = typer.Option(..., "--audience", help="public or partners."),
    fmt: str = typer.Option(..., "--format", help="csv, json, geojson or xlsx."),
    out: Path = typer.Option(..., "--out", help="The file to write (its manifest goes beside)."),
    export_id: str = typer.Option(
        "",
        "--export-id",
        help="Recipient-specific id written into a partner export (generated when empty).",
    ),
    recipient: str = typer.Option(
        "", "--recipient", help="Encrypt to this age public key (age1...)."
    ),
    passphrase_file: Path | None = typer.Option(
        None, "--passphrase-file", help="Encrypt to the passphrase on this file's first line."
    ),
) -> None:
    """Export the publication (or partner) store as a file with a manifest; audited."""
    if audience not in AUDIENCE_CHOICES:
        raise UsageError("--audience must be public or partners", code="R147")
    if recipient and passphrase_file is not None:
        raise UsageError("encrypt to --recipient or --passphrase-file, not both", code="R147")
    if export_id and audience == "public":
        raise UsageError("--export-id is for partner exports", code="R147")
    passphrase = _read_passphrase(passphrase_file) if passphrase_file is not None else None
    setup_django()
    require_migrated()
    from refuge.web.disclosure.exporting import export_store

    result = export_store(
        audience=audience,  # type: ignore[arg-type]
        fmt=fmt,
        out=out,
        export_id=export_id or None,
        recipient=recipient or None,
        passphrase=passphrase,
    )
    typer.echo(
        f"exported {result.incidents} incidents and {result.tables} tables "
        f"({result.audience}, {result.format}) to {result.path}"
    )
    typer.echo(f"manifest: {result.manifest} (sha256 {result.sha256})")
    if result.export_id:
        typer.echo(
            f"export id: {result.export_id} (recorded in the audit log; note whom it went to)"
        )
    if result.encrypted:
        typer.echo(f"encrypted: {result.path} (the unencrypted file was removed)")


def _read_passphrase(path: Path) -> str:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the passphrase file {path}: {exc}", code="R147") from None
    if not lines or not lines[0].strip():
        raise UsageError(f"the passphrase file {path} is empty", code="R147")
    return lines[0].strip()


def register(app: typer.Typer) -> None:
    app.command(name="publish")(publish)
    app.command(name="export")(export)


__all__ = ["register"]
