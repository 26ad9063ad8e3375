"""`refuge audit verify`: check the audit log's chain."""

from __future__ import annotations

from pathlib import Path

import typer

from refuge.cli.django_setup import require_migrated, setup_django
from refuge.cli.files import read_checkpoint_file

audit_app = typer.Typer(help="The audit log.", no_args_is_help=True)


@audit_app.command("verify")
def verify(
    checkpoint: Path | None = typer.Option(
        None, "--checkpoint", help="Compare with a checkpoint file exported earlier."
    ),
    export_checkpoint: Path | None = typer.Option(
        None,
        "--export-checkpoint",
        help="After a clean check, write the log's checkpoint to this file; keep it apart.",
    ),
) -> None:
    """Recompute every entry's keyed hash; exit 1 listing each edited, inserted or deleted row."""
    setup_django()
    require_migrated()
    from refuge.evidence.chain import Checkpoint
    from refuge.web.audit.models import AuditEntry
    from refuge.web.audit.services import audit_checkpoint, audit_verify

    known = Checkpoint.from_json(read_checkpoint_file(checkpoint)) if checkpoint else None
    problems = audit_verify(known)
    for problem in problems:
        typer.echo(f"MISMATCH entry {problem.seq}: {problem.kind} ({problem.detail})")
    typer.echo(f"checked {AuditEntry.objects.count()} audit entries: {len(problems)} problems")
    if problems:
        raise typer.Exit(1)
    if export_checkpoint is not None:
        export_checkpoint.write_text(audit_checkpoint().to_json(), encoding="utf-8")
        typer.echo(f"checkpoint written to {export_checkpoint}")


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
