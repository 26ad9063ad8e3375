"""Writes of the publishing side: embargoes, consents, releases (four eyes), legal holds.

Every function checks the role through the disclosure policy, writes an audit entry
(``refuge.web.audit.services``) and takes ``now`` so that tests control the clock. Each
condition of a check sits on its own line, so coverage shows every case is tested.

Publication follows releases, never the other way round: an approval or a withdrawal
rebuilds the stores once the transaction has committed (``schedule_publish``); an embargo
withdraws the live releases of what it holds back; an embargo that ends (its date comes,
or an editor lifts it) only puts the incident into the release queue, where two editors
must release it again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from refuge.web.audit.services import audit_change, audit_record, snapshot
from refuge.web.disclosure import policy
from refuge.web.disclosure.embargoes import is_embargoed
from refuge.web.disclosure.errors import PublishingDenied, PublishingError
from refuge.web.disclosure.models import (
    Audience,
    Consent,
    ConsentScope,
    Embargo,
    EmbargoCondition,
    LegalHold,
    Release,
    day_start,
)
from refuge.web.incidents.models import Incident, Person, VictimGroup, Victimhood

log = logging.getLogger(__name__)

OPEN_STATES = (Release.State.NEEDS_REVIEW, Release.State.PROPOSED)


def _now(now: datetime | None) -> datetime:
    return now if now is not None else timezone.now()


def _require_editor(user: Any, what: str) -> None:
    if not policy.may_edit(user):
        raise PublishingDenied(f"{what} needs the editor or admin role", code="R141")


def _require_visible(user: Any, obj: Any, what: str) -> None:
    if not policy.can_view(user, obj):
        raise PublishingError(f"no such {what}", code="R145")


# --- publication after a change -------------------------------------------------------------


def schedule_publish(now: datetime | None = None) -> None:
    """Rebuild the publication stores once the current transaction has committed.

    A failed rebuild must never leave a withdrawn record online, so on failure the stores
    are removed (the public side then shows nothing) and the failure is logged and audited;
    `refuge publish` rebuilds them once the cause is fixed.
    """
    # ``now`` is the clock of the change (tests move it); the stores are built as of then.
    transaction.on_commit(lambda: _publish_now(now))


def _publish_now(now: datetime | None) -> None:
    from refuge.web.disclosure import snapshot

    try:
        snapshot.publish(now=now, on_audit_failure="withhold_tables")
    except Exception as exc:  # fail closed: see schedule_publish
        log.error("automatic publish failed (%s); publication stores removed", type(exc).__name__)
        snapshot.remove_stores()
        audit_record(
            action="export",
            actor="system",
            details={"what": "publication stores removed", "error": type(exc).__name__},
        )


# --- embargoes --------------------------------------------------------------------------------


def _affected_incidents(embargo: Embargo) -> list[Incident]:
    """The incidents an embargo holds back: its own, its group's, or its person's."""
    if embargo.incident is not None:
        return [embargo.incident]
    if embargo.victim_group is not None:
        return [embargo.victim_group.incident]
    ids = Victimhood.objects.filter(person=embargo.person).values("incident_id")
    return list(Incident.objects.filter(pk__in=ids).order_by("pk"))


def _target_of(
    incident: Incident | None, victim_group: VictimGroup | None, person: Person | None
) -> Any:
    targets = [t for t in (incident, victim_group, person) if t is not None]
    if len(targets) != 1:
        raise PublishingError(
            "an embargo is on exactly one incident, victim group or person", code="R144"
        )
    target = targets[0]
    return target.incident if isinstance(target, VictimGroup) else target


def embargo_set(
    *,
    user: Any,
    incident: Incident | None = None,
    victim_group: VictimGroup | None = None,
    person: Person | None = None,
    until: date | None = None,
    condition: str = "",
    condition_text: str = "",
    reason: str = "",
    now: datetime | None = None,
) -> Embargo:
    """Hold a record back from every publication until a date and/or a condition.

    Live releases of the incidents it holds back are withdrawn at once (and the stores
    rebuilt), so that the embargo's end can never republish them by itself.
    """
    now = _now(now)
    _require_editor(user, "setting an embargo")
    _require_visible(user, _target_of(incident, victim_group, person), "record")
    if until is None and not condition:
        raise PublishingError("give the embargo a date, a condition or both", code="R144")
    if condition and condition not in EmbargoCondition.values:
        raise PublishingError(
            f"unknown embargo condition {condition!r}; use one of "
            + ", ".join(EmbargoCondition.values),
            code="R144",
        )
    if condition == EmbargoCondition.OTHER and not condition_text.strip():
        raise PublishingError("describe the condition the embargo waits for", code="R144")
    if until is not None and day_start(until) <= now:
        raise PublishingError("the embargo's date must lie in the future", code="R144")
    with transaction.atomic():
        embargo = Embargo(
            incident=incident,
            victim_group=victim_group,
            person=person,
            until=until,
            condition=condition,
            condition_text=condition_text.strip(),
            reason=reason.strip(),
            set_by=user,
            set_at=now,
        )
        embargo.full_clean()
        embargo.save()
        audit_change(obj=embargo, before=None, user=user)
        withdrawn = 0
        for held in _affected_incidents(embargo):
            for release in Release.objects.filter(incident=held, state=Release.State.APPROVED):
                _withdraw(release, user=user, reason="embargoed", now=now)
                withdrawn += 1
        if withdrawn:
            schedule_publish(now)
    return embargo


def embargo_lift(
    *, user: Any, embargo: Embargo, note: str = "", now: datetime | None = None
) -> Embargo:
    """An editor ends an embargo (its condition is met); its incidents go to the queue."""
    now = _now(now)
    _require_editor(user, "lifting an embargo")
    _require_visible(
        user, _target_of(embargo.incident, embargo.victim_group, embargo.person), "record"
    )
    if embargo.lifted_at is not None:
        raise PublishingError("this embargo was lifted already", code="R143")
    with transaction.atomic():
        before = snapshot(embargo)
        embargo.lifted_at = now
        embargo.lifted_by = user
        embargo.lift_note = note.strip()
        embargo.save()
        audit_change(obj=embargo, before=before, user=user)
        for held in _affected_incidents(embargo):
            _queue(held, note="embargo lifted: review before any release", now=now)
    return embargo


def embargoes_due(now: datetime) -> list[Embargo]:
    """Embargoes whose date has come and that were not yet handled by ``expire_embargoes``."""
    return list(
        Embargo.objects.filter(
            lifted_at__isnull=True,
            date_reached_at__isnull=True,
            until__isnull=False,
            # Due when the day it names has begun (UTC): see Embargo.is_active.
            until__lte=now.astimezone(UTC).date(),
        ).order_by("until", "pk")
    )


@dataclass(frozen=True)
class ExpiryReport:
    """What ``expire_embargoes`` did: embargoes ended or still waiting, incidents queued."""

    ended: tuple[str, ...]  # embargo uuids whose date ended them
    waiting_for_condition: tuple[str, ...]  # date came, but a condition still holds them
    queued: tuple[str, ...]  # incident public ids put into the release queue


def expire_embargoes(now: datetime | None = None) -> ExpiryReport:
    """Mark embargoes whose date has come; queue their incidents for review. Never publishes.

    An embargo with a date alone ends now; one that also waits for a condition stays
    active (only an editor can say the condition is met) but is queued for that check.
    """
    now = _now(now)
    ended: list[str] = []
    waiting: list[str] = []
    queued: list[str] = []
    with transaction.atomic():
        for embargo in embargoes_due(now):
            before = snapshot(embargo)
            embargo.date_reached_at = now
            embargo.save(update_fields=["date_reached_at"])
            audit_change(obj=embargo, before=before, actor="system:embargo-expiry")
            (waiting if embargo.condition else ended).append(str(embargo.uuid))
            note = (
                "embargo date reached; its condition still holds it: check and lift"
                if embargo.condition
                else "embargo ended: review before any release"
            )
            for held in _affected_incidents(embargo):
                if _queue(held, note=note, now=now) is not None:
                    queued.append(held.public_id)
    return ExpiryReport(tuple(ended), tuple(waiting), tuple(dict.fromkeys(queued)))


def _queue(incident: Incident, *, note: str, now: datetime) -> Release | None:
    """Put an incident into the release queue unless it is there already."""
    if Release.objects.filter(incident=incident, state__in=OPEN_STATES).exists():
        return None
    last = (
        Release.objects.filter(incident=incident).exclude(state=Release.State.NEEDS_REVIEW).first()
    )
    entry = Release(
        incident=incident,
        # The audience it had before, else the narrower one; the proposer chooses anyway.
        audience=last.audience if last is not None else Audience.PARTNERS,
        state=Release.State.NEEDS_REVIEW,
        queue_note=note,
    )
    entry.full_clean()
    entry.save()
    audit_change(obj=entry, before=None, actor="system:release-queue")
    return entry


# --- consents ---------------------------------------------------------------------------------


def consent_record(
    *,
    user: Any,
    scope: str,
    given_by: str,
    given_at: date,
    incident: Incident | None = None,
    person: Person | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Consent:
    """Record that someone (described by role, e.g. "her mother") consented to a use."""
    now = _now(now)
    _require_editor(user, "recording a consent")
    if (incident is None) == (person is None):
        raise PublishingError("a consent is about one incident or one person", code="R148")
    _require_visible(user, incident or person, "record")
    if scope not in ConsentScope.values:
        raise PublishingError(
            f"unknown consent scope {scope!r}; use one of " + ", ".join(ConsentScope.values),
            code="R148",
        )
    if not given_by.strip():
        raise PublishingError(
            "say who gave the consent (a role such as 'the person' is enough)", code="R148"
        )
    consent = Consent(
        incident=incident,
        person=person,
        scope=scope,
        given_by=given_by.strip(),
        given_at=given_at,
        note=note.strip(),
        recorded_by=user,
        recorded_at=now,
    )
    with transaction.atomic():
        consent.full_clean()
        consent.save()
        audit_change(obj=consent, before=None, user=user)
    return consent


def consent_revoke(*, user: Any, consent: Consent, now: datetime | None = None) -> Consent:
    now = _now(now)
    _require_editor(user, "revoking a consent")
    _require_visible(user, consent.incident or consent.person, "record")
    if consent.revoked_at is not None:
        raise PublishingError("this consent was revoked already", code="R143")
    with transaction.atomic():
        before = snapshot(consent)
        consent.revoked_at = now
        consent.revoked_by = user
        consent.save()
        audit_change(obj=consent, before=before, user=user)
    return consent


# --- releases (four eyes) -------------------------------------------------------------------


def release_propose(
    *,
    user: Any,
    incident: Incident,
    audience: str,
    public_title: str,
    public_summary: str = "",
    sensitive: bool = False,
    now: datetime | None = None,
) -> Release:
    """An editor proposes an incident for release, writing the only text that is published."""
    now = _now(now)
    _require_editor(user, "proposing a release")
    _require_visible(user, incident, "incident")
    if audience not in Audience.values:
        raise PublishingError(f"audience must be public or partners, not {audience!r}", code="R143")
    if not public_title.strip():
        raise PublishingError("write a public title for the release", code="R149")
    if Release.objects.filter(
        incident=incident, audience=audience, state=Release.State.PROPOSED
    ).exists():
        raise PublishingError(
            f"{incident.public_id} already has a proposal for {audience}; "
            "approve or reject it first",
            code="R143",
        )
    with transaction.atomic():
        # A queue entry (an embargo ended) becomes this proposal rather than lingering.
        release = Release.objects.filter(
            incident=incident, state=Release.State.NEEDS_REVIEW
        ).first()
        before = snapshot(release) if release is not None else None
        if release is None:
            release = Release(incident=incident)
        release.audience = audience
        release.state = Release.State.PROPOSED
        release.public_title = public_title.strip()
        release.public_summary = public_summary.strip()
        release.sensitive = sensitive
        release.proposed_by = user
        release.proposed_at = now
        release.full_clean()
        release.save()
        audit_change(obj=release, before=before, user=user)
    return release


def release_approve(*, user: Any, release: Release, now: datetime | None = None) -> Release:
    """A second editor (or an admin) approves; the stores are rebuilt after the commit."""
    now = _now(now)
    _require_editor(user, "approving a release")
    if release.proposed_by_id is not None and release.proposed_by_id == getattr(user, "pk", None):
        raise PublishingDenied(
            "four eyes: a release is approved by another editor than its proposer", code="R140"
        )
    _require_visible(user, release.incident, "incident")
    if release.state != Release.State.PROPOSED:
        raise PublishingError(
            f"only a proposed release can be approved (this one is {release.state})", code="R143"
        )
    if is_embargoed(release.incident, now):
        raise PublishingError(
            f"{release.incident.public_id} is under an active embargo; it cannot be released",
            code="R142",
        )
    with transaction.atomic():
        for older in Release.objects.filter(
            incident=release.incident, audience=release.audience, state=Release.State.APPROVED
        ):
            before = snapshot(older)
            older.state = Release.State.SUPERSEDED
            older.save(update_fields=["state"])
            audit_change(obj=older, before=before, user=user)
        before = snapshot(release)
        release.state = Release.State.APPROVED
        release.approved_by = user
        release.approved_at = now
        release.save()
        audit_change(obj=release, before=before, user=user)
        schedule_publish(now)
    return release


def release_reject(
    *, user: Any, release: Release, note: str = "", now: datetime | None = None
) -> Release:
    """Turn a proposal (or a queue entry) down; nothing is published."""
    now = _now(now)
    _require_editor(user, "rejecting a release")
    _require_visible(user, release.incident, "incident")
    if release.state not in OPEN_STATES:
        raise PublishingError(
            f"only a proposed or queued release can be rejected (this one is {release.state})",
            code="R143",
        )
    with transaction.atomic():
        before = snapshot(release)
        release.state = Release.State.REJECTED
        release.rejected_by = user
        release.rejected_at = now
        release.decision_note = note.strip()
        release.save()
        audit_change(obj=release, before=before, user=user)
    return release


def _withdraw(release: Release, *, user: Any, reason: str, now: datetime) -> None:
    before = snapshot(release)
    release.state = Release.State.WITHDRAWN
    release.withdrawn_by = user
    release.withdrawn_at = now
    release.decision_note = reason
    release.save()
    audit_change(obj=release, before=before, user=user)


def release_withdraw(
    *, user: Any, release: Release, reason: str, now: datetime | None = None
) -> Release:
    """Take a live release back; one editor suffices (it only ever makes less public).

    The stores are rebuilt after the commit, so the incident leaves every public output.
    """
    now = _now(now)
    _require_editor(user, "withdrawing a release")
    _require_visible(user, release.incident, "incident")
    if release.state != Release.State.APPROVED:
        raise PublishingError(
            f"only an approved release can be withdrawn (this one is {release.state})", code="R143"
        )
    if not reason.strip():
        raise PublishingError("say why the release is withdrawn", code="R143")
    with transaction.atomic():
        _withdraw(release, user=user, reason=reason.strip(), now=now)
        schedule_publish(now)
    return release


# --- the demo's sample data -------------------------------------------------------------------


def release_load_sample(
    *,
    incident: Incident,
    audience: str,
    public_title: str,
    public_summary: str,
    now: datetime | None = None,
) -> Release | None:
    """A released incident of the demo (`refuge load-sample`); None if it has one already.

    The one release made without two editors: when the sample loads, nobody has signed in
    to propose or approve. It is marked ``is_sample`` and audited as the loader's act; the
    stores are rebuilt by the loader. Never for real data.
    """
    now = _now(now)
    if Release.objects.filter(incident=incident, audience=audience).exists():
        return None
    release = Release(
        incident=incident,
        audience=audience,
        state=Release.State.APPROVED,
        public_title=public_title,
        public_summary=public_summary,
        proposed_at=now,
        approved_at=now,
        is_sample=True,
    )
    release.full_clean()
    release.save()
    audit_change(obj=release, before=None, actor="system:load-sample")
    return release


def embargo_load_sample(
    *,
    incident: Incident,
    until: date | None,
    condition: str,
    reason: str,
    now: datetime | None = None,
) -> Embargo | None:
    """An embargo of the demo; None if the incident has an embargo already."""
    now = _now(now)
    if Embargo.objects.filter(incident=incident).exists():
        return None
    embargo = Embargo(
        incident=incident, until=until, condition=condition, reason=reason, set_at=now
    )
    embargo.full_clean()
    embargo.save()
    audit_change(obj=embargo, before=None, actor="system:load-sample")
    return embargo


# --- legal holds ----------------------------------------------------------------------------


def legal_hold_set(
    *,
    user: Any,
    reason: str,
    incident: Incident | None = None,
    person: Person | None = None,
    now: datetime | None = None,
) -> LegalHold:
    """Keep a person's data (or everyone's in an incident) as evidence: erasure is refused."""
    now = _now(now)
    _require_editor(user, "setting a legal hold")
    if (incident is None) == (person is None):
        raise PublishingError("a legal hold is on one incident or one person", code="R148")
    _require_visible(user, incident or person, "record")
    hold = LegalHold(
        incident=incident, person=person, reason=reason.strip(), set_by=user, set_at=now
    )
    with transaction.atomic():
        hold.full_clean()
        hold.save()
        audit_change(obj=hold, before=None, user=user)
    return hold


def legal_hold_release(*, user: Any, hold: LegalHold, now: datetime | None = None) -> LegalHold:
    now = _now(now)
    _require_editor(user, "releasing a legal hold")
    _require_visible(user, hold.incident or hold.person, "record")
    if hold.released_at is not None:
        raise PublishingError("this legal hold was released already", code="R143")
    with transaction.atomic():
        before = snapshot(hold)
        hold.released_at = now
        hold.released_by = user
        hold.save()
        audit_change(obj=hold, before=before, user=user)
    return hold


def active_holds_on(person: Person) -> QuerySet[LegalHold]:
    """Legal holds protecting ``person``: their own, or one on an incident they are part of."""
    incidents = Victimhood.objects.filter(person=person).values("incident_id")
    return LegalHold.objects.filter(released_at__isnull=True).filter(
        Q(person=person) | Q(incident_id__in=incidents)
    )


__all__ = [
    "ExpiryReport",
    "active_holds_on",
    "consent_record",
    "consent_revoke",
    "embargo_lift",
    "embargo_load_sample",
    "embargo_set",
    "embargoes_due",
    "expire_embargoes",
    "legal_hold_release",
    "legal_hold_set",
    "release_approve",
    "release_load_sample",
    "release_propose",
    "release_reject",
    "release_withdraw",
    "schedule_publish",
]
