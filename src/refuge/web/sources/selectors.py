"""Reads of sources, always through the disclosure policy."""

from __future__ import annotations

from typing import Any

from refuge.web.disclosure import policy
from refuge.web.sources.models import CustodyEntry, Source


def source_list(*, user: Any, limit: int = 500) -> list[dict[str, Any]]:
    """Rows for the source list, each passed through the policy's ``redact``."""
    rows = []
    for source in policy.visible(user, Source.objects.all())[:limit]:
        row = policy.redact(user, source)
        row["content_class_label"] = source.get_content_class_display()
        rows.append(row)
    return rows


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
