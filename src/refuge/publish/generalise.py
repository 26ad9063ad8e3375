"""Generalisation: how coarse a released record's dates, places and counts must be.

A ``GeneralisationRules`` value says, for one audience and sensitivity, the finest date
precision, the finest place precision, how small counts become ranges, and whether a
facility's public name may appear. ``rules_for`` gives the defaults (docs/publishing.md,
"Generalisation"); the pure functions apply them. Every function only ever widens what it
is given: a date becomes a longer period, a place its province or country, a count a range.
Nothing comes out more precise than it went in (DESIGN.md principle 3), so a value that is
already coarser than the rules stays as it is.

Error code R150 (PublicationError): a rule or an input value outside its vocabulary.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal, NamedTuple, Protocol

from refuge.counts import check_count
from refuge.errors import PublicationError
from refuge.gazetteer import Gazetteer, Place, default_gazetteer
from refuge.publish.records import Audience, PublishedCount, PublishedPlace
from refuge.vocabulary import SENSITIVITY_FLAGS

DatePrecision = Literal["day", "month", "year"]
PlaceFloor = Literal["city", "county", "admin1", "country"]

_DATE_RANK: Final = {"day": 0, "month": 1, "year": 2}
# Finest to coarsest. A region is ranked by where it lies: one inside a province (Yanbian
# prefecture, admin1 set) is finer than the province, one spanning provinces (Northeast
# China, no admin1) is coarser than a province but finer than the country.
_PLACE_RANK: Final = {"facility": 0.0, "city": 1.0, "county": 2.0, "admin1": 3.0, "country": 4.0}
_REGION_IN_PROVINCE: Final = 2.5
_REGION_ACROSS_PROVINCES: Final = 3.5
PLACE_FLOORS: Final[tuple[PlaceFloor, ...]] = ("city", "county", "admin1", "country")


@dataclass(frozen=True, slots=True)
class GeneralisationRules:
    """How coarse one audience's view of one record must be.

    ``date_precision`` and ``place_precision`` are floors: the finest precision a published
    date or place may have (a place is never published at facility precision, and never with
    a facility's coordinates). Counts from 1 to ``small_count - 1`` are published as ranges
    of ``range_width`` (1–4 with the defaults); ``range_width`` must divide
    ``small_count - 1`` so that no range reaches a value that would be shown exactly (a
    "4–6" next to exact 5s and 6s would give away the 4). 0 stays 0. ``show_facility`` says
    whether a facility's generic public name may appear (in the aggregate tables).
    """

    date_precision: DatePrecision = "month"
    place_precision: PlaceFloor = "admin1"
    small_count: int = 5
    range_width: int = 4
    show_facility: bool = True

    def __post_init__(self) -> None:
        if self.date_precision not in _DATE_RANK:
            raise _error(f"unknown date precision {self.date_precision!r}; use day, month or year")
        if self.place_precision not in PLACE_FLOORS:
            raise _error(
                f"a place floor of {self.place_precision!r} is not allowed; use one of "
                + ", ".join(PLACE_FLOORS)
            )
        if self.small_count < 1 or self.range_width < 1:
            raise _error("small_count and range_width must be at least 1")
        if (self.small_count - 1) % self.range_width:
            raise _error(
                f"range_width {self.range_width} must divide small_count - 1 "
                f"({self.small_count - 1}) so that no range gives a count away"
            )


# The defaults (docs/publishing.md has the table and the reasons). Partners are vetted
# organisations under an agreement; the public is anyone, so every public rule is at least
# as coarse as the partners' one. A sensitive record (minors involved, or any sensitivity
# flag) is coarser again for both.
DEFAULT_RULES: Final[dict[tuple[Audience, bool], GeneralisationRules]] = {
    ("partners", False): GeneralisationRules("day", "city", 3, 2, True),
    ("partners", True): GeneralisationRules("month", "admin1", 5, 4, False),
    ("public", False): GeneralisationRules("month", "admin1", 5, 4, True),
    ("public", True): GeneralisationRules("year", "country", 10, 9, False),
}


def rules_for(
    audience: Audience, *, flags: Iterable[str] = (), minors_involved: bool = False
) -> GeneralisationRules:
    """The default rules for an audience and a record's sensitivity.

    ``flags`` are the record's sensitivity flags (``refuge.vocabulary.SENSITIVITY_FLAGS``);
    any of them, or ``minors_involved``, makes the record sensitive.
    """
    flags = tuple(flags)
    unknown = [f for f in flags if f not in SENSITIVITY_FLAGS]
    if unknown:
        raise _error(f"unknown sensitivity flag {unknown[0]!r}")
    if audience not in ("public", "partners"):
        raise _error(f"unknown audience {audience!r}; use public or partners")
    return DEFAULT_RULES[(audience, bool(flags) or minors_involved)]


class PublishedDate(NamedTuple):
    start: date | None
    end: date | None
    precision: str  # "day" | "month" | "year"; "" when no date is known


def coarsen_date(
    start: date | None, end: date | None, precision: str | None, rules: GeneralisationRules
) -> PublishedDate:
    """The period ``start``..``end`` widened to whole months or years as the rules require.

    A missing end is the start (and vice versa). A date whose precision is not recorded is
    treated as known only to the year: assuming more would risk publishing a precision
    the source never gave.
    """
    if start is None and end is None:
        return PublishedDate(None, None, "")
    first = start if start is not None else end
    last = end if end is not None else start
    assert first is not None and last is not None
    if first > last:
        raise _error(f"a period cannot end ({last}) before it starts ({first})")
    own = precision or "year"
    if own not in _DATE_RANK:
        raise _error(f"unknown date precision {own!r}; use day, month or year")
    coarse = max(own, rules.date_precision, key=_DATE_RANK.__getitem__)
    return PublishedDate(_period_start(first, coarse), _period_end(last, coarse), coarse)


def _period_start(value: date, precision: str) -> date:
    if precision == "year":
        return value.replace(month=1, day=1)
    if precision == "month":
        return value.replace(day=1)
    return value


def _period_end(value: date, precision: str) -> date:
    if precision == "year":
        return value.replace(month=12, day=31)
    if precision == "month":
        return value.replace(day=calendar.monthrange(value.year, value.month)[1])
    return value


class PlaceLike(Protocol):
    """What coarsening needs of a place: a ``PublishedPlace`` or the internal Place model."""

    @property
    def gazetteer_id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def name_ko(self) -> str: ...
    @property
    def country(self) -> str: ...
    @property
    def admin1(self) -> str: ...
    @property
    def precision(self) -> str: ...
    @property
    def lat(self) -> float | None: ...
    @property
    def lon(self) -> float | None: ...


def coarsen_place(
    place: PlaceLike | None,
    rules: GeneralisationRules,
    *,
    precision: str | None = None,
    gazetteer: Gazetteer | None = None,
) -> PublishedPlace | None:
    """The place as precise as the rules allow and no more precise than it is.

    ``precision`` is how precisely the record places the event there (an event's own place
    precision) when that is coarser than the place itself. A place finer than the rules'
    floor is replaced by its first ancestor in the gazetteer at least that coarse, or, when
    the gazetteer does not know it, by its province or country from its own fields; the
    result then carries the coordinates of that area (none, for areas of the packaged
    gazetteer), never those of the place. None when nothing is known at the floor.
    """
    if place is None:
        return None
    gaz = gazetteer if gazetteer is not None else default_gazetteer()
    own = _place_rank(place.precision, place.admin1)
    if precision:
        own = max(own, _place_rank(precision, place.admin1))
    floor = _PLACE_RANK[rules.place_precision]
    if own >= floor and own == _place_rank(place.precision, place.admin1):
        return _as_published(place)
    target = max(own, floor)
    if place.gazetteer_id in gaz:
        ancestor: Place | None = gaz.get(place.gazetteer_id)
        while ancestor is not None:
            if _place_rank(ancestor.precision, ancestor.admin1 or "") >= target:
                return _from_gazetteer(ancestor)
            parent = ancestor.parent_id
            ancestor = gaz.get(parent) if parent and parent in gaz else None
    if target <= _PLACE_RANK["admin1"] and place.admin1 and place.country:
        return _province(place.country, place.admin1, gaz)
    if place.country:
        return _country(place.country, gaz)
    return None


def _place_rank(precision: str, admin1: str) -> float:
    if precision == "region":
        return _REGION_IN_PROVINCE if admin1 else _REGION_ACROSS_PROVINCES
    if precision in _PLACE_RANK:
        return _PLACE_RANK[precision]
    if precision:
        raise _error(f"unknown place precision {precision!r}")
    # Unrecorded: assume the finest, so that the floor always applies.
    return _PLACE_RANK["facility"]


def _as_published(place: PlaceLike) -> PublishedPlace:
    country_level = place.precision in ("country", "region") and not place.admin1
    return PublishedPlace(
        name=place.name,
        name_ko=place.name_ko or "",
        gazetteer_id=place.gazetteer_id or "",
        country=place.country or "",
        admin1="" if country_level else (place.admin1 or ""),
        precision=place.precision,
        lat=place.lat,
        lon=place.lon,
    )


def _from_gazetteer(place: Place) -> PublishedPlace:
    return PublishedPlace(
        name=place.name,
        name_ko=place.name_ko or "",
        gazetteer_id=place.id,
        country=place.country,
        admin1=place.admin1 or "",
        precision=place.precision,
        lat=place.lat,
        lon=place.lon,
    )


def _province(country: str, admin1: str, gaz: Gazetteer) -> PublishedPlace:
    for candidate in gaz:
        province = candidate.kind == "province" and candidate.country == country
        if province and candidate.admin1 == admin1:
            return _from_gazetteer(candidate)
    return PublishedPlace(admin1, "", "", country, admin1, "admin1", None, None)


def _country(country: str, gaz: Gazetteer) -> PublishedPlace:
    for candidate in gaz:
        if candidate.kind == "country" and candidate.country == country:
            return _from_gazetteer(candidate)
    return PublishedPlace(country, "", "", country, "", "country", None, None)


def generalise_count(n: int | None, rules: GeneralisationRules) -> PublishedCount:
    """An exact count as the audience may see it: itself, or its range when it is small."""
    if n is None:
        return PublishedCount.unknown()
    return generalise_range(n, n, rules)


def generalise_range(
    low: int | None, high: int | None, rules: GeneralisationRules, *, approx: bool = False
) -> PublishedCount:
    """A count known between ``low`` and ``high`` (either may be open), widened so that
    each small bound becomes the edge of its range: 3..8 becomes 1..8 with the defaults."""
    for value in (low, high):
        if value is not None and value < 0:
            raise _error(f"a count cannot be negative ({value})")
    if low is not None and high is not None and low > high:
        raise _error(f"a count range needs low <= high (got {low}, {high})")
    lo = None if low is None else _band(low, rules)[0]
    hi = None if high is None else _band(high, rules)[1]
    return PublishedCount(lo, hi, approx=approx)


def _band(n: int, rules: GeneralisationRules) -> tuple[int, int]:
    if n == 0 or n >= rules.small_count:
        return n, n
    index = (n - 1) // rules.range_width
    return index * rules.range_width + 1, (index + 1) * rules.range_width


def generalise_figure(
    minimum: int | None,
    best: int | None,
    maximum: int | None,
    qualifier: str | None,
    rules: GeneralisationRules,
) -> PublishedCount:
    """A recorded figure (min / best / max with its qualifier, as victim groups keep their
    totals) as one published count; raises the domain's R056/R057 if the figure is invalid.

    exact: the figure; range: min..max; at least: min (or best) upwards; at most: up to
    max (or best); about: min..max when both are known, else the best figure, marked
    approximate either way.
    """
    check_count(minimum, best, maximum, qualifier)
    if qualifier == "range":
        return generalise_range(minimum, maximum, rules)
    if qualifier == "at_least":
        return generalise_range(minimum if minimum is not None else best, None, rules)
    if qualifier == "at_most":
        return generalise_range(None, maximum if maximum is not None else best, rules)
    if qualifier == "approx":
        if minimum is not None and maximum is not None:
            return generalise_range(minimum, maximum, rules, approx=True)
        value = best if best is not None else (minimum if minimum is not None else maximum)
        return generalise_range(value, value, rules, approx=True)
    if qualifier == "exact":
        value = next(v for v in (best, minimum, maximum) if v is not None)
        return generalise_count(value, rules)
    return PublishedCount.unknown()


def public_facility(name: str, rules: GeneralisationRules) -> str:
    """A facility's generic public name, or "" when the rules hide facilities."""
    return name if rules.show_facility else ""


def _error(message: str) -> PublicationError:
    return PublicationError(message, code="R150")


__all__ = [
    "DEFAULT_RULES",
    "PLACE_FLOORS",
    "DatePrecision",
    "GeneralisationRules",
    "PlaceFloor",
    "PlaceLike",
    "PublishedDate",
    "coarsen_date",
    "coarsen_place",
    "generalise_count",
    "generalise_figure",
    "generalise_range",
    "public_facility",
    "rules_for",
]
