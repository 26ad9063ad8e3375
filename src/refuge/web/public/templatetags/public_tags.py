"""Display helpers of the public pages: vocabulary labels and published periods."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils.translation import gettext

from refuge.periods import iso_prefix
from refuge.publish.records import PublishedTable
from refuge.web.public.labels import TITLES, VOCABULARY_DIMENSIONS

register = template.Library()


@register.filter
def vocab_label(value: str) -> str:
    """ "escape_attempt" -> "Escape attempt", translated (labels listed in pages.labels)."""
    if not value:
        return ""
    return gettext(value.replace("_", " ").capitalize())


@register.filter
def table_title(name: str) -> str:
    title = TITLES.get(name)
    return gettext(title) if title else vocab_label(name)


@register.filter
def category_label(value: str, dimension: str) -> str:
    """A cell's category: vocabulary translated ("adults"), names of places as they are."""
    if dimension in VOCABULARY_DIMENSIONS:
        return vocab_label(value)
    return value


@register.filter
def labelled_rows(table: PublishedTable) -> list[tuple[list[str], int | None]]:
    """A table's rows with each category shown as its dimension asks."""
    return [
        ([category_label(c, d) for c, d in zip(categories, table.dimensions, strict=False)], n)
        for categories, n in table.rows
    ]


@register.simple_tag
def period(start: date | None, end: date | None, precision: str) -> str:
    """A published period at its (already coarsened) precision: "2024-04", "2023 – 2024"."""
    if start is None:
        return ""
    if precision not in ("day", "month", "year"):
        precision = "day"
    first = iso_prefix(start, precision)  # type: ignore[arg-type]
    last = iso_prefix(end or start, precision)  # type: ignore[arg-type]
    return first if first == last else f"{first} – {last}"
