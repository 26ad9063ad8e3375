"""Writes of incidents and their parts; every rule is checked by ``full_clean`` first.

Services take keyword-only arguments and are the only code that saves these models, so the
validation rules (refuge.periods, refuge.counts), permission checks and audit entries apply
to every write, whichever screen or command asked for it. A service given ``user`` acts for
that person: it asks the disclosure policy first (editors and admins, on records the policy
lets them see) and names them in the audit entry; without ``user`` it is the system acting
(the sample loader, imports, the CLI), as before.

Error codes of editing (merging and splitting are in ``refuge.web.incidents.merging``):
    R130  the policy refuses the change (not an editor, a record hidden from the user, or a
          change that would hide the record from the user making it)
    R131  a value breaks a rule of the record (the message names the field)
    R132  the incident was merged into another: undo the merge to change it
    R136  a delete that would lose data others rely on (persons linked, actor in use)
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.db import models, transaction
from django.db.models import Max

from refuge.errors import AccessDenied, DomainValidationError, RefugeError
from refuge.gazetteer import Gazetteer
from refuge.web.audit.services import audit_change, audit_record, snapshot
from refuge.web.disclosure import policy
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
    """Keep the search index in step with the record (see refuge.web.search).

    A merged incident leaves the index: it is a duplicate of the one it joined.
    """
    from refuge.web.search.services import search_index_incident, search_remove

    if incident.merged_into_id is not None:
        search_remove(kind="incident", object_id=incident.pk)
        return
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
    user: Any = None,
) -> Incident:
    """A new incident, linked to its sources with their relation (reports, contradicts...)."""
    if user is not None:
        check_editor(user)
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
        if user is not None:
            _check_still_visible(user, incident)
        incident.save()
        for source, relation in sources:
            link = IncidentSource(incident=incident, source=source, relation=relation)
            link.full_clean()
            link.save()
    audit_change(obj=incident, before=None, user=user)
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
    user: Any = None,
) -> Event:
    """One event; several places are alternatives, not a route."""
    if user is not None:
        check_incident_writable(user, incident)
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
        _audit(obj=event, before=None, after=_event_state(event), user=user)
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
    user: Any = None,
) -> VictimGroup:
    """A victim group; ``figure_claims`` pairs a figure name ("total", "minors") with a claim."""
    if user is not None:
        check_incident_writable(user, incident)
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
        _audit(obj=group, before=None, after=_group_state(group), user=user)
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
    birth_date: str = "",
    user: Any = None,
) -> Person:
    if user is not None:
        check_editor(user)
    identifying: dict[str, Any] = {
        "name": name,
        "name_ko": name_ko,
        "name_zh": name_zh,
        "birth_year": birth_year,
        "hometown": hometown,
        "notes": notes,
        "family": family,
        "contact": contact,
        "birth_date": birth_date,
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
        if user is not None:
            _check_still_visible(user, person)
        person.save()
        person_reindex(person=person)
    audit_change(obj=person, before=None, user=user)
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


# --- Editing by a person: permission, validation, audit ------------------------------------


class RecordInvalid(DomainValidationError):
    """A change a person asked for breaks a rule; ``fields`` maps each field to messages."""

    code = "R131"

    def __init__(
        self,
        message: str,
        *,
        fields: Mapping[str, list[str]] | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message, code=code)
        self.fields = dict(fields or {})


class EditRefused(RefugeError):
    """A change that cannot be made as asked (a merged record, an unsafe delete, an undo)."""

    code = "R132"


def check_editor(user: Any) -> None:
    """Writes to records are an editor's (or admin's) act: the policy says who that is."""
    if not policy.may_edit(user):
        raise AccessDenied("changing records needs the editor role", code="R130")


def check_incident_writable(user: Any, incident: Incident) -> None:
    """``user`` may change ``incident`` and its parts: they see it, edit, and it is current.

    A hidden incident answers like an absent one, so that a refusal reveals nothing.
    """
    if not policy.can_view(user, incident):
        raise AccessDenied("no such incident", code="R130")
    check_editor(user)
    if incident.merged_into_id is not None:
        raise EditRefused(
            f"{incident.public_id} was merged into another incident: undo the merge to change it",
            code="R132",
        )


def check_person_writable(user: Any, person: Person) -> None:
    """Changing a person means reading their identifying fields: the policy must allow both."""
    if not policy.can_view(user, person):
        raise AccessDenied("no such person", code="R130")
    check_editor(user)
    if not policy.may_read_identifying_of(user, person):
        raise AccessDenied(
            "changing a person needs access to their identifying fields", code="R130"
        )


def _check_still_visible(user: Any, obj: models.Model) -> None:
    """Refuse a record that, as changed, the policy would hide from the person changing it.

    This is how team assignment is decided without a second rule beside the policy: an
    editor can give a team-level record only to their own team (they see no other team's),
    an admin to any team; and nobody files a record where they would lose sight of it.
    """
    if not policy.can_view(user, obj):
        raise RecordInvalid(
            "with this team and disclosure level you could no longer see the record: "
            "choose your own team or a wider level",
            fields={"team": ["choose your own team or a wider disclosure level"]},
            code="R130",
        )


def _record_label(obj: models.Model) -> str:
    label = getattr(obj, "public_id", None) or str(getattr(obj, "uuid", obj.pk))
    return f"{obj._meta.label}:{label}"


def _audit(
    *,
    obj: models.Model,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    user: Any,
    identifying_changed: Iterable[str] = (),
    label: str | None = None,
) -> None:
    """One audit entry for a created, changed or deleted record, links included.

    Same shape as ``audit_change`` ("created" / "before"+"after" / "deleted", "record"),
    with the many-to-many links (places, actors, claims) an edit may change as well;
    identifying fields are named, never copied.
    """
    changed_identifying = sorted(identifying_changed)
    if before is None:
        details: dict[str, Any] = {"created": dict(after or {})}
    elif after is None:
        details = {"deleted": dict(before)}
    else:
        keys = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        if not keys and not changed_identifying:
            return
        details = {
            "before": {k: before.get(k) for k in keys},
            "after": {k: after.get(k) for k in keys},
        }
    if changed_identifying:
        details["identifying_fields_changed"] = changed_identifying
    details["record"] = label or _record_label(obj)
    audit_record(
        action="record_change",
        user=user,
        actor="" if user is not None else "system",
        details=details,
    )


def _event_state(event: Event) -> dict[str, Any]:
    return {
        **snapshot(event),
        "places": sorted(p.gazetteer_id for p in event.places.all()),
        "actors": sorted(str(a.uuid) for a in event.actors.all()),
        "claims": sorted(c.pk for c in event.claims.all()),
    }


def _group_state(group: VictimGroup) -> dict[str, Any]:
    return {
        **snapshot(group),
        "figure_claims": sorted(
            f"{fc.figure}:{fc.claim_id}"
            for fc in VictimFigureClaim.objects.filter(victim_group=group)
        ),
    }


def _delete_part(
    *, user: Any, obj: models.Model, incident: Incident, before: Mapping[str, Any]
) -> None:
    """Delete an event or victim group of ``incident`` that no record elsewhere points to,
    audited on the incident with the part's state before (taken by the caller, whose
    state function knows its links), and reindex the incident."""
    held = _held_by_other_records(obj)
    if held:
        raise EditRefused(
            f"this {obj._meta.verbose_name} is referred to by {', '.join(held)}: "
            "settle those first",
            code="R136",
        )
    label = _record_label(obj)
    obj.delete()
    _audit(obj=incident, before=before, after=None, user=user, label=label)
    _reindex(incident)


def _held_by_other_records(obj: models.Model) -> list[str]:
    """Kinds of records of other parts of Refuge (embargoes, releases...) pointing to ``obj``.

    Deleting ``obj`` would delete or orphan them through their foreign keys, so a delete
    asks first; read from the model's relations so that a new kind is covered unasked.
    """
    kinds = []
    for relation in obj._meta.related_objects:
        related_model: Any = relation.related_model
        if related_model._meta.app_label == obj._meta.app_label:
            continue
        if not (relation.one_to_many or relation.one_to_one):
            continue
        accessor = relation.get_accessor_name()
        if accessor is None:
            continue
        related = getattr(obj, accessor, None)
        if related is None:
            continue
        if relation.one_to_one or related.exists():
            kinds.append(str(related_model._meta.verbose_name_plural))
    return kinds


def _locked(model: type[models.Model], pk: Any) -> Any:
    """The row as stored now, locked until the transaction ends (PostgreSQL; SQLite's
    IMMEDIATE transactions serialise writers already)."""
    manager = getattr(model, "all_objects", model._default_manager)
    return manager.select_for_update().get(pk=pk)


# Incidents


def incident_update(
    *,
    user: Any,
    incident: Incident,
    title: str,
    summary: str,
    status: str,
    disclosure: str,
    team: Any,
) -> Incident:
    """Change an incident's own fields; a change of level or team is re-indexed at once."""
    with transaction.atomic():
        incident = _locked(Incident, incident.pk)
        check_incident_writable(user, incident)
        before = snapshot(incident)
        incident.title = title
        incident.summary = summary
        incident.status = status
        incident.disclosure = disclosure
        incident.team = team
        incident.full_clean()
        _check_still_visible(user, incident)
        incident.save()
        _audit(obj=incident, before=before, after=snapshot(incident), user=user)
        _reindex(incident)
    return incident


# Events


def event_next_order(incident: Incident) -> int:
    """The order a new event takes by default: after the last one."""
    last = Event.objects.filter(incident=incident).aggregate(last=Max("order"))["last"]
    return int(last or 0) + 1


def event_update(
    *,
    user: Any,
    event: Event,
    order: int,
    type: str,
    date_start: date | None,
    date_end: date | None,
    date_precision: str,
    places: Sequence[Place],
    place_precision: str,
    facility: str,
    actors: Sequence[Actor],
) -> Event:
    """Change an event; its claims (the provenance of its facts) are kept as they are."""
    with transaction.atomic():
        event = _locked(Event, event.pk)
        check_incident_writable(user, event.incident)
        before = _event_state(event)
        event.order = order
        event.type = type
        event.date_start = date_start
        event.date_end = date_end
        event.date_precision = date_precision
        event.place_precision = place_precision
        event.facility = facility
        event.full_clean()
        event.save()
        event.places.set(places)
        event.actors.set(actors)
        _audit(obj=event, before=before, after=_event_state(event), user=user)
        _reindex(event.incident)
    return event


def event_delete(*, user: Any, event: Event) -> None:
    """Delete an event no person is linked to; its claims stay on their sources."""
    with transaction.atomic():
        event = _locked(Event, event.pk)
        incident = event.incident
        check_incident_writable(user, incident)
        if event.victimhoods.exists():
            raise EditRefused(
                "persons are linked to this event: link them elsewhere before deleting it",
                code="R136",
            )
        _delete_part(user=user, obj=event, incident=incident, before=_event_state(event))


# Victim groups


def victim_group_update(
    *,
    user: Any,
    group: VictimGroup,
    nationality: str,
    description: str,
    total: tuple[int | None, int | None, int | None],
    qualifier: str,
    adults: int | None,
    minors: int | None,
    women: int | None,
    men: int | None,
) -> VictimGroup:
    """Change a group's figures; the claims linked to each figure are kept beside them."""
    with transaction.atomic():
        group = _locked(VictimGroup, group.pk)
        check_incident_writable(user, group.incident)
        before = _group_state(group)
        group.nationality = nationality
        group.description = description
        group.total_min, group.total_best, group.total_max = total
        group.total_qualifier = qualifier
        group.adults = adults
        group.minors = minors
        group.women = women
        group.men = men
        group.full_clean()
        group.save()
        _audit(obj=group, before=before, after=_group_state(group), user=user)
        _reindex(group.incident)
    return group


def victim_group_delete(*, user: Any, group: VictimGroup) -> None:
    """Delete a victim group (its figure links go with it; the claims stay on their sources)."""
    with transaction.atomic():
        group = _locked(VictimGroup, group.pk)
        incident = group.incident
        check_incident_writable(user, incident)
        _delete_part(user=user, obj=group, incident=incident, before=_group_state(group))


# Actors (shared by every incident: no level of their own, editors change them)


def actor_create(
    *, user: Any, name: str, kind: str, country: str = "", parent: Actor | None = None
) -> Actor:
    check_editor(user)
    with transaction.atomic():
        actor = Actor(name=name, kind=kind, country=country, parent=parent)
        actor.full_clean()
        actor.save()
        _audit(obj=actor, before=None, after=snapshot(actor), user=user)
    return actor


def actor_update(
    *, user: Any, actor: Actor, name: str, kind: str, country: str, parent: Actor | None
) -> Actor:
    check_editor(user)
    with transaction.atomic():
        actor = _locked(Actor, actor.pk)
        # A unit under itself (directly or further down) would make the hierarchy a loop.
        ancestor = parent
        while ancestor is not None:
            if ancestor.pk == actor.pk:
                raise RecordInvalid(
                    "an actor cannot be a unit of itself",
                    fields={"parent": ["an actor cannot be a unit of itself"]},
                )
            ancestor = ancestor.parent
        before = snapshot(actor)
        actor.name = name
        actor.kind = kind
        actor.country = country
        actor.parent = parent
        actor.full_clean()
        actor.save()
        _audit(obj=actor, before=before, after=snapshot(actor), user=user)
    return actor


def actor_delete(*, user: Any, actor: Actor) -> None:
    """Delete an actor no event names and no unit belongs to."""
    check_editor(user)
    with transaction.atomic():
        actor = _locked(Actor, actor.pk)
        if actor.events.exists():
            raise EditRefused("events name this actor: change them first", code="R136")
        if actor.units.exists():
            raise EditRefused("other actors are units of this one: change them first", code="R136")
        before = snapshot(actor)
        label = _record_label(actor)
        actor.delete()
        _audit(obj=actor, before=before, after=None, user=user, label=label)


# Persons

PERSON_EDITABLE = ("external_id", "disclosure", "sex", *Person.IDENTIFYING_FIELDS)


def person_update(*, user: Any, person: Person, **values: Any) -> Person:
    """Change a person's fields (``values`` from PERSON_EDITABLE); names are re-indexed.

    The audit entry names the identifying fields that changed, never their values.
    """
    unknown = set(values) - set(PERSON_EDITABLE)
    if unknown:
        raise RecordInvalid(f"unknown person fields: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        person = _locked(Person, person.pk)
        check_person_writable(user, person)
        before = snapshot(person)
        changed_identifying = []
        for name, value in values.items():
            if getattr(person, name) != value:
                setattr(person, name, value)
                if name in Person.IDENTIFYING_FIELDS:
                    changed_identifying.append(name)
        person.full_clean()
        _check_still_visible(user, person)
        person.save()
        if {"name", "name_ko", "name_zh"} & set(changed_identifying):
            person_reindex(person=person)
        _audit(
            obj=person,
            before=before,
            after=snapshot(person),
            user=user,
            identifying_changed=changed_identifying,
        )
    return person
