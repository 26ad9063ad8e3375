"""Writes of sources. Every original goes through the evidence store first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from refuge import __version__
from refuge.errors import AccessDenied, UsageError
from refuge.web.sources.models import Source
from refuge.web.sources.originals import (
    capture_payload,
    keep_original,
    read_original,
    text_digest,
)


@dataclass(frozen=True)
class TextSourceInput:
    """A source whose original is a UTF-8 text (sample data, pasted text)."""

    text: str
    title: str = ""
    outlet: str = ""
    url: str = ""
    author: str = ""
    published: date | None = None
    language: str = ""
    reliability: str = ""
    credibility: int | None = None
    content_class: str = "published"
    original_filename: str = ""
    disclosure: str = "team"


def source_create_from_text(
    *,
    data: TextSourceInput,
    team: Any,
    captured_by: Any = None,
    captured_at: datetime | None = None,
    capture_tool: str = "",
) -> tuple[Source, bool]:
    """Store the text as an original and record its source; (source, created).

    The same bytes stored twice give the existing source back (created=False), so loading
    the sample data or re-running a batch never duplicates a source.
    """
    original = data.text.encode("utf-8")
    kept = keep_original(original, content_class=data.content_class)
    existing = Source.objects.filter(sha256=kept.content_id, archive_record_id="").first()
    if existing is not None:
        return existing, False
    with transaction.atomic():
        source = Source(
            team=team,
            disclosure=data.disclosure,
            content_class=data.content_class,
            kind="text",
            sha256=kept.content_id,
            original_sha256=kept.plain_sha256,
            sealed=kept.sealed,
            size=kept.size,
            mime="text/plain; charset=utf-8",
            original_filename=data.original_filename,
            text=data.text,
            text_sha256=text_digest(data.text, sealed=kept.sealed),
            title=data.title,
            outlet=data.outlet,
            url=data.url,
            author=data.author,
            published=data.published,
            language=data.language,
            captured_at=captured_at or timezone.now(),
            captured_by=captured_by,
            capture_tool=capture_tool or f"refuge {__version__}",
            reliability=data.reliability,
            credibility=data.credibility,
        )
        source.full_clean()
        source.save()
        from refuge.web.search.services import search_index_source
        from refuge.web.sources.custody import custody_append

        search_index_source(source=source)

        custody_append(
            source=source,
            action="captured",
            actor=f"user:{captured_by.username}" if captured_by else "cli",
            payload=capture_payload(source),
        )
    return source, True


def source_get(*, uuid: str) -> Source:
    """A source by its id, for commands run by the operator; UsageError when absent."""
    try:
        return Source.objects.get(uuid=uuid)
    except (Source.DoesNotExist, ValueError, ValidationError):
        raise UsageError(f"no source with id {uuid!r}", code="R015") from None


def source_grade(
    *, source: Source, user: Any, reliability: str | None, credibility: int | None
) -> Source:
    """Set the Admiralty grades of a source; an 'annotated' custody entry records it."""
    from refuge.web.disclosure import policy
    from refuge.web.sources.custody import custody_append

    if not policy.may_edit(user):
        raise AccessDenied("grading a source needs the editor role", code="R061")
    before = {"reliability": source.reliability, "credibility": source.credibility}
    from refuge.web.audit.services import audit_change, snapshot

    audited_before = snapshot(source)
    if reliability is not None:
        source.reliability = reliability
    if credibility is not None:
        source.credibility = credibility
    try:
        source.full_clean()
    except ValidationError as exc:
        raise UsageError("; ".join(exc.messages), code="R014") from None
    with transaction.atomic():
        source.save(update_fields=["reliability", "credibility"])
        custody_append(
            source=source,
            action="annotated",
            actor=f"user:{user.username}",
            payload={
                "change": "grade",
                "before": before,
                "after": {"reliability": source.reliability, "credibility": source.credibility},
            },
        )
    audit_change(obj=source, before=audited_before, user=user)
    from refuge.web.search.services import search_index_source

    search_index_source(source=source)
    return source


def source_export_bundle(*, source: Source, user: Any, out: Path) -> Path:
    """Write an evidence bundle of ``source`` into ``out``; the export is itself recorded."""
    from refuge.evidence.bundle import write_bundle
    from refuge.web.disclosure import policy
    from refuge.web.sources.custody import custody_append, custody_entries

    if not policy.may_export_evidence(user):
        raise AccessDenied("exporting evidence needs the editor role", code="R062")
    if out.exists() and any(out.iterdir()):
        raise UsageError(f"{out} is not empty; choose a new folder", code="R016")
    original = read_original(source)
    from refuge.web.audit.services import audit_record

    audit_record(
        action="export", user=user, details={"what": "evidence bundle", "source": str(source.uuid)}
    )
    custody_append(
        source=source,
        action="exported",
        actor=f"user:{user.username}",
        payload={"to": "evidence bundle", "sha256": source.sha256},
    )
    metadata = {
        "source_id": str(source.uuid),
        "sha256": source.original_sha256 or source.sha256,
        "archive_record_id": source.archive_record_id,
        "size": source.size,
        "mime": source.mime,
        "kind": source.kind,
        "original_filename": source.original_filename,
        "text_sha256": source.text_sha256,
        "title": source.title,
        "outlet": source.outlet,
        "url": source.url,
        "author": source.author,
        "published": source.published.isoformat() if source.published else None,
        "language": source.language,
        "content_class": source.content_class,
        "captured_at": source.captured_at.isoformat(),
        "captured_by": source.captured_by.username
        if source.captured_by
        else source.captured_by_name,
        "capture_tool": source.capture_tool,
        "reliability": source.reliability,
        "credibility": source.credibility,
    }
    return write_bundle(
        out,
        original=original,
        original_name=source.original_filename or source.sha256,
        content_id=source.sha256,
        metadata=metadata,
        entries=list(custody_entries(source)),
    )


def source_transfer(*, source: Source, user: Any, recipient: str, note: str = "") -> None:
    """Record that custody of the evidence passed to someone else (e.g. a UN body)."""
    from refuge.web.disclosure import policy
    from refuge.web.sources.custody import custody_append

    if not policy.may_export_evidence(user):
        raise AccessDenied("recording a transfer of evidence needs the editor role", code="R063")
    if not recipient.strip():
        raise UsageError("name the recipient of the transfer", code="R019")
    custody_append(
        source=source,
        action="transferred",
        actor=f"user:{user.username}",
        payload={
            "recipient": recipient.strip()[:300],
            "note": note.strip()[:1000],
            "sha256": source.sha256,
        },
    )
