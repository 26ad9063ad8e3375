"""Intake of received files as sources: preserve first, then derive, then record.

For each file, in this order, so that a crash at any point loses nothing and leaves nothing
half-done: (1) the original goes into the evidence store (atomic, content-addressed: a
repeat is a no-op); (2) its text is derived; (3) one database transaction records the
source(s) and the first custody entry. A file whose source already exists is reported as a
duplicate. A batch killed at any moment and run again therefore ends with every file
ingested once, no half-written rows and no orphan files (the store's temporary files from
the killed run are swept at the next start).

Bad input never stops a batch: each file gets an outcome with a reason.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from refuge import __version__
from refuge.errors import EvidenceError, UsageError
from refuge.evidence.detect import detect_type
from refuge.evidence.text import DEFAULT_MAX_BYTES, DerivedText, derive_text, printable_name
from refuge.evidence.warc import ArchivedPage, read_warc
from refuge.web.sources.custody import custody_append
from refuge.web.sources.models import ContentClass, Reliability, Source
from refuge.web.sources.originals import (
    Kept,
    capture_payload,
    keep_original,
    plain_store,
    sealed_store,
    text_digest,
)

Status = Literal["ingested", "duplicate", "kept-without-text", "failed"]
TOOL = f"refuge {__version__}"


@dataclass(frozen=True)
class CaptureMetadata:
    """What the person ingesting knows about the material (all optional)."""

    source_url: str = ""
    outlet: str = ""
    author: str = ""
    published: date | None = None
    language: str = ""
    reliability: str = ""
    credibility: int | None = None
    captured_by_name: str = ""
    content_class: str = ContentClass.PUBLISHED
    team: Any = None
    captured_by: Any = None  # an account, when known (web uploads)
    disclosure: str = "team"

    def __post_init__(self) -> None:
        if self.content_class not in ContentClass.values:
            raise UsageError(
                f"content class must be published or confidential (got {self.content_class!r})",
                code="R014",
            )
        if self.reliability and self.reliability not in Reliability.values:
            raise UsageError(
                f"reliability must be a letter A to F (got {self.reliability!r})", code="R014"
            )
        if self.credibility is not None and not 1 <= self.credibility <= 6:
            raise UsageError(f"credibility must be 1 to 6 (got {self.credibility})", code="R014")
        if self.disclosure not in ("team", "organisation", "partners", "public"):
            raise UsageError(
                "the level must be team, organisation, partners or public "
                f"(got {self.disclosure!r})",
                code="R014",
            )
        if self.source_url and not self.source_url.startswith(("http://", "https://")):
            raise UsageError("the source URL must start with http:// or https://", code="R014")

    @property
    def actor(self) -> str:
        """Who captured it, for the custody log: the account, else the name given, else 'cli'."""
        if self.captured_by is not None:
            return f"user:{self.captured_by.username}"
        if self.captured_by_name:
            # The custody log is plaintext: for confidential material the collector's name
            # stays only in the source's encrypted fields.
            if self.content_class == ContentClass.CONFIDENTIAL:
                return "name:(kept encrypted in the source record)"
            return f"name:{self.captured_by_name}"
        return "cli"


@dataclass(frozen=True)
class Outcome:
    """What happened to one input (a file, or one page of a web archive)."""

    name: str
    status: Status
    reason: str = ""
    source_uuids: tuple[str, ...] = ()


@dataclass
class BatchSummary:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


def _derive(data: bytes, name: str, charset: str | None = None) -> tuple[DerivedText | None, str]:
    """(derived text or None, reason it has none)."""
    try:
        derived = derive_text(
            data,
            filename=name,
            charset=charset,
            pdf_timeout=settings.PDF_TIMEOUT_SECONDS,
            pdf_memory_mb=settings.PDF_MEMORY_MB,
        )
    except EvidenceError as exc:
        return None, str(exc)
    if derived is None:
        return None, "no text: kept as opaque evidence"
    return derived, ""


def _source_row(
    *,
    kept: Kept,
    name: str,
    meta: CaptureMetadata,
    kind: str,
    mime: str,
    derived: DerivedText | None,
    warnings: list[str],
    record_id: str = "",
    url: str = "",
    captured_at: datetime | None = None,
) -> Source:
    text = derived.text if derived else ""
    published = meta.published or (derived.published if derived else None)
    source = Source(
        team=meta.team,
        disclosure=meta.disclosure,
        content_class=meta.content_class,
        kind=kind,
        sha256=kept.content_id,
        original_sha256=kept.plain_sha256,
        sealed=kept.sealed,
        archive_record_id=record_id,
        size=kept.size,
        mime=mime[:128],
        original_filename=name[:512],
        text=text,
        text_sha256=text_digest(text, sealed=kept.sealed) if derived else "",
        title=((derived.title if derived else "") or "")[:500],
        outlet=meta.outlet[:200],
        url=(url or meta.source_url)[:2000],
        author=(meta.author or (derived.author if derived else "") or "")[:300],
        published=published,
        language=(meta.language or (derived.language if derived else "") or "")[:8],
        captured_at=captured_at or timezone.now(),
        captured_by=meta.captured_by,
        captured_by_name=meta.captured_by_name[:200],
        capture_tool=TOOL,
        reliability=meta.reliability,
        credibility=meta.credibility,
        warnings=warnings,
    )
    # Field rules here; the constraints (one source per original, credibility 1-6) are the
    # database's to enforce at insert, which saves a query per constraint per file.
    source.full_clean(validate_constraints=False)
    return source


def _propose_claims(source: Source) -> None:
    """Run the extractor on a freshly recorded source; never fails the ingest."""
    if not settings.EXTRACT_ON_INGEST:
        return
    from refuge.web.sources.extraction import source_extract

    source_extract(source=source)


def _record(source: Source, meta: CaptureMetadata) -> None:
    source.save()
    from refuge.web.search.services import search_index_source

    search_index_source(source=source)  # in the same transaction as the source itself
    custody_append(
        source=source,
        action="captured",
        actor=meta.actor,
        payload={
            **capture_payload(source),
            "captured_at": source.captured_at.astimezone(UTC).isoformat(),
        },
    )


def _page_outcomes(
    pages: list[ArchivedPage], *, kept: Kept, name: str, meta: CaptureMetadata
) -> list[Outcome]:
    outcomes = []
    for page in pages:
        label = f"{name} :: {page.url}"
        if Source.objects.filter(sha256=kept.content_id, archive_record_id=page.record_id).exists():
            outcomes.append(Outcome(label, "duplicate", "already ingested"))
            continue
        charset = None
        if "charset=" in page.content_type:
            charset = page.content_type.split("charset=", 1)[1].split(";")[0].strip()
        derived, reason = _derive(page.body, page.url, charset)
        kind = derived.kind if derived else detect_type(page.body).kind
        source = _source_row(
            kept=kept,
            name=name,
            meta=meta,
            kind=kind,
            mime=page.content_type or "application/octet-stream",
            derived=derived,
            warnings=[reason, *(derived.warnings if derived else ())]
            if reason
            else list(derived.warnings if derived else ()),
            record_id=page.record_id,
            url=page.url,
            captured_at=page.captured_at,
        )
        try:
            with transaction.atomic():
                _record(source, meta)
        except IntegrityError:
            outcomes.append(Outcome(label, "duplicate", "already ingested"))
            continue
        _propose_claims(source)
        outcomes.append(
            Outcome(
                label, "ingested" if derived else "kept-without-text", reason, (str(source.uuid),)
            )
        )
    return outcomes


def ingest_bytes(
    data: bytes, *, name: str, meta: CaptureMetadata, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[Outcome]:
    """Ingest one received file's bytes; one outcome, or one per page of a web archive."""
    if len(data) == 0:
        return [Outcome(name, "failed", "empty file: nothing to preserve")]
    if len(data) > max_bytes:
        return [
            Outcome(name, "failed", f"larger than the limit of {max_bytes // (1024 * 1024)} MB")
        ]
    detected = detect_type(data, filename=name)
    kept = keep_original(data, content_class=meta.content_class, max_bytes=max_bytes)
    reason = ""
    if detected.kind == "warc":
        try:
            pages = read_warc(data)
        except EvidenceError as exc:
            pages, reason = [], str(exc)
        if pages:
            return _page_outcomes(pages, kept=kept, name=name, meta=meta)
        reason = reason or "the archive holds no captured page"
    existing = Source.objects.filter(sha256=kept.content_id, archive_record_id="").first()
    if existing is not None:
        # A batch killed between recording and extracting finishes the extraction here.
        _propose_claims(existing)
        return [Outcome(name, "duplicate", "already ingested")]
    derived = None
    if not reason:
        derived, reason = _derive(data, name)
    warnings = list(derived.warnings) if derived else [reason]
    if detected.kind == "binary" and Path(name).suffix.lower() in (".txt", ".html", ".htm"):
        warnings.append(f"named {Path(name).suffix} but its content is binary")
    source = _source_row(
        kept=kept,
        name=name,
        meta=meta,
        kind=derived.kind if derived else detected.kind,
        mime=derived.mime if derived else detected.mime,
        derived=derived,
        warnings=warnings,
    )
    try:
        with transaction.atomic():
            _record(source, meta)
    except IntegrityError:
        # Another process ingested the same bytes between our check and our write.
        return [Outcome(name, "duplicate", "already ingested")]
    _propose_claims(source)
    status: Status = "ingested" if derived is not None else "kept-without-text"
    return [Outcome(name, status, "; ".join(warnings), (str(source.uuid),))]


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Every file under the given paths, folders walked recursively in a stable order."""
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    yield Path(root) / name
        else:
            yield path


def ingest_paths(
    paths: Iterable[Path],
    *,
    meta: CaptureMetadata,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_file: Callable[[Path, list[Outcome]], None] | None = None,
) -> BatchSummary:
    """Ingest files and folders; each file on its own, its failure reported, never raised."""
    plain_store().sweep_temp()
    if (settings.EVIDENCE_DIR / "sealed").exists():
        sealed_store().sweep_temp()
    summary = BatchSummary()
    for path in iter_files(paths):
        name = printable_name(path)
        try:
            if not path.exists():
                outcomes = [Outcome(name, "failed", "no such file or folder")]
            elif not path.is_file():
                outcomes = [Outcome(name, "failed", "not a regular file")]
            elif path.stat().st_size > max_bytes:
                outcomes = [
                    Outcome(
                        name, "failed", f"larger than the limit of {max_bytes // (1024 * 1024)} MB"
                    )
                ]
            else:
                outcomes = ingest_bytes(
                    path.read_bytes(), name=path.name, meta=meta, max_bytes=max_bytes
                )
        except PermissionError:
            outcomes = [Outcome(name, "failed", "cannot be read (permission denied)")]
        except OSError as exc:
            outcomes = [Outcome(name, "failed", f"cannot be read ({exc.strerror})")]
        except EvidenceError as exc:
            outcomes = [Outcome(name, "failed", str(exc))]
        except ValidationError as exc:
            outcomes = [Outcome(name, "failed", "; ".join(exc.messages))]
        summary.outcomes.extend(outcomes)
        if on_file is not None:
            on_file(path, outcomes)
    return summary
