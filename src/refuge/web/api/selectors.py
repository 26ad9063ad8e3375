"""Reads of internal records for the API, always through the disclosure policy.

``policy.visible`` narrows every query to what the token's user may see, and every record
leaves as the dict ``policy.redact`` makes of it, so a field the policy withholds is never
read into an answer. A record the user may not see and one that does not exist both come
back as None: the API answers 404 to both, and a URL tells nothing about what exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from refuge.web.disclosure import policy
from refuge.web.incidents.models import Event, Incident, Person
from refuge.web.sources.models import Source


@dataclass(frozen=True, slots=True)
class Page:
    count: int
    limit: int
    offset: int
    items: list[dict[str, Any]]


def _incidents(user: Any) -> QuerySet[Incident]:
    base = Incident.objects.prefetch_related(
        Prefetch("events", queryset=Event.objects.order_by("order").prefetch_related("places"))
    )
    return policy.visible(user, base)


def _incident_row(user: Any, incident: Incident) -> dict[str, Any]:
    data = policy.redact(user, incident)
    return {
        "public_id": data["public_id"],
        "title": data["title"],
        "summary": data["summary"],
        "status": data["status"],
        "disclosure": data["disclosure"],
        "event_types": list(dict.fromkeys(e.type for e in incident.events.all())),
        "created_at": data["created_at"],
        "updated_at": data["updated_at"],
    }


def incident_page(
    *,
    user: Any,
    limit: int,
    offset: int,
    status: str | None = None,
    event_type: str | None = None,
    country: str | None = None,
    year: int | None = None,
) -> Page:
    """One page of the incidents ``user`` may see, newest first, filtered."""
    queryset = _incidents(user)
    if status:
        queryset = queryset.filter(status=status)
    if event_type:
        queryset = queryset.filter(events__type=event_type)
    if country:
        queryset = queryset.filter(events__places__country=country.upper())
    if year is not None:
        queryset = queryset.filter(events__date_start__year=year)
    if event_type or country or year is not None:
        # Joins through events and places repeat an incident once per match.
        queryset = queryset.distinct()
    queryset = queryset.order_by("-created_at", "-pk")
    count = queryset.count()
    rows = [_incident_row(user, i) for i in queryset[offset : offset + limit]]
    return Page(count=count, limit=limit, offset=offset, items=rows)


def incident_record(*, user: Any, public_id: str) -> Incident | None:
    """The incident (model) ``user`` may see, for a write; None when hidden or absent."""
    incident = policy.visible(user, Incident.objects.all()).filter(public_id=public_id).first()
    if incident is None or not policy.can_view(user, incident):
        return None
    return incident


def _person(user: Any, person: Person) -> dict[str, Any]:
    data = policy.redact(user, person)
    identifying: dict[str, Any] | None = None
    # Present only when redact released them: the policy, not this module, decides.
    if all(name in data for name in Person.IDENTIFYING_FIELDS):
        identifying = {
            name: data[name] if name == "birth_year" else str(data[name] or "")
            for name in Person.IDENTIFYING_FIELDS
        }
    return {
        "public_id": data["public_id"],
        "sex": data["sex"],
        "disclosure": data["disclosure"],
        "identifying": identifying,
    }


def incident_detail(*, user: Any, public_id: str) -> dict[str, Any] | None:
    """An incident with its events, groups, sources and persons, as ``user`` may see them."""
    incident = (
        _incidents(user).prefetch_related("victim_groups").filter(public_id=public_id).first()
    )
    if incident is None or not policy.can_view(user, incident):
        return None
    row = _incident_row(user, incident)
    row["events"] = [
        {
            "order": e.order,
            "type": e.type,
            "date_start": e.date_start,
            "date_end": e.date_end,
            "date_precision": e.date_precision,
            "places": [p.gazetteer_id for p in e.places.all()],
            "place_precision": e.place_precision,
            "facility": e.facility,
        }
        for e in incident.events.all()
    ]
    row["victim_groups"] = [
        {
            "nationality": g.nationality,
            "description": g.description,
            "total_min": g.total_min,
            "total_best": g.total_best,
            "total_max": g.total_max,
            "total_qualifier": g.total_qualifier,
            "adults": g.adults,
            "minors": g.minors,
            "women": g.women,
            "men": g.men,
        }
        for g in incident.victim_groups.all()
    ]
    sources = policy.visible(user, Source.objects.filter(incidents=incident))
    row["sources"] = [str(s.uuid) for s in sources.order_by("pk")]
    persons = policy.visible(user, Person.objects.filter(victimhoods__incident=incident))
    row["persons"] = [_person(user, p) for p in persons.distinct().order_by("public_id")]
    return row


_SOURCE_WITHHOLDABLE = ("title", "author", "url", "text")


def _source_row(user: Any, source: Source, *, with_text: bool) -> dict[str, Any]:
    data = policy.redact(user, source)
    withheld = sorted(policy.identifying_fields(source) - set(data))
    row: dict[str, Any] = {
        "uuid": str(data["uuid"]),
        "disclosure": data["disclosure"],
        "content_class": data["content_class"],
        "kind": data["kind"],
        "sha256": data["sha256"],
        "mime": data["mime"],
        "size": data["size"],
        "outlet": data["outlet"],
        "published": data["published"],
        "language": data["language"],
        "reliability": data["reliability"],
        "credibility": data["credibility"],
        "captured_at": data["captured_at"],
        "withheld": withheld,
    }
    for name in _SOURCE_WITHHOLDABLE:
        if name == "text" and not with_text:
            continue
        value = data.get(name)
        row[name] = None if name in withheld else str(value or "")
    return row


def source_page(*, user: Any, limit: int, offset: int) -> Page:
    queryset = policy.visible(user, Source.objects.all()).order_by("-captured_at", "-pk")
    count = queryset.count()
    rows = [_source_row(user, s, with_text=False) for s in queryset[offset : offset + limit]]
    return Page(count=count, limit=limit, offset=offset, items=rows)


def source_detail(*, user: Any, uuid: str) -> dict[str, Any] | None:
    source = policy.visible(user, Source.objects.all()).filter(uuid=uuid).first()
    if source is None or not policy.can_view(user, source):
        return None
    return _source_row(user, source, with_text=True)
