"""The sample data set as frozen records, ready for the web loader to copy into the database.

Keys (``s01``, ``i01``, ``p01``, actor slugs) only link records inside the sample; the
loader gives every stored row its own id. Dates of events stay ISO prefixes ("2024",
"2024-04", "2024-04-12") at their stated precision, never widened into days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class SampleSource:
    key: str
    file: str
    title: str
    outlet: str
    author: str | None
    url: str | None
    published: date
    language: str
    reliability: str
    credibility: int
    content_class: str
    text: str


@dataclass(frozen=True, slots=True)
class SampleActor:
    key: str
    name: str
    kind: str
    country: str
    parent: str | None


@dataclass(frozen=True, slots=True)
class SampleClaim:
    """One fact stated by one source; ``span`` is ``[start, end)`` in code points of its text."""

    field: str
    source: str
    quote: str
    span: tuple[int, int]
    value: int | None = None


@dataclass(frozen=True, slots=True)
class SampleCount:
    min: int
    best: int
    max: int
    qualifier: str


@dataclass(frozen=True, slots=True)
class SampleVictimGroup:
    nationality: str
    description: str
    total: SampleCount | None
    adults: int | None
    minors: int | None
    women: int | None
    men: int | None
    claims: tuple[SampleClaim, ...]


@dataclass(frozen=True, slots=True)
class SamplePlace:
    name: str
    country: str


@dataclass(frozen=True, slots=True)
class SampleEvent:
    """One act in an incident; several ``places`` are alternatives ("Tumen or Hunchun")."""

    order: int
    type: str
    date_start: str | None
    date_end: str | None
    date_precision: str | None
    places: tuple[SamplePlace, ...]
    place_precision: str | None
    facility: str | None
    actors: tuple[str, ...]
    claims: tuple[SampleClaim, ...]


@dataclass(frozen=True, slots=True)
class SampleIncidentSource:
    source: str
    relation: str


@dataclass(frozen=True, slots=True)
class SampleIncident:
    key: str
    title: str
    summary: str
    status: str
    sources: tuple[SampleIncidentSource, ...]
    victim_groups: tuple[SampleVictimGroup, ...]
    events: tuple[SampleEvent, ...]


@dataclass(frozen=True, slots=True)
class SamplePersonEvent:
    incident: str
    event_order: int
    role: str


@dataclass(frozen=True, slots=True)
class SamplePerson:
    key: str
    public_id: str
    name: str
    name_ko: str | None
    sex: str | None
    birth_year: int | None
    hometown: str | None
    notes: str
    events: tuple[SamplePersonEvent, ...]


@dataclass(frozen=True, slots=True)
class SampleRelease:
    """An incident released to an audience, with the public text written for it."""

    incident: str
    audience: str  # "public" or "partners"
    public_title: str
    public_summary: str


@dataclass(frozen=True, slots=True)
class SampleEmbargo:
    """An embargo on an incident: until a day ("YYYY-MM-DD") and/or a condition."""

    incident: str
    until: str | None
    condition: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class SampleData:
    notice: str
    sources: tuple[SampleSource, ...]
    actors: tuple[SampleActor, ...]
    incidents: tuple[SampleIncident, ...]
    persons: tuple[SamplePerson, ...]
    # The demo of publishing (docs/publishing.md): releases and embargoes of incidents.
    releases: tuple[SampleRelease, ...] = ()
    embargoes: tuple[SampleEmbargo, ...] = ()

    def source(self, key: str) -> SampleSource:
        """The source with ``key``; KeyError if there is none."""
        for source in self.sources:
            if source.key == key:
                return source
        raise KeyError(key)


__all__ = [
    "SampleActor",
    "SampleClaim",
    "SampleCount",
    "SampleData",
    "SampleEmbargo",
    "SampleEvent",
    "SampleIncident",
    "SampleIncidentSource",
    "SamplePerson",
    "SamplePersonEvent",
    "SamplePlace",
    "SampleRelease",
    "SampleSource",
    "SampleVictimGroup",
]
