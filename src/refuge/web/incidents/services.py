"""Writes of incidents and their parts; every rule is checked by ``full_clean`` first.

Services take keyword-only arguments and are the only code that saves these models, so the
validation rules (refuge.periods, refuge.counts) and, later, permission checks and audit
entries apply to every write, whichever screen or command asked for it.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db import transaction

from refuge.gazetteer import Gazetteer
from refuge.web.audit.services import audit_change
from refuge.web.incidents.models import (
    Actor,
    Claim,
    Event,
    Incident,
    IncidentSource,
    Person,
    PersonNameTerm,
    Place,
    VictimFigureClaim,
    VictimGroup,
    Victimhood,
)
from refuge.web.sources.models import Source

# Crockford's base32 without I, L, O, U: ids read aloud over a phone line are not misheard.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _reindex(incident: Incident) -> None:
    """Keep the search index in step with the record (see refuge.web.search)."""
    from refuge.web.search.services import search_index_incident

    search_index_incident(incident=incident)


def new_public_id(prefix: str) -> str:
    """A random public id ("I-7K2M9Q4R"): it carries no date, place or sequence to infer."""
    return f"{prefix}-" + "".join(secrets.choice(_ALPHABET) for _ in range(8))


def place_sync(*, gazetteer: Gazetteer) -> tuple[int, int]:
    """Create or update the Place table from the gazetteer; (created, updated)."""
    created = updated = 0
    with transaction.atomic():
        by_id = {p.gazetteer_id: p for p in Place.objects.all()}
        for entry in gazetteer:
            fields = {
                "name": entry.name,
                "name_ko": entry.name_ko or "",
                "name_zh": entry.name_zh or "",
                "variants": list(entry.variants),
                "kind": entry.kind,
                "precision": entry.precision,
                "country": entry.country,
                "admin1": entry.admin1 or "",
                "lat": entry.lat,
                "lon": entry.lon,
                "source": entry.source[:500],
            }
            place = by_id.get(entry.id)
            if place is None:
                place = Place(gazetteer_id=entry.id, **fields)
                place.full_clean(exclude=["parent"])
                place.save()
                by_id[entry.id] = place
                created += 1
            elif any(getattr(place, k) != v for k, v in fields.items()):
                for k, v in fields.items():
                    setattr(place, k, v)
                place.full_clean(exclude=["parent"])
                place.save()
                updated += 1
        # Parents second: a child may come before its parent in the file.
        for entry in gazetteer:
            parent = by_id.get(entry.parent_id) if entry.parent_id else None
            place = by_id[entry.id]
            if place.parent_id != (parent.pk if parent else None):
                place.parent = parent
                place.save(update_fields=["parent"])
    return created, updated


def place_for(gazetteer_id: str) -> Place | None:
    """The Place row of a gazetteer id, added from the gazetteer if the table lacks it."""
    from refuge.errors import GazetteerError
    from refuge.gazetteer import default_gazetteer

    place = Place.objects.filter(gazetteer_id=gazetteer_id).first()
    if place is not None:
        return place
    try:
        entry = default_gazetteer().get(gazetteer_id)
    except GazetteerError:
        return None
    place = Place(
        gazetteer_id=entry.id,
        name=entry.name,
        name_ko=entry.name_ko or "",
        name_zh=entry.name_zh or "",
        variants=list(entry.variants),
        kind=entry.kind,
        precision=entry.precision,
        country=entry.country,
        admin1=entry.admin1 or "",
        lat=entry.lat,
        lon=entry.lon,
        source=entry.source[:500],
    )
    place.full_clean(exclude=["parent"])
    place.save()
    return place


def actor_get_or_create(
    *, name: str, kind: str = "institution", country: str = "", parent: Actor | None = None
) -> Actor:
    actor = Actor.objects.filter(name=name, country=country).first()
    if actor is None:
        actor = Actor(name=name, kind=kind, country=country, parent=parent)
        actor.full_clean()
        actor.save()
    return actor


def claim_create(
    *,
    source: Source,
    field: str,
    value: Any,
    span: tuple[int, int],
    extractor_version: str,
    confidence: float = 1.0,
    review_status: str = Claim.Review.PROPOSED,
    reviewer: Any = None,
) -> Claim:
    claim = Claim(
        source=source,
        field=field,
        value=value,
        span_start=span[0],
        span_end=span[1],
        extractor_version=extractor_version,
        confidence=confidence,
        review_status=review_status,
        reviewer=reviewer,
    )
    claim.full_clean()
    claim.seal_values()
    claim.save()
    return claim


def incident_create(
    *,
    title: str,
    team: Any,
    summary: str = "",
    status: str = "unknown",
    disclosure: str = "team",
    sources: Iterable[tuple[Source, str]] = (),
) -> Incident:
    """A new incident, linked to its sources with their relation (reports, contradicts...)."""
    with transaction.atomic():
        incident = Incident(
            public_id=new_public_id("I"),
            title=title,
            summary=summary,
            status=status,
            team=team,
            disclosure=disclosure,
        )
        incident.full_clean()
        incident.save()
        for source, relation in sources:
            link = IncidentSource(incident=incident, source=source, relation=relation)
            link.full_clean()
            link.save()
    audit_change(obj=incident, before=None)
    _reindex(incident)
    return incident


def event_create(
    *,
    incident: Incident,
    order: int,
    type: str,
    date_start: date | None = None,
    date_end: date | None = None,
    date_precision: str = "",
    places: Sequence[Place] = (),
    place_precision: str = "",
    facility: str = "",
    actors: Sequence[Actor] = (),
    claims: Sequence[Claim] = (),
) -> Event:
    """One event; several places are alternatives, not a route."""
    with transaction.atomic():
        event = Event(
            incident=incident,
            order=order,
            type=type,
            date_start=date_start,
            date_end=date_end,
            date_precision=date_precision,
            place_precision=place_precision,
            facility=facility,
        )
        event.full_clean()
        event.save()
        event.places.set(places)
        event.actors.set(actors)
        event.claims.set(claims)
    audit_change(obj=event, before=None)
    _reindex(event.incident)
    return event


def victim_group_create(
    *,
    incident: Incident,
    nationality: str = "",
    description: str = "",
    total: tuple[int | None, int | None, int | None] = (None, None, None),
    qualifier: str = "",
    adults: int | None = None,
    minors: int | None = None,
    women: int | None = None,
    men: int | None = None,
    figure_claims: Iterable[tuple[str, Claim]] = (),
) -> VictimGroup:
    """A victim group; ``figure_claims`` pairs a figure name ("total", "minors") with a claim."""
    with transaction.atomic():
        group = VictimGroup(
            incident=incident,
            nationality=nationality,
            description=description,
            total_min=total[0],
            total_best=total[1],
            total_max=total[2],
            total_qualifier=qualifier,
            adults=adults,
            minors=minors,
            women=women,
            men=men,
        )
        group.full_clean()
        group.save()
        for figure, claim in figure_claims:
            link = VictimFigureClaim(victim_group=group, claim=claim, figure=figure)
            link.full_clean()
            link.save()
    audit_change(obj=group, before=None)
    _reindex(group.incident)
    return group


def person_create(
    *,
    team: Any,
    disclosure: str = "team",
    sex: str = "",
    name: str = "",
    name_ko: str = "",
    name_zh: str = "",
    birth_year: int | None = None,
    hometown: str = "",
    notes: str = "",
    public_id: str | None = None,
    external_id: str = "",
    family: str = "",
    contact: str = "",
) -> Person:
    identifying: dict[str, Any] = {
        "name": name,
        "name_ko": name_ko,
        "name_zh": name_zh,
        "birth_year": birth_year,
        "hometown": hometown,
        "notes": notes,
        "family": family,
        "contact": contact,
    }
    person = Person(
        public_id=public_id or new_public_id("P"),
        external_id=external_id,
        team=team,
        disclosure=disclosure,
        sex=sex,
        **identifying,
    )
    with transaction.atomic():
        person.full_clean()
        person.save()
        person_reindex(person=person)
    audit_change(obj=person, before=None)
    return person


def person_reindex(*, person: Person) -> None:
    """Rebuild a person's blind-index terms from the (decrypted) name fields."""
    from refuge.crypto import blind_terms
    from refuge.web.keys import get_keyring

    keyring = get_keyring()
    terms: set[str] = set()
    for name in (person.name, person.name_ko, person.name_zh):
        if name:
            terms |= blind_terms(keyring, name)
    PersonNameTerm.objects.filter(person=person).exclude(term__in=terms).delete()
    PersonNameTerm.objects.bulk_create(
        [PersonNameTerm(person=person, term=t) for t in sorted(terms)], ignore_conflicts=True
    )


def victimhood_create(
    *, person: Person, incident: Incident, event: Event | None = None, role: str = "victim"
) -> Victimhood:
    link = Victimhood(person=person, incident=incident, event=event, role=role)
    link.full_clean()
    link.save()
    return link
