"""Core commands: init, serve, load-sample, status, manage."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from refuge.cli.django_setup import check_database, require_migrated, setup_django
from refuge.errors import UsageError


def init() -> None:
    """Create the data dir, migrate the database and load the gazetteer. Safe to re-run."""
    setup_django()
    check_database()
    from django.conf import settings
    from django.core.management import call_command

    from refuge.gazetteer import default_gazetteer
    from refuge.web.incidents.services import place_sync
    from refuge.web.keys import key_path, keys_init

    _keyring, created = keys_init()
    call_command("migrate", interactive=False, verbosity=0)
    places_added, updated = place_sync(gazetteer=default_gazetteer())
    settings.EVIDENCE_DIR.mkdir(parents=True, exist_ok=True)
    typer.echo(f"data dir: {settings.DATA_DIR}")
    typer.echo(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, migrated")
    typer.echo(f"gazetteer: {places_added} places added, {updated} updated")
    if created:
        typer.echo(
            f"master key: created at {key_path()}. Back it up now and keep the copy apart "
            "from the data: without it, encrypted records and evidence cannot be read, and "
            "backups never include it."
        )


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    threads: int = typer.Option(8, min=1, max=64, help="Worker threads."),
) -> None:
    """Serve the web app with a production-grade WSGI server (waitress)."""
    setup_django()
    require_migrated()
    import socket

    from waitress import serve as waitress_serve

    # Fail with one line instead of waitress's traceback when the port is taken.
    probe = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    try:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror}", code="R011") from None
    finally:
        probe.close()
    from refuge.web.wsgi import application

    typer.echo(f"Refuge serving on http://{host}:{port}/ (Ctrl+C to stop)")
    sys.stdout.flush()
    waitress_serve(application, host=host, port=port, threads=threads, ident="refuge", _quiet=True)


def load_sample(
    demo_users: bool = typer.Option(
        False,
        "--demo-users",
        help="Also create the demo accounts admin, editor, analyst and partner.",
    ),
) -> None:
    """Load the sample reports and records (marked as sample data). Safe to re-run."""
    setup_django()
    require_migrated()
    from refuge.web.incidents.sample import sample_load

    summary = sample_load()
    typer.echo(
        f"sample: {summary.sources_created} sources, {summary.incidents_created} incidents, "
        f"{summary.persons_created} persons added"
        + (" (already loaded)" if summary.already_loaded else "")
    )
    if demo_users:
        from refuge.web.accounts.services import demo_users_create

        password, generated = demo_users_create(password=os.environ.get("REFUGE_DEMO_PASSWORD"))
        typer.echo("demo accounts: admin, editor, analyst, partner")
        if generated:
            typer.echo(f"demo password (generated, shown once): {password}")
        else:
            typer.echo("demo password: the value of REFUGE_DEMO_PASSWORD")


def status() -> None:
    """Counts of sources, claims, incidents and persons, one `name: number` per line."""
    setup_django()
    require_migrated()
    from refuge.web.incidents.models import Claim, Incident, Person
    from refuge.web.sources.models import Source

    for name, model in (
        ("sources", Source),
        ("claims", Claim),
        ("incidents", Incident),
        ("persons", Person),
    ):
        typer.echo(f"{name}: {model.objects.count()}")


def manage(ctx: typer.Context) -> None:
    """Run a Django management command: `refuge manage check --deploy`."""
    setup_django()
    from django.core.management import execute_from_command_line

    if not ctx.args:
        raise UsageError("name a management command, e.g. `refuge manage check`", code="R012")
    execute_from_command_line(["refuge manage", *ctx.args])


def register(app: typer.Typer) -> None:
    """Add the core commands to ``app``."""
    app.command()(init)
    app.command()(serve)
    app.command(name="load-sample")(load_sample)
    app.command()(status)
    app.command()(backup)
    app.command()(restore)
    app.command(
        context_settings={
            "allow_extra_args": True,
            "ignore_unknown_options": True,
            "help_option_names": [],
        },
    )(manage)


def backup(
    out: Path = typer.Option(..., "--out", help="The backup file to write (must not exist)."),
) -> None:
    """Write an encrypted backup of the database and the evidence (never the key)."""
    setup_django()
    require_migrated()
    from refuge.web.backup import backup_create
    from refuge.web.keys import key_path

    summary = backup_create(out=out)
    typer.echo(
        f"backup written: {summary.path} ({summary.records} records, "
        f"{summary.evidence_files} evidence files, {summary.size:,} bytes, encrypted)"
    )
    where = "REFUGE_MASTER_KEY" if os.environ.get("REFUGE_MASTER_KEY") else str(key_path())
    typer.echo(
        f"The master key is NOT in the backup: it is at {where}. Keep a copy of it "
        "apart from the backup (e.g. printed, or on a separate device): without it "
        "the backup cannot be restored."
    )


def restore(
    path: Path = typer.Argument(..., help="A file written by `refuge backup`."),
) -> None:
    """Restore a backup into an initialised, empty data dir, and verify it."""
    setup_django()
    require_migrated()
    from refuge.web.backup import backup_restore
    from refuge.web.sources.verification import sources_verify

    summary = backup_restore(path=path)
    report = sources_verify()
    typer.echo(
        f"restored {summary.records} records and {summary.evidence_files} evidence "
        f"files from {summary.path}"
    )
    for problem in report.problems:
        typer.echo(f"MISMATCH {problem}")
    if report.problems:
        raise typer.Exit(1)
    typer.echo(f"verified: {report.sources} sources, {report.chains} custody chains intact")
