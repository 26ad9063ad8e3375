"""`refuge keys init | rotate | check`: the master key."""

from __future__ import annotations

import typer

from refuge.cli.django_setup import check_database, require_migrated, setup_django

keys_app = typer.Typer(help="Master key management (init, rotate, check).", no_args_is_help=True)


@keys_app.command("init")
def init() -> None:
    """Create the master key if there is none, and bind this data dir to it."""
    setup_django()
    from refuge.web.keys import key_path, keys_init

    keyring, created = keys_init()
    if created:
        typer.echo(
            f"master key created at {key_path()} (version {keyring.current}). Back it "
            "up now and keep the copy apart from the data: backups never include it."
        )
    else:
        typer.echo(f"master key found (version {keyring.current}); this data dir is bound to it")


@keys_app.command("check")
def check() -> None:
    """Check that the master key is present, safe and the one this data dir was made with."""
    setup_django()
    check_database()
    from refuge.web.keys import get_keyring

    keyring = get_keyring()
    typer.echo(
        f"master key OK: versions {', '.join(map(str, keyring.versions))}, current "
        f"{keyring.current}"
    )


@keys_app.command("rotate")
def rotate() -> None:
    """Add a key version and re-encrypt everything under it; resumable; verified at the end."""
    setup_django()
    require_migrated()
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from refuge.web.rotation import keys_rotate

    with Progress(
        SpinnerColumn(),
        TextColumn("re-encrypting: {task.completed} records"),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task("rotate", total=None)
        report = keys_rotate(progress=lambda n: progress.advance(task, n))
    verb = "rotated to" if report.started_new_version else "resumed rotation to"
    typer.echo(
        f"{verb} key version {report.version}: {report.values} records and "
        f"{report.files} evidence files re-encrypted"
    )
    for problem in report.problems:
        typer.echo(f"PROBLEM {problem}")
    if report.problems:
        raise typer.Exit(1)
    typer.echo("verified: everything decrypts under the current key version")


def register(app: typer.Typer) -> None:
    app.add_typer(keys_app, name="keys")
