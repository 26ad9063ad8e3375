"""Reads of incidents, always through the disclosure policy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from refuge.periods import enclosing
from refuge.web.disclosure import policy
from refuge.web.incidents.models import Event, Incident, IncidentSource, VictimGroup


@dataclass(frozen=True)
class IncidentRow:
    """One line of the incident list: what a reader scans for."""

    public_id: str
    title: str
    status: str
    when: str
    places: list[str]
    total: str
    minors: int | None
    event_types: list[str]


def _base() -> QuerySet[Incident]:
    return Incident.objects.prefetch_related(
        Prefetch("events", queryset=Event.objects.order_by("order").prefetch_related("places")),
        "victim_groups",
    )


def format_total(group: VictimGroup) -> str:
    """ "70", "about 600", "over 500", "50–60" from a group's figures and qualifier."""
    if group.total_best is None and group.total_min is None and group.total_max is None:
        return "unknown"
    q = group.total_qualifier
    if q == "range":
        return f"{group.total_min}–{group.total_max}"
    value = group.total_best if group.total_best is not None else group.total_min
    prefix = {"approx": "about ", "at_least": "at least ", "at_most": "at most "}.get(q, "")
    return f"{prefix}{value}"


def _row(incident: Incident) -> IncidentRow:
    events = list(incident.events.all())
    period = enclosing([e.period for e in events if e.period is not None])
    places: list[str] = []
    for event in events:
        for place in event.places.all():
            if place.name not in places:
                places.append(place.name)
    groups = list(incident.victim_groups.all())
    return IncidentRow(
        public_id=incident.public_id,
        title=incident.title,
        status=incident.get_status_display(),
        when=period.render() if period else "",
        places=places,
        total=", ".join(format_total(g) for g in groups) or "unknown",
        minors=sum(g.minors for g in groups if g.minors is not None)
        if any(g.minors is not None for g in groups)
        else None,
        event_types=list(dict.fromkeys(e.get_type_display() for e in events)),
    )


def incident_list(*, user: Any) -> list[IncidentRow]:
    """The incidents ``user`` may see, newest first, as rows for the list page."""
    return [_row(i) for i in policy.visible(user, _base())]


def incident_get(*, user: Any, public_id: str) -> Incident | None:
    """One incident with its events, groups and sources, or None when hidden or absent.

    Hidden and absent look the same to the caller (both answer 404), so that a URL cannot
    be used to learn that a record exists.
    """
    incident = (
        policy.visible(user, _base())
        .prefetch_related(
            Prefetch(
                "incidentsource_set", queryset=IncidentSource.objects.select_related("source")
            ),
            "events__actors",
            "events__claims__source",
            "victim_groups__figure_claims__claim__source",
        )
        .filter(public_id=public_id)
        .first()
    )
    if incident is None or not policy.can_view(user, incident):
        return None
    return incident


@dataclass(frozen=True)
class Evidence:
    """A claim as a reader sees it: the source and the quoted words, if they may see them."""

    source_title: str
    quote: str | None
    review_status: str


@dataclass(frozen=True)
class EventView:
    order: int
    type: str
    when: str
    places: list[str]
    place_precision: str
    facility: str
    actors: list[str]
    evidence: list[Evidence]


@dataclass(frozen=True)
class FigureView:
    label: str
    value: str
    evidence: list[Evidence]


@dataclass(frozen=True)
class GroupView:
    description: str
    nationality: str
    figures: list[FigureView]


@dataclass(frozen=True)
class SourceView:
    title: str
    outlet: str
    published: str
    relation: str
    reliability: str
    language: str


@dataclass(frozen=True)
class IncidentDetail:
    public_id: str
    title: str
    summary: str
    status: str
    events: list[EventView]
    groups: list[GroupView]
    sources: list[SourceView]


def _evidence(user: Any, claim: Any) -> Evidence:
    source_fields = policy.redact(user, claim.source)
    text = source_fields.get("text")
    quote = text[claim.span_start : claim.span_end] if isinstance(text, str) else None
    return Evidence(
        source_title=source_fields.get("title") or "untitled source",
        quote=quote,
        review_status=claim.get_review_status_display(),
    )


def incident_detail(*, user: Any, public_id: str) -> IncidentDetail | None:
    """The incident page's content with every field passed through the policy."""
    incident = incident_get(user=user, public_id=public_id)
    if incident is None:
        return None
    events = [
        EventView(
            order=e.order,
            type=e.get_type_display(),
            when=e.period.render() if e.period else "date unknown",
            places=[p.name for p in e.places.all()],
            place_precision=e.get_place_precision_display() if e.place_precision else "",
            facility=e.facility,
            actors=[a.name for a in e.actors.all()],
            evidence=[_evidence(user, c) for c in e.claims.all()],
        )
        for e in incident.events.all()
    ]
    groups = []
    for g in incident.victim_groups.all():
        links = list(g.figure_claims.all())
        figures = [
            FigureView(
                "Total",
                format_total(g),
                [_evidence(user, fc.claim) for fc in links if fc.figure == "total"],
            )
        ]
        for name in ("adults", "minors", "women", "men"):
            value = getattr(g, name)
            if value is None:
                continue
            figures.append(
                FigureView(
                    name.capitalize(),
                    str(value),
                    [_evidence(user, fc.claim) for fc in links if fc.figure == name],
                )
            )
        groups.append(GroupView(g.description, g.nationality, figures))
    sources = [
        SourceView(
            title=policy.redact(user, link.source).get("title") or "untitled source",
            outlet=link.source.outlet,
            published=link.source.published.isoformat() if link.source.published else "",
            relation=link.get_relation_display(),
            reliability=f"{link.source.reliability or '?'}{link.source.credibility or '?'}",
            language=link.source.language,
        )
        for link in incident.incidentsource_set.all()
        if policy.can_view(user, link.source)
    ]
    return IncidentDetail(
        public_id=incident.public_id,
        title=incident.title,
        summary=incident.summary,
        status=incident.get_status_display(),
        events=events,
        groups=groups,
        sources=sources,
    )


__all__ = [
    "IncidentDetail",
    "IncidentRow",
    "format_total",
    "incident_detail",
    "incident_get",
    "incident_list",
]
