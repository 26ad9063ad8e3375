"""Reads of the publishing side, always through the disclosure policy.

The release queue and an incident's publishing panel show only incidents the user may see;
the encrypted notes (an embargo's reason, who consented, why a release was withdrawn) are
decrypted only for users who may read the incident's identifying fields, and each such
read is noted for the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from refuge.web.audit.reads import note_read
from refuge.web.disclosure import policy
from refuge.web.disclosure.embargoes import is_embargoed
from refuge.web.disclosure.models import Consent, Embargo, ErasureRequest, LegalHold, Release
from refuge.web.disclosure.services import active_holds_on
from refuge.web.incidents.models import Incident, Person, VictimGroup, Victimhood


def _public_id(record: Any) -> str:
    return str(getattr(record, "public_id", ""))


def _who(user: Any) -> str:
    return user.username if user is not None else "the sample loader"


def _secret(user: Any, record: Any, about: Any, field: str) -> str:
    """An encrypted note, decrypted only for a user who may read ``about``'s identifying data."""
    if not policy.may_read_identifying_of(user, about):
        return ""
    value = str(getattr(record, field) or "")
    if value:
        note_read(record)
    return value


@dataclass(frozen=True)
class ReleaseRow:
    uuid: str
    incident: str  # public id
    incident_title: str  # the internal title: staff only, never published
    audience: str
    state: str
    state_label: str
    public_title: str
    public_summary: str
    sensitive: bool
    proposed_by: str
    proposed_at: datetime | None
    approved_by: str
    approved_at: datetime | None
    note: str  # the queue note or the decision note, for those who may read it
    embargoed: bool
    may_approve: bool  # another editor than the proposer, and no embargo
    mine: bool


def _release_row(user: Any, release: Release, now: datetime) -> ReleaseRow:
    incident = release.incident
    embargoed = is_embargoed(incident, now)
    proposer = release.proposed_by
    mine = proposer is not None and proposer.pk == getattr(user, "pk", None)
    note_field = "queue_note" if release.state == Release.State.NEEDS_REVIEW else "decision_note"
    return ReleaseRow(
        uuid=str(release.uuid),
        incident=incident.public_id,
        incident_title=incident.title,
        audience=release.audience,
        state=release.state,
        state_label=release.get_state_display(),
        public_title=release.public_title,
        public_summary=release.public_summary,
        sensitive=release.sensitive,
        proposed_by=_who(proposer) if release.proposed_at else "",
        proposed_at=release.proposed_at,
        approved_by=_who(release.approved_by) if release.approved_at else "",
        approved_at=release.approved_at,
        note=_secret(user, release, incident, note_field),
        embargoed=embargoed,
        may_approve=(
            release.state == Release.State.PROPOSED
            and policy.may_edit(user)
            and not mine
            and not embargoed
        ),
        mine=mine,
    )


@dataclass(frozen=True)
class Queue:
    proposed: list[ReleaseRow]  # awaiting a second editor
    needs_review: list[ReleaseRow]  # an embargo ended or was lifted: review before release
    live: list[ReleaseRow]  # approved, online at the next build


def release_queue(*, user: Any, now: datetime | None = None) -> Queue:
    """The release queue of incidents ``user`` may see."""
    now = now or timezone.now()
    visible = policy.visible(user, Incident.objects.all()).values("pk")
    releases = (
        Release.objects.filter(incident_id__in=visible)
        .select_related("incident", "proposed_by", "approved_by")
        .order_by("created_at")
    )
    rows = [_release_row(user, r, now) for r in releases]
    return Queue(
        proposed=[r for r in rows if r.state == Release.State.PROPOSED],
        needs_review=[r for r in rows if r.state == Release.State.NEEDS_REVIEW],
        live=[r for r in rows if r.state == Release.State.APPROVED],
    )


@dataclass(frozen=True)
class EmbargoRow:
    uuid: str
    target: str
    until: str
    condition: str
    condition_text: str
    reason: str
    set_by: str
    set_at: datetime
    active: bool
    lifted_at: datetime | None


@dataclass(frozen=True)
class ConsentRow:
    uuid: str
    target: str
    scope: str
    given_by: str
    given_at: str
    revoked_at: datetime | None


@dataclass(frozen=True)
class HoldRow:
    target: str
    set_at: datetime
    released_at: datetime | None
    uuid: str = ""
    on_incident: bool = False  # else on a person
    reason: str = ""  # for those who may read the target's identifying data, else ""
    set_by: str = ""
    released_by: str = ""


def _hold_row(user: Any, hold: LegalHold) -> HoldRow:
    about = hold.incident if hold.incident is not None else hold.person
    return HoldRow(
        target=hold.incident.public_id if hold.incident is not None else _public_id(hold.person),
        set_at=hold.set_at,
        released_at=hold.released_at,
        uuid=str(hold.uuid),
        on_incident=hold.incident is not None,
        reason=_secret(user, hold, about, "reason") if about is not None else "",
        set_by=_who(hold.set_by),
        released_by=_who(hold.released_by) if hold.released_at else "",
    )


@dataclass(frozen=True)
class Panel:
    """What an incident page shows about its publication (the lead includes the template)."""

    public_id: str
    may_edit: bool
    embargoed: bool
    releases: list[ReleaseRow]
    embargoes: list[EmbargoRow]
    consents: list[ConsentRow]
    holds: list[HoldRow]
    persons: list[str]  # public ids of the persons linked to the incident
    groups: list[tuple[str, str]]  # (uuid, description) of its victim groups


def _embargo_row(user: Any, embargo: Embargo, about: Any, now: datetime) -> EmbargoRow:
    return EmbargoRow(
        uuid=str(embargo.uuid),
        target=embargo.target_label,
        until=embargo.until.isoformat() if embargo.until else "",
        condition=embargo.get_condition_display() if embargo.condition else "",
        condition_text=_secret(user, embargo, about, "condition_text"),
        reason=_secret(user, embargo, about, "reason"),
        set_by=_who(embargo.set_by),
        set_at=embargo.set_at,
        active=embargo.is_active(now),
        lifted_at=embargo.lifted_at,
    )


def incident_publishing(*, user: Any, public_id: str, now: datetime | None = None) -> Panel | None:
    """An incident's releases, embargoes, consents and holds; None when hidden or absent."""
    now = now or timezone.now()
    if not policy.is_staff_reader(user):
        return None
    incident = policy.visible(user, Incident.objects.all()).filter(public_id=public_id).first()
    if incident is None or not policy.can_view(user, incident):
        return None
    person_ids = Victimhood.objects.filter(incident=incident).values("person_id")
    persons = list(Person.objects.filter(pk__in=person_ids).order_by("public_id"))
    embargoes = [
        _embargo_row(user, e, incident, now)
        for e in Embargo.objects.filter(
            Q(incident=incident) | Q(victim_group__incident=incident) | Q(person__in=persons)
        ).distinct()
    ]
    consents = [
        ConsentRow(
            uuid=str(c.uuid),
            target=c.target_label,
            scope=c.get_scope_display(),
            given_by=_secret(user, c, incident, "given_by"),
            given_at=c.given_at.isoformat(),
            revoked_at=c.revoked_at,
        )
        for c in Consent.objects.filter(Q(incident=incident) | Q(person__in=persons)).distinct()
    ]
    holds = [
        _hold_row(user, h)
        for h in LegalHold.objects.filter(Q(incident=incident) | Q(person__in=persons))
        .select_related("incident", "person", "set_by", "released_by")
        .distinct()
    ]
    releases = [
        _release_row(user, r, now)
        for r in Release.objects.filter(incident=incident).select_related(
            "incident", "proposed_by", "approved_by"
        )
    ]
    return Panel(
        public_id=incident.public_id,
        may_edit=policy.may_edit(user),
        embargoed=is_embargoed(incident, now),
        releases=releases,
        embargoes=embargoes,
        consents=consents,
        holds=holds,
        persons=[p.public_id for p in persons],
        groups=[(str(g.uuid), str(g)) for g in incident.victim_groups.all()],
    )


def incident_for_publishing(*, user: Any, public_id: str) -> Incident | None:
    """The incident a publishing form acts on, or None when hidden or absent (404)."""
    incident = policy.visible(user, Incident.objects.all()).filter(public_id=public_id).first()
    if incident is None or not policy.can_view(user, incident):
        return None
    return incident


def person_of_incident(*, incident: Incident, public_id: str) -> Person | None:
    """A person linked to ``incident`` by public id (consent and embargo forms name them)."""
    ids = Victimhood.objects.filter(incident=incident).values("person_id")
    return Person.objects.filter(pk__in=ids, public_id=public_id).first()


def victim_group_of_incident(*, incident: Incident, uuid: str) -> VictimGroup | None:
    return VictimGroup.objects.filter(incident=incident, uuid=uuid).first()


def _visible_incident_ids(user: Any) -> Any:
    return policy.visible(user, Incident.objects.all()).values("pk")


def release_get(*, user: Any, uuid: str) -> Release | None:
    return (
        Release.objects.filter(uuid=uuid, incident_id__in=_visible_incident_ids(user))
        .select_related("incident")
        .first()
    )


def embargo_get(*, user: Any, uuid: str) -> Embargo | None:
    embargo = (
        Embargo.objects.filter(uuid=uuid)
        .select_related("incident", "victim_group__incident", "person")
        .first()
    )
    if embargo is None:
        return None
    target = embargo.incident or embargo.person or embargo.victim_group.incident  # type: ignore[union-attr]
    return embargo if policy.can_view(user, target) else None


def consent_get(*, user: Any, uuid: str) -> Consent | None:
    consent = Consent.objects.filter(uuid=uuid).select_related("incident", "person").first()
    if consent is None:
        return None
    return consent if policy.can_view(user, consent.incident or consent.person) else None


def hold_get(*, user: Any, uuid: str) -> LegalHold | None:
    """A legal hold on a record ``user`` may see, or None (hidden and absent read the same)."""
    hold = LegalHold.objects.filter(uuid=uuid).select_related("incident", "person").first()
    if hold is None:
        return None
    return hold if policy.can_view(user, hold.incident or hold.person) else None


@dataclass(frozen=True)
class ErasureRow:
    uuid: str
    requested_at: str
    scope: str  # the scope's value (all, names, contact)
    outcome: str  # the outcome's value (erased, refused_legal_hold)
    fields_erased: list[str]
    handled_by: str
    handled_at: datetime
    requested_by: str  # encrypted: for those who may read the person's identifying data
    note: str


@dataclass(frozen=True)
class PersonErasure:
    """What a person's page shows about erasure: the holds protecting them and the requests."""

    public_id: str
    may_act: bool  # may erase and set or release holds here
    active_holds: list[HoldRow]  # on the person or on an incident they are part of
    released_holds: list[HoldRow]  # the person's own, released
    requests: list[ErasureRow]


def person_erasure(*, user: Any, person: Person) -> PersonErasure | None:
    """A person's legal holds and erasure requests; None unless ``user`` may see the person.

    Who asked and the notes are decrypted only for a user who may read the person's
    identifying data (the selector's rule, whatever page shows it).
    """
    if not (policy.is_staff_reader(user) and policy.can_view(user, person)):
        return None
    related = ("incident", "person", "set_by", "released_by")
    active = [_hold_row(user, h) for h in active_holds_on(person).select_related(*related)]
    released = [
        _hold_row(user, h)
        for h in LegalHold.objects.filter(person=person, released_at__isnull=False).select_related(
            *related
        )
    ]
    requests = [
        ErasureRow(
            uuid=str(r.uuid),
            requested_at=r.requested_at.isoformat(),
            scope=r.scope,
            outcome=r.outcome,
            fields_erased=list(r.fields_erased or []),
            handled_by=_who(r.handled_by),
            handled_at=r.handled_at,
            requested_by=_secret(user, r, person, "requested_by"),
            note=_secret(user, r, person, "note"),
        )
        for r in ErasureRequest.objects.filter(person=person).select_related("handled_by")
    ]
    return PersonErasure(
        public_id=person.public_id,
        may_act=policy.may_edit(user) and policy.may_read_identifying_of(user, person),
        active_holds=active,
        released_holds=released,
        requests=requests,
    )


__all__ = [
    "ConsentRow",
    "EmbargoRow",
    "ErasureRow",
    "HoldRow",
    "Panel",
    "PersonErasure",
    "Queue",
    "ReleaseRow",
    "consent_get",
    "embargo_get",
    "hold_get",
    "incident_for_publishing",
    "incident_publishing",
    "person_erasure",
    "person_of_incident",
    "release_get",
    "release_queue",
    "victim_group_of_incident",
]
