"""Writes of sources. Every original goes through the evidence store first."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from refuge import __version__
from refuge.evidence.store import LocalEvidenceStore
from refuge.web.sources.models import Source


def evidence_store() -> LocalEvidenceStore:
    """The configured store; one place to swap in encryption or another backend later."""
    return LocalEvidenceStore(settings.EVIDENCE_DIR)


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
    blob = evidence_store().put(original)
    existing = Source.objects.filter(sha256=blob.sha256, kind="text").first()
    if existing is not None:
        return existing, False
    with transaction.atomic():
        source = Source(
            team=team,
            disclosure=data.disclosure,
            content_class=data.content_class,
            kind="text",
            sha256=blob.sha256,
            size=blob.size,
            mime="text/plain; charset=utf-8",
            original_filename=data.original_filename,
            text=data.text,
            text_sha256=hashlib.sha256(original).hexdigest(),
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
    return source, True
