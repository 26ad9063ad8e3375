"""Dates known to a precision: a day, a month or a year, or a range of them.

A period is stored as its first and last day plus the precision, so "June 2017" is
2017-06-01..2017-06-30 at month precision. It is never shown more precisely than that
(principle 3 of DESIGN.md): ``render`` cuts to the precision.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from refuge.errors import DomainValidationError

Precision = Literal["day", "month", "year"]
_ISO_PREFIX = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date
    precision: Precision

    def render(self) -> str:
        """ISO prefixes cut to the precision: "2017-06", or "2017-06 – 2017-07"."""
        first, last = iso_prefix(self.start, self.precision), iso_prefix(self.end, self.precision)
        return first if first == last else f"{first} – {last}"


def iso_prefix(value: date, precision: Precision) -> str:
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def parse_prefix(text: str) -> tuple[date, date, Precision]:
    """ "2017", "2017-06" or "2017-06-25" -> (first day, last day, precision)."""
    match = _ISO_PREFIX.match(text.strip())
    if not match:
        raise DomainValidationError(
            f"{text!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD", code="R051"
        )
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    try:
        if month is None:
            return date(year, 1, 1), date(year, 12, 31), "year"
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return date(year, month, 1), date(year, month, last), "month"
        exact = date(year, month, day)
    except ValueError:
        raise DomainValidationError(f"{text!r} is not a real date", code="R051") from None
    return exact, exact, "day"


def period_from_prefixes(start: str, end: str | None = None) -> Period:
    """A period from one or two ISO prefixes; the coarser precision of the two wins."""
    s_first, _, s_precision = parse_prefix(start)
    e_first, e_last, e_precision = parse_prefix(end or start)
    order = ("day", "month", "year")
    precision: Precision = max(s_precision, e_precision, key=order.index)
    if precision != s_precision or precision != e_precision:
        s_first, _, _ = parse_prefix(iso_prefix(s_first, precision))
        _, e_last, _ = parse_prefix(iso_prefix(e_first, precision))
    period = Period(s_first, e_last, precision)
    check_period(period.start, period.end, period.precision)
    return period


def enclosing(periods: list[Period]) -> Period | None:
    """The smallest period holding all of ``periods``, at the coarsest of their precisions."""
    if not periods:
        return None
    order = ("day", "month", "year")
    precision: Precision = max((p.precision for p in periods), key=order.index)
    return Period(min(p.start for p in periods), max(p.end for p in periods), precision)


def check_period(start: date | None, end: date | None, precision: str | None) -> None:
    """Raise DomainValidationError unless the bounds agree with each other and the precision."""
    if start is None and end is None:
        if precision:
            raise DomainValidationError("a precision was given without a date", code="R052")
        return
    if start is None or end is None:
        raise DomainValidationError("a period needs both a start and an end", code="R052")
    if end < start:
        raise DomainValidationError(
            f"the end ({end.isoformat()}) is before the start ({start.isoformat()})", code="R053"
        )
    if precision not in ("day", "month", "year"):
        raise DomainValidationError(
            f"date precision must be day, month or year (got {precision!r})", code="R054"
        )
    if precision == "day":
        return
    if start.day != 1 or end.day != calendar.monthrange(end.year, end.month)[1]:
        raise DomainValidationError(
            f"a {precision}-precision period must run from the first to the last day of its "
            f"{precision}s (got {start.isoformat()}..{end.isoformat()})",
            code="R055",
        )
    if precision == "year" and (start.month != 1 or end.month != 12):
        raise DomainValidationError(
            "a year-precision period must run from 1 January to 31 December "
            f"(got {start.isoformat()}..{end.isoformat()})",
            code="R055",
        )


__all__ = [
    "Period",
    "Precision",
    "check_period",
    "enclosing",
    "iso_prefix",
    "parse_prefix",
    "period_from_prefixes",
]
