"""Strategies and fixed records for the tests of refuge.publish's core (generalise, sdc,
sdc_audit, store).

``incidents(audience)`` draws generalised records with any text in the free-text fields
(hypothesis' default alphabet: every Unicode character but surrogates, NUL included), counts
exact, ranges, open, approximate or unknown, places with or without finite coordinates, and
aware release times in UTC or another offset. ``aggregate_inputs()`` draws released
incidents' exact figures over a few months, provinces and facilities, with any figure
missing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import strategies as st

from refuge.publish.records import (
    AggregateInput,
    Audience,
    PublishedCount,
    PublishedEvent,
    PublishedIncident,
    PublishedPlace,
    PublishedTable,
)
from refuge.vocabulary import EVENT_TYPES, STATUSES

GENERATED_AT = datetime(2024, 5, 2, 8, 30, tzinfo=UTC)

JILIN = PublishedPlace("Jilin", "지린성", "cn-jl", "CN", "Jilin", "admin1", None, None)
CHINA = PublishedPlace("China", "중국", "cn", "CN", "", "country", None, None)


def incident(public_id: str, **changes: object) -> PublishedIncident:
    """A plain public incident in Jilin, April 2024, changed by keyword."""
    values: dict[str, object] = {
        "public_id": public_id,
        "audience": "public",
        "title": f"Arrests {public_id}",
        "summary": "",
        "status": "detained",
        "event_types": ("arrest",),
        "date_start": date(2024, 4, 1),
        "date_end": date(2024, 4, 30),
        "date_precision": "month",
        "place": JILIN,
        "nationality": "KP",
        "total": PublishedCount.of(12),
        "adults": PublishedCount.of(12),
        "minors": PublishedCount.of(0),
        "women": PublishedCount.unknown(),
        "men": PublishedCount.unknown(),
        "events": (),
        "released_at": datetime(2024, 5, 1, 12, tzinfo=UTC),
    }
    values.update(changes)
    return PublishedIncident(**values)  # type: ignore[arg-type]


def one_way(name: str, dimension: str, rows: dict[str, int | None], k: int = 5) -> PublishedTable:
    return PublishedTable(name, (dimension,), tuple(((c,), v) for c, v in rows.items()), k)


def total(value: int | None, k: int = 5) -> PublishedTable:
    return PublishedTable("total", (), (((), value),), k)


# --- strategies --------------------------------------------------------------------------

_texts = st.text(max_size=40)
_small = st.integers(min_value=0, max_value=2000)


@st.composite
def counts(draw: st.DrawFn) -> PublishedCount:
    kind = draw(st.sampled_from(["exact", "range", "open_low", "open_high", "unknown"]))
    approx = draw(st.booleans())
    if kind == "unknown":
        return PublishedCount.unknown()
    low = draw(_small)
    if kind == "exact":
        return PublishedCount(low, low, approx=approx)
    if kind == "open_low":
        return PublishedCount(None, low, approx=approx)
    if kind == "open_high":
        return PublishedCount(low, None, approx=approx)
    return PublishedCount(low, low + draw(st.integers(1, 50)), approx=approx)


_coordinates = st.none() | st.floats(
    min_value=-180, max_value=180, allow_nan=False, allow_infinity=False
)

places = st.builds(
    PublishedPlace,
    name=_texts,
    name_ko=_texts,
    gazetteer_id=st.text(max_size=12),
    country=st.sampled_from(["CN", "KP", "RU", "LA", "", "cn"]),
    admin1=st.sampled_from(["Jilin", "Liaoning", "North Hamgyong", "", "jilin"]),
    precision=st.sampled_from(["admin1", "country", "city", "region"]),
    lat=_coordinates,
    lon=_coordinates,
)

_dates = st.none() | st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31))
_offsets = st.sampled_from([UTC, timezone(timedelta(hours=9)), timezone(timedelta(hours=-5))])

events = st.builds(
    PublishedEvent,
    order=st.integers(0, 50),
    type=st.sampled_from(EVENT_TYPES),
    date_start=_dates,
    date_end=_dates,
    date_precision=st.sampled_from(["day", "month", "year", ""]),
    place=st.none() | places,
)


@st.composite
def incidents(draw: st.DrawFn, audience: Audience = "public") -> PublishedIncident:
    start = draw(_dates)
    end = draw(_dates)
    if start is not None and end is not None and end < start:
        start, end = end, start
    return PublishedIncident(
        public_id=draw(st.text(min_size=1, max_size=16)),
        audience=audience,
        title=draw(_texts),
        summary=draw(_texts),
        status=draw(st.sampled_from(STATUSES)),
        event_types=tuple(draw(st.lists(st.sampled_from(EVENT_TYPES), max_size=3, unique=True))),
        date_start=start,
        date_end=end,
        date_precision=draw(st.sampled_from(["day", "month", "year", ""])),
        place=draw(st.none() | places),
        nationality=draw(st.sampled_from(["KP", "", "CN"])),
        total=draw(counts()),
        adults=draw(counts()),
        minors=draw(counts()),
        women=draw(counts()),
        men=draw(counts()),
        events=tuple(draw(st.lists(events, max_size=3))),
        released_at=draw(
            st.datetimes(
                min_value=datetime(2000, 1, 1),
                max_value=datetime(2030, 1, 1),
                timezones=_offsets,
            )
        ),
    )


def incident_lists(audience: Audience = "public") -> st.SearchStrategy[list[PublishedIncident]]:
    return st.lists(incidents(audience), max_size=12, unique_by=lambda incident: incident.public_id)


_figure = st.none() | st.integers(0, 30)


@st.composite
def aggregate_inputs(draw: st.DrawFn) -> AggregateInput:
    return AggregateInput(
        public_id=draw(st.text(min_size=1, max_size=6)),
        month=draw(st.sampled_from(["2024-01", "2024-02", "2024-03", ""])),
        country="CN",
        province=draw(st.sampled_from(["Jilin", "Liaoning", "Yunnan", ""])),
        facility=draw(st.sampled_from(["Tumen border detention centre", "Dandong centre", ""])),
        total=draw(_figure),
        adults=draw(_figure),
        minors=draw(st.none() | st.integers(0, 6)),
        women=draw(_figure),
        men=draw(st.none() | st.integers(0, 6)),
    )
