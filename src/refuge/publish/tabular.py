"""One flat row per published incident: the columns of the CSV and XLSX exports.

The GeoJSON export uses the same names for its feature properties. ``INCIDENT_COLUMNS``
lists them in order with their kind and meaning; ``docs/publishing.md`` documents the same
list (a test keeps the two in step). A *number* column holds a number or nothing and is never
escaped; a *text* column is escaped against formulas when written (``refuge.publish.spreadsheet``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal

from refuge.publish.jsonform import event_dict, finite, iso_date, iso_utc
from refuge.publish.records import PublishedCount, PublishedIncident, PublishedPlace
from refuge.publish.spreadsheet import Cell

# Event types are vocabulary words (refuge.vocabulary.EVENT_TYPES): none holds this character.
LIST_SEPARATOR: Final = ";"

ColumnKind = Literal["text", "number"]


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: ColumnKind
    meaning: str
    get: Callable[[PublishedIncident], Cell]


def _place(get: Callable[[PublishedPlace], Cell]) -> Callable[[PublishedIncident], Cell]:
    return lambda incident: None if incident.place is None else get(incident.place)


def _place_text(get: Callable[[PublishedPlace], str]) -> Callable[[PublishedIncident], Cell]:
    # A text column is "" rather than empty-and-None when there is no place, as in the CSV.
    return lambda incident: "" if incident.place is None else get(incident.place)


def _count_columns(field: str) -> tuple[Column, ...]:
    def count(incident: PublishedIncident) -> PublishedCount:
        value: PublishedCount = getattr(incident, field)
        return value

    return (
        Column(
            field,
            "text",
            f"{field} as shown: exact (12), a range (1–4), open (3+, ≤4), approximate (~600) "
            "or empty if unknown",
            lambda incident: count(incident).label(),
        ),
        Column(f"{field}_low", "number", f"lower bound of {field}", lambda i: count(i).low),
        Column(f"{field}_high", "number", f"upper bound of {field}", lambda i: count(i).high),
    )


def _events_json(incident: PublishedIncident) -> str:
    return json.dumps(
        [event_dict(event) for event in incident.events],
        ensure_ascii=False,
        separators=(",", ":"),
        allow_nan=False,
    )


INCIDENT_COLUMNS: Final[tuple[Column, ...]] = (
    Column("public_id", "text", "the incident's public id", lambda i: i.public_id),
    Column(
        "audience", "text", "public or partners: whose rules generalised it", lambda i: i.audience
    ),
    Column("title", "text", "the public title an editor wrote at release", lambda i: i.title),
    Column("summary", "text", "the public summary an editor wrote, or empty", lambda i: i.summary),
    Column("status", "text", "status word (refuge.vocabulary.STATUSES)", lambda i: i.status),
    Column(
        "event_types",
        "text",
        f"event types, separated by '{LIST_SEPARATOR}'",
        lambda i: LIST_SEPARATOR.join(i.event_types),
    ),
    Column(
        "date_start",
        "text",
        "first day of the period (ISO 8601)",
        lambda i: iso_date(i.date_start) or "",
    ),
    Column(
        "date_end",
        "text",
        "last day of the period (ISO 8601)",
        lambda i: iso_date(i.date_end) or "",
    ),
    Column(
        "date_precision", "text", "day, month or year after coarsening", lambda i: i.date_precision
    ),
    Column("place_name", "text", "generalised place (English)", _place_text(lambda p: p.name)),
    Column("place_name_ko", "text", "generalised place (Korean)", _place_text(lambda p: p.name_ko)),
    Column(
        "place_gazetteer_id",
        "text",
        "gazetteer id of that place",
        _place_text(lambda p: p.gazetteer_id),
    ),
    Column("place_country", "text", "ISO 3166-1 alpha-2 country", _place_text(lambda p: p.country)),
    Column(
        "place_admin1",
        "text",
        "province or state, empty when coarsened to the country",
        _place_text(lambda p: p.admin1),
    ),
    Column(
        "place_precision",
        "text",
        "precision of the place (admin1, country, ...)",
        _place_text(lambda p: p.precision),
    ),
    Column(
        "place_lat",
        "number",
        "latitude of the place's centroid (WGS 84)",
        _place(lambda p: finite(p.lat)),
    ),
    Column(
        "place_lon",
        "number",
        "longitude of the place's centroid (WGS 84)",
        _place(lambda p: finite(p.lon)),
    ),
    Column("nationality", "text", "nationality of the people concerned", lambda i: i.nationality),
    *_count_columns("total"),
    *_count_columns("adults"),
    *_count_columns("minors"),
    *_count_columns("women"),
    *_count_columns("men"),
    Column("events", "text", "the timeline as a JSON array (as in the JSON export)", _events_json),
    Column(
        "released_at",
        "text",
        "when it was released (ISO 8601, UTC)",
        lambda i: iso_utc(i.released_at),
    ),
)

# Not derived from the incident: the recipient-specific id of a partner export, on every row
# so that rows copied out of the file still say which export they came from.
EXPORT_ID_COLUMN: Final = Column(
    "export_id", "text", "the export's id (partner exports: recipient-specific)", lambda i: ""
)

COLUMN_NAMES: Final[tuple[str, ...]] = (
    *(column.name for column in INCIDENT_COLUMNS),
    EXPORT_ID_COLUMN.name,
)


def incident_row(incident: PublishedIncident, *, export_id: str | None) -> list[Cell]:
    """The cells of one incident, in ``COLUMN_NAMES`` order, not yet escaped."""
    return [column.get(incident) for column in INCIDENT_COLUMNS] + [export_id or ""]


__all__ = [
    "COLUMN_NAMES",
    "EXPORT_ID_COLUMN",
    "INCIDENT_COLUMNS",
    "LIST_SEPARATOR",
    "Column",
    "incident_row",
]
