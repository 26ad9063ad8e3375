"""Records to export and readers that parse the exports back, for tests/publish/test_exports.py.

The readers are written here, independently of ``refuge.publish.exports``, from the format
as ``docs/publishing.md`` documents it: a round trip through them checks the documentation
as much as the writer.

Strategies: ``incidents()`` draws generalised records with any text in the free-text fields
(hypothesis' default alphabet: every Unicode character but surrogates), counts that are
exact, ranges, open or unknown, and places with or without coordinates.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from openpyxl import load_workbook

from refuge.publish.records import (
    Audience,
    PublishedCount,
    PublishedEvent,
    PublishedIncident,
    PublishedPlace,
    PublishedTable,
)
from refuge.vocabulary import DATE_PRECISIONS, EVENT_TYPES, STATUSES

GENERATED_AT = datetime(2024, 5, 2, 8, 30, tzinfo=UTC)

# --- fixed records -----------------------------------------------------------------------

JILIN = PublishedPlace(
    name="Jilin",
    name_ko="지린성",
    gazetteer_id="cn-jl",
    country="CN",
    admin1="Jilin",
    precision="admin1",
    lat=43.17,
    lon=126.55,
)
NO_COORDINATES = PublishedPlace(
    name="China",
    name_ko="중국",
    gazetteer_id="cn",
    country="CN",
    admin1="",
    precision="country",
    lat=None,
    lon=None,
)

ABOUT_600 = PublishedCount(600, 600, approx=True)
ONE_TO_FOUR = PublishedCount(1, 4)


def incident(
    public_id: str = "INC-0001",
    *,
    audience: Audience = "public",
    title: str = "Sixty people returned from Tumen",
    place: PublishedPlace | None = JILIN,
    total: PublishedCount = ABOUT_600,
    minors: PublishedCount = ONE_TO_FOUR,
) -> PublishedIncident:
    return PublishedIncident(
        public_id=public_id,
        audience=audience,
        title=title,
        summary="탈북민 약 60명이 강제 북송되었다.",
        status="repatriated",
        event_types=("arrest", "repatriation"),
        date_start=date(2024, 4, 1),
        date_end=date(2024, 4, 30),
        date_precision="month",
        place=place,
        nationality="KP",
        total=total,
        adults=PublishedCount(None, None),
        minors=minors,
        women=PublishedCount(3, None),
        men=PublishedCount(None, 40),
        events=(
            PublishedEvent(1, "arrest", date(2024, 4, 1), date(2024, 4, 30), "month", place),
            PublishedEvent(2, "repatriation", None, None, "", None),
        ),
        released_at=datetime(2024, 5, 1, 9, 0, tzinfo=UTC),
    )


def table(name: str = "by_month") -> PublishedTable:
    return PublishedTable(
        name=name,
        dimensions=("province", "month"),
        rows=(
            (("Jilin", "2024-04"), 12),
            (("Jilin", "2024-05"), None),
            (("Liaoning", "2024-04"), 0),
        ),
        threshold=5,
    )


# --- strategies --------------------------------------------------------------------------

_short_text = st.text(max_size=40)
_dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31))


@st.composite
def counts(draw: st.DrawFn) -> PublishedCount:
    low = draw(st.none() | st.integers(min_value=0, max_value=10_000))
    if low is None:
        high = draw(st.none() | st.integers(min_value=0, max_value=10_000))
    else:
        high = draw(st.none() | st.integers(min_value=low, max_value=low + 10))
    # An unknown count has nothing to be approximate about.
    approx = (low is not None or high is not None) and draw(st.booleans())
    return PublishedCount(low, high, approx)


@st.composite
def places(draw: st.DrawFn) -> PublishedPlace:
    with_coordinates = draw(st.booleans())
    return PublishedPlace(
        # A place always has a name: a nameless place is no place (and reads back as none).
        name=draw(st.text(min_size=1, max_size=30)),
        name_ko=draw(_short_text),
        gazetteer_id=draw(_short_text),
        country=draw(st.sampled_from(["CN", "KP", "RU", "LA", "TH", ""])),
        admin1=draw(_short_text),
        precision=draw(st.sampled_from(["admin1", "country", "region"])),
        lat=draw(st.floats(-90, 90, allow_nan=False)) if with_coordinates else None,
        lon=draw(st.floats(-180, 180, allow_nan=False)) if with_coordinates else None,
    )


@st.composite
def events(draw: st.DrawFn, order: int) -> PublishedEvent:
    start = draw(st.none() | _dates)
    end = None if start is None else start + timedelta(days=draw(st.integers(0, 400)))
    return PublishedEvent(
        order=order,
        type=draw(st.sampled_from(EVENT_TYPES)),
        date_start=start,
        date_end=end,
        date_precision="" if start is None else draw(st.sampled_from(DATE_PRECISIONS)),
        place=draw(st.none() | places()),
    )


@st.composite
def incidents(draw: st.DrawFn, public_id: str, audience: Audience = "public") -> PublishedIncident:
    start = draw(st.none() | _dates)
    n_events = draw(st.integers(0, 3))
    return PublishedIncident(
        public_id=public_id,
        audience=audience,
        title=draw(st.text(max_size=80)),
        summary=draw(st.text(max_size=200)),
        status=draw(st.sampled_from(STATUSES)),
        event_types=tuple(draw(st.lists(st.sampled_from(EVENT_TYPES), max_size=3, unique=True))),
        date_start=start,
        date_end=start,
        date_precision="" if start is None else draw(st.sampled_from(DATE_PRECISIONS)),
        place=draw(st.none() | places()),
        nationality=draw(_short_text),
        total=draw(counts()),
        adults=draw(counts()),
        minors=draw(counts()),
        women=draw(counts()),
        men=draw(counts()),
        events=tuple(draw(events(order)) for order in range(1, n_events + 1)),
        released_at=draw(
            st.datetimes(
                min_value=datetime(2000, 1, 1),
                max_value=datetime(2030, 1, 1),
                timezones=st.just(UTC),
            )
        ),
    )


@st.composite
def incident_lists(draw: st.DrawFn, audience: Audience = "public") -> list[PublishedIncident]:
    n = draw(st.integers(0, 4))
    return [draw(incidents(f"INC-{i:04d}", audience)) for i in range(n)]


# --- readers -------------------------------------------------------------------------------


def unescape(text: str) -> str:
    """The documented rule: a text cell that begins with an apostrophe lost one on reading."""
    return text[1:] if text.startswith("'") else text


def _num(text: Any) -> Any:
    if text is None or text == "":
        return None
    if isinstance(text, int | float):
        return text
    number = float(text)
    return int(number) if number.is_integer() and "." not in text and "e" not in text else number


def _int(value: Any) -> int | None:
    number = _num(value)
    return None if number is None else int(number)


def _float(value: Any) -> float | None:
    number = _num(value)
    return None if number is None else float(number)


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def place_from_json(data: dict[str, Any] | None) -> PublishedPlace | None:
    if data is None:
        return None
    return PublishedPlace(
        name=data["name"],
        name_ko=data["name_ko"],
        gazetteer_id=data["gazetteer_id"],
        country=data["country"],
        admin1=data["admin1"],
        precision=data["precision"],
        lat=data["lat"],
        lon=data["lon"],
    )


def event_from_json(data: dict[str, Any]) -> PublishedEvent:
    return PublishedEvent(
        order=data["order"],
        type=data["type"],
        date_start=_date(data["date_start"]),
        date_end=_date(data["date_end"]),
        date_precision=data["date_precision"],
        place=place_from_json(data["place"]),
    )


def count_from_json(data: dict[str, Any]) -> PublishedCount:
    count = PublishedCount(data["low"], data["high"], data["approx"])
    assert data["label"] == count.label()
    return count


def incident_from_json(data: dict[str, Any]) -> PublishedIncident:
    return PublishedIncident(
        public_id=data["public_id"],
        audience=data["audience"],
        title=data["title"],
        summary=data["summary"],
        status=data["status"],
        event_types=tuple(data["event_types"]),
        date_start=_date(data["date_start"]),
        date_end=_date(data["date_end"]),
        date_precision=data["date_precision"],
        place=place_from_json(data["place"]),
        nationality=data["nationality"],
        total=count_from_json(data["total"]),
        adults=count_from_json(data["adults"]),
        minors=count_from_json(data["minors"]),
        women=count_from_json(data["women"]),
        men=count_from_json(data["men"]),
        events=tuple(event_from_json(event) for event in data["events"]),
        released_at=datetime.fromisoformat(data["released_at"]),
    )


def table_from_json(data: dict[str, Any]) -> PublishedTable:
    dimensions = tuple(data["dimensions"])
    rows = []
    for row in data["rows"]:
        assert row["suppressed"] == (row["count"] is None)
        rows.append((tuple(row["categories"][d] for d in dimensions), row["count"]))
    return PublishedTable(data["name"], dimensions, tuple(rows), data["threshold"])


def incident_from_row(row: dict[str, Any], *, text: Any = unescape) -> PublishedIncident:
    """One incident from a flat row (CSV, XLSX or GeoJSON properties)."""

    def t(name: str) -> str:
        value = row[name]
        return "" if value is None else text(value)

    place = None
    if t("place_name"):
        place = PublishedPlace(
            name=t("place_name"),
            name_ko=t("place_name_ko"),
            gazetteer_id=t("place_gazetteer_id"),
            country=t("place_country"),
            admin1=t("place_admin1"),
            precision=t("place_precision"),
            lat=_float(row["place_lat"]),
            lon=_float(row["place_lon"]),
        )

    def count(name: str) -> PublishedCount:
        # The documented rule: a label starting with "~" is an approximate figure.
        approx = t(name).startswith("~")
        value = PublishedCount(_int(row[f"{name}_low"]), _int(row[f"{name}_high"]), approx)
        assert t(name) == value.label()
        return value

    event_types = row["event_types"]
    if isinstance(event_types, str | None):
        event_types = [part for part in t("event_types").split(";") if part]
    raw_events = row["events"]
    events = json.loads(t("events")) if isinstance(raw_events, str) else raw_events
    return PublishedIncident(
        public_id=t("public_id"),
        audience=t("audience"),  # type: ignore[arg-type]
        title=t("title"),
        summary=t("summary"),
        status=t("status"),
        event_types=tuple(event_types),
        date_start=_date(t("date_start")),
        date_end=_date(t("date_end")),
        date_precision=t("date_precision"),
        place=place,
        nationality=t("nationality"),
        total=count("total"),
        adults=count("adults"),
        minors=count("minors"),
        women=count("women"),
        men=count("men"),
        events=tuple(event_from_json(event) for event in events),
        released_at=datetime.fromisoformat(t("released_at")),
    )


def csv_rows(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "the CSV starts with a UTF-8 byte order mark"
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def xlsx_sheets(path: Path) -> dict[str, list[list[Any]]]:
    book = load_workbook(path)
    return {
        sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()]
        for sheet in book.worksheets
    }


def xlsx_records(path: Path, sheet: str = "incidents") -> list[dict[str, Any]]:
    rows = xlsx_sheets(path)[sheet]
    header = rows[0]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]
