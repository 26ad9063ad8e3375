"""Dates and places in words, no more precise than they are known, in the reader's language.

``Period.render`` gives ISO prefixes for lists and exports ("2024-04"); a record page reads
better in words: "April 2024", "around 20–25 July 2021" (a span of days means the exact day
is not known), "Tumen or Hunchun" (several places of one event are alternatives, not a route;
see incidents.models.Event). Month names and the order of day, month and year come from
Django's formats and translations, so the Korean interface says "2024년 4월".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.utils import formats
from django.utils.dates import MONTHS
from django.utils.translation import get_language, gettext

from refuge.periods import Period


def month_year(value: date) -> str:
    """ "April 2024" / "2024년 4월"."""
    return formats.date_format(value, "YEAR_MONTH_FORMAT")


def day_words(value: date) -> str:
    """ "20 July 2021" / "2021년 7월 20일"."""
    return gettext("%(day)s %(month_year)s") % {"day": value.day, "month_year": month_year(value)}


def period_words(period: Period | None) -> str:
    """A period in words at its precision; a span says that the exact date is not known."""
    if period is None:
        return gettext("date unknown")
    start, end = period.start, period.end
    if period.precision == "year":
        if start.year == end.year:
            return str(start.year)
        return gettext("between %(first)s and %(last)s") % {"first": start.year, "last": end.year}
    if period.precision == "month":
        if (start.year, start.month) == (end.year, end.month):
            return month_year(start)
        if start.year == end.year:
            return gettext("between %(first)s and %(last)s") % {
                "first": str(MONTHS[start.month]),
                "last": month_year(end),
            }
        return gettext("between %(first)s and %(last)s") % {
            "first": month_year(start),
            "last": month_year(end),
        }
    if start == end:
        return day_words(start)
    if (start.year, start.month) == (end.year, end.month):
        return gettext("around %(first)s–%(last)s %(month_year)s") % {
            "first": start.day,
            "last": end.day,
            "month_year": month_year(start),
        }
    return gettext("around %(first)s – %(last)s") % {
        "first": day_words(start),
        "last": day_words(end),
    }


def place_name(name: str, name_ko: str = "") -> str:
    """The place's name in the reader's language where the gazetteer has it."""
    if name_ko and (get_language() or "").startswith("ko"):
        return name_ko
    return name


def alternatives(names: Sequence[str]) -> str:
    """ "Tumen", "Tumen or Hunchun", "Tumen, Hunchun or Helong"."""
    names = [n for n in names if n]
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return gettext("%(some)s or %(last)s") % {"some": ", ".join(names[:-1]), "last": names[-1]}


__all__ = ["alternatives", "day_words", "month_year", "period_words", "place_name"]
