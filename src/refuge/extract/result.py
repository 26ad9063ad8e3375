"""The extraction result: frozen dataclasses and their JSON rendering.

``Extraction.to_json()`` produces the object of ../shared/contracts/extraction.md
(schema ``refuge.extraction/1``); keys may be added there, never renamed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Span = tuple[int, int]
SCHEMA = "refuge.extraction/1"


@dataclass(frozen=True, slots=True)
class Count:
    """A stated number of people: best value, bounds and how the text qualified it."""

    value: int
    min: int | None
    max: int | None
    qualifier: str

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "min": self.min, "max": self.max, "qualifier": self.qualifier}


@dataclass(frozen=True, slots=True)
class Victims:
    nationality: str | None = None
    total: Count | None = None
    adults: int | None = None
    minors: int | None = None
    women: int | None = None
    men: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "nationality": self.nationality,
            "total": self.total.to_json() if self.total else None,
            "adults": self.adults,
            "minors": self.minors,
            "women": self.women,
            "men": self.men,
        }


@dataclass(frozen=True, slots=True)
class PlaceRef:
    """A gazetteer place (or a country) as one incident uses it, with its role."""

    name: str
    role: str
    kind: str
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    precision: str
    place_id: str | None = None
    # The gazetteer's name where ``name`` is the text's other spelling ("Tantung").
    gazetteer_name: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "role": self.role,
            "kind": self.kind,
            "country": self.country,
            "admin1": self.admin1,
            "lat": self.lat,
            "lon": self.lon,
            "precision": self.precision,
            "place_id": self.place_id,
        }
        if self.gazetteer_name is not None:
            out["gazetteer_name"] = self.gazetteer_name
        return out


@dataclass(frozen=True, slots=True)
class Facility:
    name: str
    place: str | None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "place": self.place}


@dataclass(frozen=True, slots=True)
class When:
    """A date or period, ``start``/``end`` cut to ``precision`` (ISO prefixes).

    An incident's period may begin and end at different precisions ("arrested in October,
    expelled on November 19"): then ``precision`` is the coarser one, each end keeps the
    precision the text gives it, and ``start_precision``/``end_precision`` say which.
    """

    start: str
    end: str
    precision: str
    start_precision: str | None = None
    end_precision: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end, "precision": self.precision}
        if self.start_precision is not None or self.end_precision is not None:
            out["start_precision"] = self.start_precision or self.precision
            out["end_precision"] = self.end_precision or self.precision
        return out


@dataclass(frozen=True, slots=True)
class Event:
    type: str
    places: tuple[int, ...]
    when: When | None

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "places": list(self.places),
            "when": self.when.to_json() if self.when else None,
        }


@dataclass(frozen=True, slots=True)
class SourceRef:
    text: str
    anonymous: bool
    name: str | None
    affiliation: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "anonymous": self.anonymous,
            "name": self.name,
            "affiliation": self.affiliation,
        }


@dataclass(frozen=True, slots=True)
class Incident:
    event_types: tuple[str, ...]
    victims: Victims
    places: tuple[PlaceRef, ...]
    facilities: tuple[Facility, ...]
    destination_country: str | None
    when: When | None
    events: tuple[Event, ...]
    status: str
    sources: tuple[SourceRef, ...]
    # (key, spans) pairs in a stable order; keys follow the contract ("victims.total", ...).
    evidence: tuple[tuple[str, tuple[Span, ...]], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "event_types": list(self.event_types),
            "victims": self.victims.to_json(),
            "places": [p.to_json() for p in self.places],
            "facilities": [f.to_json() for f in self.facilities],
            "destination_country": self.destination_country,
            "when": self.when.to_json() if self.when else None,
            "events": [e.to_json() for e in self.events],
            "status": self.status,
            "sources": [s.to_json() for s in self.sources],
            "evidence": {key: [list(s) for s in spans] for key, spans in self.evidence},
        }


@dataclass(frozen=True, slots=True)
class LegalReference:
    instrument: str
    span: Span

    def to_json(self) -> dict[str, Any]:
        return {"instrument": self.instrument, "span": list(self.span)}


@dataclass(frozen=True, slots=True)
class SensitivityFlag:
    flag: str
    span: Span

    def to_json(self) -> dict[str, Any]:
        return {"flag": self.flag, "span": list(self.span)}


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    language: str
    published: str | None
    title: str | None
    text_sha256: str

    def to_json(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "published": self.published,
            "title": self.title,
            "text_sha256": self.text_sha256,
        }


@dataclass(frozen=True, slots=True)
class Extraction:
    document: DocumentInfo
    incidents: tuple[Incident, ...] = ()
    legal_references: tuple[LegalReference, ...] = ()
    sensitivity_flags: tuple[SensitivityFlag, ...] = ()
    warnings: tuple[str, ...] = field(default=())
    extractor: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "extractor": self.extractor,
            "document": self.document.to_json(),
            "incidents": [i.to_json() for i in self.incidents],
            "legal_references": [r.to_json() for r in self.legal_references],
            "sensitivity_flags": [f.to_json() for f in self.sensitivity_flags],
            "warnings": list(self.warnings),
        }
