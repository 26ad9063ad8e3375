"""Reads of sources, always through the disclosure policy."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from refuge.web.disclosure import policy
from refuge.web.sources.models import CustodyEntry, Source


def source_list(*, user: Any) -> QuerySet[Source]:
    return policy.visible(user, Source.objects.all()).only(
        "uuid",
        "title",
        "original_filename",
        "outlet",
        "published",
        "language",
        "kind",
        "reliability",
        "credibility",
        "content_class",
        "captured_at",
        "size",
    )


def source_get(*, user: Any, uuid: str) -> Source | None:
    """A source the user may see, or None (hidden and absent look the same: a 404)."""
    source: Source | None = policy.visible(user, Source.objects.all()).filter(uuid=uuid).first()
    if source is None or not policy.can_view(user, source):
        return None
    return source


def source_custody(*, user: Any, source: Source) -> list[CustodyEntry]:
    if not policy.can_view(user, source):
        return []
    return list(source.custody.order_by("seq"))
