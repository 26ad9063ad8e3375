"""Embargoes, consents, releases, legal holds and erasure requests: the records of publishing.

None of these is ever published. A ``Release``'s ``public_title`` and ``public_summary`` are
the only free text that reaches a publication store (``refuge.web.disclosure.snapshot``);
every other free text here may name or point to a person (a family's wish, who consented,
why a case is held as evidence) and is encrypted at rest like a person's fields
(``refuge.web.encrypted``), listed in ``IDENTIFYING_FIELDS`` so that the audit log and the
policy's ``redact`` leave it out.

Writes go through ``refuge.web.disclosure.services`` (and ``erasure``), which check the
role, apply the four-eyes rule and write the audit entries.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time

from django.conf import settings
from django.db import models
from django.db.models import Q

from refuge.web.encrypted import EncryptedTextField


class EmbargoCondition(models.TextChoices):
    """What an embargo waits for besides a date; only an editor can say it is met (lift)."""

    FAMILY_CONSENTS = "family_consents", "Until the family consents"
    REPATRIATION_COMPLETED = "repatriation_completed", "Until the repatriation is completed"
    PERSON_REACHED_SAFETY = "person_reached_safety", "Until the person has reached safety"
    OTHER = "other", "Another condition (described)"


def _one_target(*fields: str) -> Q:
    """Exactly one of ``fields`` is set: a row is about one record, never two or none."""
    condition = Q(pk__in=[])
    for chosen in fields:
        one = Q(**{f"{chosen}__isnull": False})
        for other in fields:
            if other != chosen:
                one &= Q(**{f"{other}__isnull": True})
        condition |= one
    return condition


def day_start(day: date) -> datetime:
    """The first instant (UTC) of ``day``: an embargo "until 1 June" ends as 1 June begins."""
    return datetime.combine(day, time.min, tzinfo=UTC)


class Embargo(models.Model):
    """Holds an incident, a victim group or a person back from every publication.

    Active while not lifted and either its date has not come or it waits for a condition:
    a date alone ends it when the date begins (and ``expire_embargoes`` then queues the
    incident for review, never publishing it); a condition (with or without a date) ends
    only when an editor lifts it, having checked that the condition is met; with a date as
    well, reaching the date queues it for that check.
    """

    IDENTIFYING_FIELDS = ("reason", "condition_text", "lift_note")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey(
        "incidents.Incident",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="embargoes",
    )
    victim_group = models.ForeignKey(
        "incidents.VictimGroup",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="embargoes",
    )
    person = models.ForeignKey(
        "incidents.Person",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="embargoes",
    )
    until = models.DateField(null=True, blank=True)
    condition = models.CharField(
        max_length=32, choices=EmbargoCondition.choices, blank=True, default=""
    )
    condition_text = EncryptedTextField()
    reason = EncryptedTextField()
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField()
    # Set by expire_embargoes when the date has come (the incident was queued for review).
    date_reached_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_note = EncryptedTextField()

    class Meta:
        ordering = ["-set_at"]
        constraints = [
            models.CheckConstraint(
                condition=_one_target("incident", "victim_group", "person"),
                name="embargo_on_one_record",
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=False) | ~Q(condition=""),
                name="embargo_has_date_or_condition",
            ),
        ]

    def __str__(self) -> str:
        return f"embargo {self.uuid}"

    def is_active(self, now: datetime) -> bool:
        if self.lifted_at is not None:
            return False
        if self.condition:
            return True
        return self.until is not None and now < day_start(self.until)

    @property
    def target_label(self) -> str:
        """The record held back, by public id (never a name)."""
        if self.incident is not None:
            return self.incident.public_id
        if self.person is not None:
            return self.person.public_id
        assert self.victim_group is not None  # the constraint: exactly one target
        return f"{self.victim_group.incident.public_id} (victim group)"


def active_embargo_q(now: datetime, prefix: str = "") -> Q:
    """Embargo rows (or rows related through ``prefix``) active at ``now``, as a filter."""
    p = prefix
    return Q(**{f"{p}lifted_at__isnull": True}) & (
        ~Q(**{f"{p}condition": ""}) | Q(**{f"{p}until__gt": now.astimezone(UTC).date()})
    )


class ConsentScope(models.TextChoices):
    PARTNERS = "partners", "Sharing with partner organisations"
    PUBLIC = "public", "Publication of the (generalised) record"
    NAME = "name", "Naming the person"
    PHOTO = "photo", "Showing photographs"
    TESTIMONY = "testimony", "Quoting the testimony"


class Consent(models.Model):
    """Someone agreed (or no longer agrees) that a person's or an incident's data be used so.

    ``given_by`` describes who (a role such as "the person", "her brother"), not necessarily
    by name, and is encrypted because it may still point to a family.
    """

    IDENTIFYING_FIELDS = ("given_by", "note")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey(
        "incidents.Incident",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="consents",
    )
    person = models.ForeignKey(
        "incidents.Person",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="consents",
    )
    scope = models.CharField(max_length=16, choices=ConsentScope.choices)
    given_by = EncryptedTextField()
    note = EncryptedTextField()
    given_at = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-given_at", "-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=_one_target("incident", "person"), name="consent_on_one_record"
            ),
        ]

    def __str__(self) -> str:
        return f"consent {self.uuid} ({self.scope})"

    @property
    def target_label(self) -> str:
        if self.incident is not None:
            return self.incident.public_id
        assert self.person is not None  # the constraint: exactly one target
        return self.person.public_id


class Audience(models.TextChoices):
    PUBLIC = "public", "Public"
    PARTNERS = "partners", "Partners"


class Release(models.Model):
    """One decision to publish an incident to an audience, with its public text.

    States: ``needs_review`` (queued by an embargo's end; nobody proposed it yet),
    ``proposed`` (an editor's proposal awaiting a second editor), ``approved`` (live until
    withdrawn or superseded by a later approved release for the same audience),
    ``rejected``, ``withdrawn``, ``superseded``.
    """

    IDENTIFYING_FIELDS = ("decision_note", "queue_note")

    class State(models.TextChoices):
        NEEDS_REVIEW = "needs_review", "Needs review"
        PROPOSED = "proposed", "Proposed"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"
        SUPERSEDED = "superseded", "Superseded"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="releases"
    )
    audience = models.CharField(max_length=16, choices=Audience.choices)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PROPOSED)
    # The only free text that is ever published: written for the public by the proposer.
    public_title = models.CharField(max_length=300, blank=True)
    public_summary = models.TextField(blank=True)
    # Coarser generalisation (refuge.publish.generalise) for a sensitive case.
    sensitive = models.BooleanField(default=False)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rejected_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Why it was rejected or withdrawn: may speak of a person's situation, so encrypted.
    decision_note = EncryptedTextField()
    # Why a needs_review entry was queued (e.g. an embargo's date came).
    queue_note = EncryptedTextField()
    # Made by `refuge load-sample`: the demo's releases had no two editors to approve them.
    is_sample = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="needs_review") | ~Q(public_title=""),
                name="release_has_public_title",
            ),
            models.CheckConstraint(
                condition=~Q(state="approved") | Q(approved_at__isnull=False),
                name="release_approved_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"release {self.uuid} ({self.audience}, {self.state})"


class LegalHold(models.Model):
    """Keeps a person's data (or that of everyone in an incident) as evidence: no erasure."""

    IDENTIFYING_FIELDS = ("reason",)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey(
        "incidents.Incident",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="legal_holds",
    )
    person = models.ForeignKey(
        "incidents.Person",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="legal_holds",
    )
    reason = EncryptedTextField()
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField()
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-set_at"]
        constraints = [
            models.CheckConstraint(
                condition=_one_target("incident", "person"), name="legal_hold_on_one_record"
            ),
        ]

    def __str__(self) -> str:
        return f"legal hold {self.uuid}"


class ErasureScope(models.TextChoices):
    ALL = "all", "Every identifying field"
    NAMES = "names", "Names (every script) and the name index"
    CONTACT = "contact", "Home town, family and contact details"


class ErasureRequest(models.Model):
    """A request to erase a person's identifying data, and what was done about it.

    The person is kept by public id only (``person_public_id``) so the record survives even
    if the person row is later deleted; who asked is encrypted.
    """

    IDENTIFYING_FIELDS = ("requested_by", "note")

    class Outcome(models.TextChoices):
        ERASED = "erased", "Erased"
        REFUSED_LEGAL_HOLD = "refused_legal_hold", "Refused: under legal hold"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        "incidents.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="erasure_requests",
    )
    person_public_id = models.CharField(max_length=32)
    requested_by = EncryptedTextField()
    requested_at = models.DateField()
    scope = models.CharField(max_length=16, choices=ErasureScope.choices, default=ErasureScope.ALL)
    note = EncryptedTextField()
    outcome = models.CharField(max_length=24, choices=Outcome.choices)
    fields_erased = models.JSONField(default=list, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField()

    class Meta:
        ordering = ["-handled_at"]

    def __str__(self) -> str:
        return f"erasure request {self.uuid} for {self.person_public_id}"


__all__ = [
    "Audience",
    "Consent",
    "ConsentScope",
    "Embargo",
    "EmbargoCondition",
    "ErasureRequest",
    "ErasureScope",
    "LegalHold",
    "Release",
    "active_embargo_q",
    "day_start",
]
