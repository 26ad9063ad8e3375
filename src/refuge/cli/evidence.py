"""Evidence commands: ingest, capture, verify, export-evidence, verify-bundle, grade."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from refuge.cli.django_setup import require_migrated, setup_django
from refuge.cli.files import read_checkpoint_file
from refuge.errors import UsageError


def _acting_user(username: str) -> object:
    from refuge.web.accounts.models import User

    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise UsageError(f"no active account named {username!r}", code="R017")
    return user


def _owning_team(slug: str) -> object:
    """The team that will own ingested sources: the one named, else the only one."""
    from refuge.web.accounts.models import Team

    if slug:
        team = Team.objects.filter(slug=slug).first()
        if team is None:
            raise UsageError(f"no team with slug {slug!r}", code="R025")
        return team
    teams = list(Team.objects.all()[:2])
    if len(teams) > 1:
        raise UsageError("several teams exist: name the owning one with --team SLUG", code="R025")
    return teams[0] if teams else None


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--published must be YYYY-MM-DD (got {value!r})", code="R014") from None


def ingest(
    paths: list[Path] = typer.Argument(..., help="Files and folders (walked recursively)."),
    source_url: str = typer.Option("", "--source-url", help="Where the material was found."),
    outlet: str = typer.Option("", "--outlet", help="Publisher or outlet."),
    author: str = typer.Option("", "--author", help="Author, when known."),
    published: str = typer.Option("", "--published", help="Publication date, YYYY-MM-DD."),
    language: str = typer.Option("", "--language", help="Language code; detected when empty."),
    reliability: str = typer.Option("", "--reliability", help="Source reliability, A to F."),
    credibility: int | None = typer.Option(
        None, "--credibility", min=1, max=6, help="Information credibility, 1 to 6."
    ),
    captured_by: str = typer.Option("", "--captured-by", help="Who collected the material."),
    content_class: str = typer.Option(
        "published", "--content-class", help="published or confidential."
    ),
    max_size_mb: int = typer.Option(
        50, "--max-size-mb", min=1, help="Files larger than this are refused."
    ),
    team: str = typer.Option(
        "", "--team", help="Slug of the owning team (default: the only team)."
    ),
    level: str = typer.Option(
        "team", "--level", help="Disclosure level: team, organisation, partners or public."
    ),
) -> None:
    """Preserve files as evidence and record them as sources; prints a summary table."""
    setup_django()
    require_migrated()
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
    from rich.table import Table

    from refuge.web.sources.ingest import CaptureMetadata, Outcome, ingest_paths, iter_files

    meta = CaptureMetadata(
        source_url=source_url,
        outlet=outlet,
        author=author,
        published=_parse_date(published),
        language=language,
        reliability=reliability.upper(),
        credibility=credibility,
        captured_by_name=captured_by,
        content_class=content_class,
        team=_owning_team(team),
        disclosure=level,
    )
    files = list(iter_files(paths))
    console = Console(stderr=True)
    with Progress(
        TextColumn("ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[name]}"),
        console=console,
        disable=len(files) < 2,
        transient=True,
    ) as progress:
        task = progress.add_task("ingest", total=len(files), name="")

        def advance(path: Path, _outcomes: list[Outcome]) -> None:
            progress.update(task, advance=1, name=path.name[:40])

        summary = ingest_paths(
            files, meta=meta, max_bytes=max_size_mb * 1024 * 1024, on_file=advance
        )
    out = Console()
    counts = Table(title="Ingest summary")
    for column in ("ingested", "kept without text", "duplicate", "failed"):
        counts.add_column(column, justify="right")
    counts.add_row(
        *(str(summary.count(s)) for s in ("ingested", "kept-without-text", "duplicate", "failed"))
    )
    out.print(counts)
    notes = [o for o in summary.outcomes if o.status in ("failed", "kept-without-text")]
    if notes:
        table = Table(title="Files needing attention")
        table.add_column("file")
        table.add_column("status")
        table.add_column("reason")
        for o in notes:
            table.add_row(o.name, o.status, o.reason)
        out.print(table)


def capture(
    url: str = typer.Argument(..., help="The page to keep (http or https)."),
    outlet: str = typer.Option("", "--outlet", help="Publisher or outlet."),
    captured_by: str = typer.Option("", "--captured-by", help="Who asked for the capture."),
    content_class: str = typer.Option(
        "published", "--content-class", help="published or confidential."
    ),
) -> None:
    """Fetch a page now and keep it as a web archive source."""
    setup_django()
    require_migrated()
    from urllib.parse import urlsplit

    from refuge.evidence.fetch import fetch_page
    from refuge.web.sources.ingest import CaptureMetadata, ingest_bytes

    meta = CaptureMetadata(
        source_url=url if url.startswith(("http://", "https://")) else "",
        outlet=outlet,
        captured_by_name=captured_by,
        content_class=content_class,
        team=_owning_team(""),
    )
    archive = fetch_page(url)
    host = urlsplit(url).hostname or "page"
    for outcome in ingest_bytes(archive, name=f"capture-{host}.warc.gz", meta=meta):
        ids = ", ".join(outcome.source_uuids)
        typer.echo(
            f"{outcome.status}: {outcome.name}"
            + (f" (source {ids})" if ids else "")
            + (f": {outcome.reason}" if outcome.reason else "")
        )


def verify(
    checkpoint: Path | None = typer.Option(
        None, "--checkpoint", help="Compare with a checkpoint file exported earlier."
    ),
    export_checkpoint: Path | None = typer.Option(
        None,
        "--export-checkpoint",
        help="After a clean check, write the chains' checkpoint to this file; keep it apart.",
    ),
) -> None:
    """Recompute every stored hash and chain; exit 1 listing each mismatch."""
    setup_django()
    require_migrated()
    from refuge.evidence.chain import checkpoints_from_json, checkpoints_to_json
    from refuge.web.sources.verification import sources_checkpoints, sources_verify

    known = checkpoints_from_json(read_checkpoint_file(checkpoint)) if checkpoint else None
    report = sources_verify(known)
    for problem in report.problems:
        typer.echo(f"MISMATCH {problem}")
    typer.echo(
        f"checked {report.sources} sources, {report.originals} originals, "
        f"{report.chains} custody chains: {len(report.problems)} problems"
    )
    if report.problems:
        raise typer.Exit(1)
    if export_checkpoint is not None:
        export_checkpoint.write_text(checkpoints_to_json(sources_checkpoints()), encoding="utf-8")
        typer.echo(f"checkpoint written to {export_checkpoint}")


def export_evidence(
    source_id: str = typer.Argument(..., help="The source's id (a UUID)."),
    out: Path = typer.Option(..., "--out", help="An empty or new folder for the bundle."),
    as_user: str = typer.Option(..., "--as", help="Your account (needs the editor role)."),
) -> None:
    """Write a source's evidence bundle (original, metadata, custody log, manifest)."""
    setup_django()
    require_migrated()
    from refuge.web.sources.services import source_export_bundle, source_get

    manifest = source_export_bundle(
        source=source_get(uuid=source_id), user=_acting_user(as_user), out=out
    )
    typer.echo(f"bundle written: {manifest.parent} (manifest {manifest.name})")


def verify_bundle(
    folder: Path = typer.Argument(..., help="A folder written by export-evidence."),
) -> None:
    """Check an evidence bundle; exit 1 listing each problem. Needs no database."""
    from refuge.evidence.bundle import verify_bundle as check

    problems = check(folder)
    for problem in problems:
        typer.echo(f"MISMATCH {problem}")
    typer.echo(f"{folder}: {'intact' if not problems else f'{len(problems)} problems'}")
    if problems:
        raise typer.Exit(1)


def grade(
    source_id: str = typer.Argument(..., help="The source's id (a UUID)."),
    as_user: str = typer.Option(..., "--as", help="Your account (needs the editor role)."),
    reliability: str | None = typer.Option(None, "--reliability", help="A to F."),
    credibility: int | None = typer.Option(None, "--credibility", help="1 to 6."),
) -> None:
    """Set a source's Admiralty grades (recorded in its custody log)."""
    setup_django()
    require_migrated()
    from refuge.web.sources.services import source_get, source_grade

    source = source_grade(
        source=source_get(uuid=source_id),
        user=_acting_user(as_user),
        reliability=reliability.upper() if reliability else None,
        credibility=credibility,
    )
    typer.echo(f"source {source.uuid}: {source.reliability or '?'}{source.credibility or '?'}")


def transfer(
    source_id: str = typer.Argument(..., help="The source's id (a UUID)."),
    to: str = typer.Option(..., "--to", help="Who received the evidence (e.g. an office)."),
    as_user: str = typer.Option(..., "--as", help="Your account (needs the editor role)."),
    note: str = typer.Option("", "--note", help="How it was handed over."),
) -> None:
    """Record in a source's custody log that the evidence was handed to someone."""
    setup_django()
    require_migrated()
    from refuge.web.sources.services import source_get, source_transfer

    source_transfer(
        source=source_get(uuid=source_id), user=_acting_user(as_user), recipient=to, note=note
    )
    typer.echo(f"source {source_id}: transfer to {to.strip()} recorded")


def reextract() -> None:
    """Run the current extractor on every English source it has not read yet."""
    setup_django()
    require_migrated()
    from refuge.extract import EXTRACTOR_VERSION
    from refuge.web.sources.extraction import EXTRACTED_LANGUAGES, source_extract
    from refuge.web.sources.models import Source

    sources = Source.objects.filter(language__in=EXTRACTED_LANGUAGES).exclude(text="")
    added = read = 0
    for source in sources.iterator():
        n = source_extract(source=source)
        added += n
        read += int(n > 0)
    typer.echo(f"{EXTRACTOR_VERSION}: {added} claims proposed from {read} sources")


def register(app: typer.Typer) -> None:
    app.command()(ingest)
    app.command()(capture)
    app.command()(verify)
    app.command(name="export-evidence")(export_evidence)
    app.command(name="verify-bundle")(verify_bundle)
    app.command()(grade)
    app.command()(reextract)
    app.command()(transfer)
