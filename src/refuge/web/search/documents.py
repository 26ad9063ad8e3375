"""What of a source or an incident goes into the index: the one place that decides it.

Only fields that every reader of the record may see are used. Never: a confidential
source's text, title, author or any other encrypted field; a person's fields (incidents
are indexed without their victims' identities); claims (their values can quote a
confidential text). See docs/search.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from refuge.search import index_terms, normal_label


@dataclass(frozen=True, slots=True)
class IndexEntry:
    kind: str
    object_id: int
    team_id: int | None
    disclosure: str
    sort_date: date
    date_start: date | None
    date_end: date | None
    terms: str
    facets: frozenset[tuple[str, str]]


def _facet(name: str, value: object) -> tuple[str, str] | None:
    if value is None:
        return None
    text = normal_label(str(value))
    return (name, text[:300]) if text else None


def _facets(*pairs: tuple[str, object]) -> frozenset[tuple[str, str]]:
    return frozenset(f for name, value in pairs if (f := _facet(name, value)) is not None)


def source_entry(source: Any) -> IndexEntry:
    """The index entry of a source; a confidential one has facets but no terms at all."""
    # Deny by default: only a source marked published contributes text, whatever else a
    # future content class may be called.
    published = source.content_class == "published"
    terms = ""
    if published:
        text = "\n".join(str(part) for part in (source.title, source.outlet, source.text) if part)
        terms = " ".join(index_terms(text, source.language or None))
    day = source.published
    return IndexEntry(
        kind="source",
        object_id=source.pk,
        team_id=source.team_id,
        disclosure=source.disclosure,
        sort_date=day or source.captured_at.date(),
        date_start=day,
        date_end=day,
        terms=terms,
        facets=_facets(
            ("kind", "source"),
            ("level", source.disclosure),
            ("outlet", source.outlet),
            ("reliability", source.reliability),
            ("language", source.language),
        ),
    )


def _minors(groups: list[Any]) -> str | None:
    """ "yes" if any group counts minors, "no" if all stated counts are zero, else unknown."""
    stated = [g.minors for g in groups if g.minors is not None]
    if any(n > 0 for n in stated):
        return "yes"
    return "no" if stated else None


def incident_entry(incident: Any) -> IndexEntry:
    """The index entry of an incident: title, summary, places, facilities, group labels.

    Expects ``events__places`` and ``victim_groups`` prefetched when called in bulk.
    """
    events = list(incident.events.all())
    groups = list(incident.victim_groups.all())
    words: list[str] = [incident.public_id, incident.title, incident.summary]
    pairs: list[tuple[str, object]] = [
        ("kind", "incident"),
        ("level", incident.disclosure),
        ("status", incident.status),
        ("minors", _minors(groups)),
    ]
    starts: list[date] = []
    ends: list[date] = []
    for event in events:
        pairs.append(("event_type", event.type))
        pairs.append(("facility", event.facility))
        words.append(event.facility)
        if event.date_start is not None:
            starts.append(event.date_start)
            ends.append(event.date_end or event.date_start)
        for place in event.places.all():
            pairs += [
                ("country", place.country),
                ("admin1", place.admin1),
                ("place", place.gazetteer_id),
            ]
            words += [place.name, place.name_ko, place.name_zh, place.admin1]
    words += [g.description for g in groups]
    text = "\n".join(w for w in words if w)
    first = min(starts) if starts else None
    return IndexEntry(
        kind="incident",
        object_id=incident.pk,
        team_id=incident.team_id,
        disclosure=incident.disclosure,
        sort_date=first or incident.created_at.date(),
        date_start=first,
        date_end=max(ends) if ends else None,
        terms=" ".join(index_terms(text)),
        facets=_facets(*pairs),
    )
