"""Published records as JSON-ready values: the shape of the JSON export and its nested parts.

Dates are ISO 8601 (``2024-04-01``); ``released_at`` is ISO 8601 in UTC with its offset; a
count is ``{"low", "high", "approx", "label"}`` (both bounds null when unknown; ``approx``
true when the source said "about", and then the label starts with "~"); a place carries its
generalised centroid (never a facility's position). Non-finite coordinates become null so
the output stays valid JSON (RFC 8259 has no NaN).
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from typing import Any

from refuge.publish.records import (
    PublishedCount,
    PublishedEvent,
    PublishedIncident,
    PublishedPlace,
    PublishedTable,
)

JSONDict = dict[str, Any]


def iso_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def iso_utc(value: datetime) -> str:
    """An aware datetime as ISO 8601 in UTC (``2024-05-01T09:30:00+00:00``)."""
    return value.astimezone(UTC).isoformat()


def finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def place_dict(place: PublishedPlace) -> JSONDict:
    return {
        "name": place.name,
        "name_ko": place.name_ko,
        "gazetteer_id": place.gazetteer_id,
        "country": place.country,
        "admin1": place.admin1,
        "precision": place.precision,
        "lat": finite(place.lat),
        "lon": finite(place.lon),
    }


def count_dict(count: PublishedCount) -> JSONDict:
    return {"low": count.low, "high": count.high, "approx": count.approx, "label": count.label()}


def event_dict(event: PublishedEvent) -> JSONDict:
    return {
        "order": event.order,
        "type": event.type,
        "date_start": iso_date(event.date_start),
        "date_end": iso_date(event.date_end),
        "date_precision": event.date_precision,
        "place": None if event.place is None else place_dict(event.place),
    }


def incident_dict(incident: PublishedIncident) -> JSONDict:
    return {
        "public_id": incident.public_id,
        "audience": incident.audience,
        "title": incident.title,
        "summary": incident.summary,
        "status": incident.status,
        "event_types": list(incident.event_types),
        "date_start": iso_date(incident.date_start),
        "date_end": iso_date(incident.date_end),
        "date_precision": incident.date_precision,
        "place": None if incident.place is None else place_dict(incident.place),
        "nationality": incident.nationality,
        "total": count_dict(incident.total),
        "adults": count_dict(incident.adults),
        "minors": count_dict(incident.minors),
        "women": count_dict(incident.women),
        "men": count_dict(incident.men),
        "events": [event_dict(event) for event in incident.events],
        "released_at": iso_utc(incident.released_at),
    }


def table_dict(table: PublishedTable) -> JSONDict:
    """A table with one entry per cell; a suppressed cell has ``count`` null."""
    return {
        "name": table.name,
        "dimensions": list(table.dimensions),
        "threshold": table.threshold,
        "rows": [
            {
                "categories": dict(zip(table.dimensions, categories, strict=True)),
                "count": count,
                "suppressed": count is None,
            }
            for categories, count in table.rows
        ],
    }


__all__ = [
    "JSONDict",
    "count_dict",
    "event_dict",
    "finite",
    "incident_dict",
    "iso_date",
    "iso_utc",
    "place_dict",
    "table_dict",
]
