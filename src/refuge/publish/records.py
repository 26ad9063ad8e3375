"""The records of the publication pipeline: what a store holds and what exports are made of.

These frozen dataclasses are the one interface between the internal side (which builds them
from reviewed incidents, ``refuge.web.disclosure.snapshot``), the publication store
(``refuge.publish.store``), the exports (``refuge.publish.exports``) and the public site and
API. Everything in a ``PublishedIncident`` has already been generalised
(``refuge.publish.generalise``): nothing identifying, nothing more precise than the rules of
its audience allow. ``AggregateInput`` is the one exception: it carries exact figures, feeds
only the aggregate tables (``refuge.publish.sdc``) and is never stored or exported as such.

Extend, never rename: stores, exports and partners' scripts use these names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Final, Literal

Audience = Literal["public", "partners"]
AUDIENCES: Final[tuple[Audience, ...]] = ("public", "partners")

# The en dash of a range label ("1–4"), as the internal incident list prints ranges.
_RANGE_DASH: Final = "\u2013"


@dataclass(frozen=True, slots=True)
class PublishedCount:
    """A generalised count: exact when low == high; a range for small groups.

    Unknown when both are None; ``low`` or ``high`` alone is an open bound ("at least 3" has
    ``high`` None).
    """

    low: int | None
    high: int | None
    # The source said "about": an exact-looking figure stays marked as approximate, so
    # publishing never makes a count more precise than its source (DESIGN.md principle 3).
    approx: bool = False

    def __post_init__(self) -> None:
        for value in (self.low, self.high):
            if value is not None and value < 0:
                raise ValueError(f"a published count is never negative (got {value})")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"a published count needs low <= high (got {self.low}, {self.high})")

    @classmethod
    def unknown(cls) -> PublishedCount:
        return cls(None, None)

    @classmethod
    def of(cls, value: int) -> PublishedCount:
        """An exact count."""
        return cls(value, value)

    @property
    def exact(self) -> bool:
        return self.low is not None and self.low == self.high

    @property
    def known(self) -> bool:
        return self.low is not None or self.high is not None

    def label(self) -> str:
        """ "12", "1–4", "3+" (no upper bound), "≤4" (no lower bound), "" (unknown).

        An approximate count is prefixed with "~" ("~600"): a sign, not a word, so the label
        needs no translation.
        """
        if self.low is None and self.high is None:
            return ""
        if self.approx:
            return "~" + PublishedCount(self.low, self.high).label()
        if self.low is not None and self.high is not None:
            if self.low == self.high:
                return str(self.low)
            return f"{self.low}{_RANGE_DASH}{self.high}"
        if self.low is not None:
            return f"{self.low}+"
        return f"\u2264{self.high}"


@dataclass(frozen=True, slots=True)
class PublishedPlace:
    name: str  # generalised name (province or country), English
    name_ko: str
    gazetteer_id: str  # of the generalised place, "" if none
    country: str  # ISO 3166-1 alpha-2, "" if unknown
    admin1: str  # province/state, "" when coarsened to country
    precision: str  # "admin1" | "country" | ... (refuge.vocabulary.PLACE_PRECISIONS)
    lat: float | None  # of the generalised place (its centroid), never of a facility
    lon: float | None


@dataclass(frozen=True, slots=True)
class PublishedEvent:
    order: int
    type: str  # refuge.vocabulary.EVENT_TYPES
    date_start: date | None
    date_end: date | None
    date_precision: str  # after coarsening ("month", "year", ...); "" if unknown
    place: PublishedPlace | None


@dataclass(frozen=True, slots=True)
class PublishedIncident:
    public_id: str
    audience: Audience
    title: str  # the public title an editor wrote at release (never the internal title)
    summary: str  # the public summary an editor wrote at release, "" if none
    status: str
    event_types: tuple[str, ...]
    date_start: date | None
    date_end: date | None
    date_precision: str
    place: PublishedPlace | None
    nationality: str
    total: PublishedCount
    adults: PublishedCount
    minors: PublishedCount
    women: PublishedCount
    men: PublishedCount
    events: tuple[PublishedEvent, ...]
    released_at: datetime  # UTC, aware

    @property
    def minors_involved(self) -> bool:
        """Whether the published figures show at least one minor (a range 0–4 does not)."""
        return self.minors.low is not None and self.minors.low > 0


@dataclass(frozen=True, slots=True)
class AggregateInput:
    """One released incident's exact internal figures, input to the aggregate tables only;
    never written to a store as such."""

    public_id: str
    month: str  # "2024-04", "" if the date is coarser than a month or unknown
    country: str
    province: str  # admin1, "" if unknown
    facility: str  # a facility's generic public name, "" if none
    total: int | None
    adults: int | None
    minors: int | None
    women: int | None
    men: int | None


@dataclass(frozen=True, slots=True)
class PublishedTable:
    name: str  # "by_month", "by_province", "by_facility", "by_age_group", "by_sex", ...
    dimensions: tuple[str, ...]  # column names of the categories, e.g. ("province", "month")
    rows: tuple[tuple[tuple[str, ...], int | None], ...]  # (categories, count or None)
    threshold: int  # k used

    @property
    def suppressed(self) -> int:
        """How many cells are withheld."""
        return sum(1 for _, value in self.rows if value is None)

    def value(self, *categories: str) -> int | None:
        """The published count of one cell; KeyError if the table has no such cell."""
        for key, count in self.rows:
            if key == categories:
                return count
        raise KeyError(categories)


__all__ = [
    "AUDIENCES",
    "AggregateInput",
    "Audience",
    "PublishedCount",
    "PublishedEvent",
    "PublishedIncident",
    "PublishedPlace",
    "PublishedTable",
]
