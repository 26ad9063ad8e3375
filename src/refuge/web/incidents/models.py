"""Incidents and everything that describes them.

Uncertainty is ordinary data here: an event's place may be several alternatives ("Tumen or
Hunchun"), its date a period with a precision, a count a min/best/max with a qualifier. Every
figure can point to the claims (source spans) that state it. Validation rules live in the
pure modules ``refuge.periods`` and ``refuge.counts`` and are applied by ``clean()``, so the
forms, the services and the loaders all enforce the same ones; the database repeats the
simplest as constraints.
"""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from refuge.counts import check_count
from refuge.errors import DomainValidationError
from refuge.periods import Period, check_period
from refuge.vocabulary import (
    COUNT_QUALIFIERS,
    DATE_PRECISIONS,
    EVENT_TYPES,
    PLACE_KINDS,
    PLACE_PRECISIONS,
    STATUSES,
    choices,
)
from refuge.web.disclosure.levels import Level
from refuge.web.encrypted import EncryptedIntegerField, EncryptedQuerySet, EncryptedTextField

if TYPE_CHECKING:
    from refuge.web.sources.models import Source


def _validate(check: object, *args: object, field: str | None = None) -> None:
    """Run a pure rule and turn its DomainValidationError into Django's ValidationError."""
    try:
        check(*args)  # type: ignore[operator]
    except DomainValidationError as exc:
        if field:
            raise ValidationError({field: str(exc)}, code=exc.code) from None
        raise ValidationError(str(exc), code=exc.code) from None


class Place(models.Model):
    """A place of the gazetteer (refuge.gazetteer), loaded by `refuge init`."""

    gazetteer_id = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    name_ko = models.CharField(max_length=200, blank=True)
    name_zh = models.CharField(max_length=200, blank=True)
    variants = models.JSONField(default=list, blank=True)
    kind = models.CharField(max_length=20, choices=choices(PLACE_KINDS))
    precision = models.CharField(max_length=20, choices=choices(PLACE_PRECISIONS))
    country = models.CharField(max_length=2)
    admin1 = models.CharField(max_length=200, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    source = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["country", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(lat__isnull=True) & models.Q(lon__isnull=True))
                | (
                    models.Q(lat__isnull=False, lon__isnull=False)
                    & models.Q(lat__gte=-90, lat__lte=90)
                    & models.Q(lon__gte=-180, lon__lte=180)
                ),
                name="place_point_complete_and_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"


class Actor(models.Model):
    """An institution (a public security bureau) or a person in a role (its director)."""

    class Kind(models.TextChoices):
        INSTITUTION = "institution", "Institution"
        PERSON_IN_ROLE = "person_in_role", "Person in a role"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.INSTITUTION)
    country = models.CharField(max_length=2, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="units"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Claim(models.Model):
    """One fact asserted by one source, with the span of its text that asserts it."""

    class Review(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACCEPTED = "accepted", "Accepted"
        EDITED = "edited", "Edited"
        REJECTED = "rejected", "Rejected"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.ForeignKey("sources.Source", on_delete=models.PROTECT, related_name="claims")
    field = models.CharField(max_length=100)  # a key of the extraction contract's evidence map
    value = models.JSONField(null=True)
    # The first span; ``spans`` holds every [start, end) that states the value (the first
    # included), for values the text states more than once.
    span_start = models.PositiveIntegerField()
    span_end = models.PositiveIntegerField()
    spans = models.JSONField(default=list, blank=True)
    confidence = models.FloatField(default=1.0)
    extractor_version = models.CharField(max_length=64)  # "manual" for a person's claim
    review_status = models.CharField(max_length=16, choices=Review.choices, default=Review.PROPOSED)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    edited_value = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["source_id", "span_start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(span_end__gt=models.F("span_start")),
                name="claim_span_not_empty",
            ),
            models.CheckConstraint(
                condition=models.Q(confidence__gte=0) & models.Q(confidence__lte=1),
                name="claim_confidence_0_to_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.field} = {self.value!r}"

    def clean(self) -> None:
        super().clean()
        if self.span_end <= self.span_start:
            raise ValidationError({"span_end": "a span ends after it starts"}, code="R058")
        if self.source_id and self.span_end > len(self.source.text):
            raise ValidationError(
                {"span_end": "the span runs past the end of the source's text"}, code="R058"
            )

    def seal_values(self) -> None:
        """Encrypt the values of a claim made from a confidential source (call before save).

        A claim's value can repeat the source's words (a witness's name, a village), so for
        confidential sources it is stored as ``{"$encrypted": token}``; read ``plain_value``.
        """
        if self.source.content_class != "confidential":
            return
        from refuge.crypto import encrypt_field
        from refuge.web.keys import get_keyring

        for name in ("value", "edited_value"):
            value = getattr(self, name)
            if value is None or (isinstance(value, dict) and "$encrypted" in value):
                continue
            token = encrypt_field(
                get_keyring(),
                json.dumps(value, ensure_ascii=False),
                table=self._meta.db_table,
                field=name,
                record_uuid=self.uuid,
            )
            setattr(self, name, {"$encrypted": token})

    def _open(self, name: str) -> Any:
        value = getattr(self, name)
        if isinstance(value, dict) and set(value) == {"$encrypted"}:
            from refuge.crypto import decrypt_field
            from refuge.web.keys import get_keyring

            return json.loads(
                decrypt_field(
                    get_keyring(),
                    value["$encrypted"],
                    table=self._meta.db_table,
                    field=name,
                    record_uuid=self.uuid,
                )
            )
        return value

    @property
    def plain_value(self) -> Any:
        return self._open("value")

    @property
    def plain_edited_value(self) -> Any:
        return self._open("edited_value")

    @property
    def quote(self) -> str:
        """The words of the source that state this claim."""
        return str(self.source.text)[self.span_start : self.span_end]


class CurrentIncidentManager(models.Manager["Incident"]):
    """Incidents not merged into another: what lists, search, statistics and exports read.

    A merged incident stays in the database (its merge can be undone, and its public id
    keeps pointing to the record it joined) but is a duplicate: counting or listing it
    beside the incident it joined would count the same people twice.
    """

    def get_queryset(self) -> models.QuerySet[Incident]:
        return super().get_queryset().filter(merged_into__isnull=True)


class Incident(models.Model):
    """What happened to a group of people at a time and place, built from claims.

    ``Incident.objects`` leaves out incidents merged into another (see
    ``CurrentIncidentManager``); ``Incident.all_objects`` holds every row and is the default
    manager, so backups, related lookups and merge services still see merged incidents.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    public_id = models.CharField(max_length=32, unique=True)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    status = models.CharField(max_length=24, choices=choices(STATUSES), default="unknown")
    team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    disclosure = models.CharField(max_length=16, choices=Level.choices, default=Level.TEAM)
    sources: models.ManyToManyField[Source, IncidentSource] = models.ManyToManyField(
        "sources.Source", through="IncidentSource", related_name="incidents"
    )
    # Set when this incident was found to be a duplicate and merged into another (the
    # MergeRecord holds what moved, so the merge can be undone).
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The first manager is the default one: every row (dumpdata, backups, related lookups).
    all_objects = models.Manager()
    objects = CurrentIncidentManager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("pk")),
                name="incident_not_merged_into_itself",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.public_id}: {self.title}"


class IncidentSource(models.Model):
    class Relation(models.TextChoices):
        REPORTS = "reports", "Reports"
        CORROBORATES = "corroborates", "Corroborates"
        CONTRADICTS = "contradicts", "Contradicts"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE)
    source = models.ForeignKey("sources.Source", on_delete=models.PROTECT)
    relation = models.CharField(max_length=16, choices=Relation.choices, default=Relation.REPORTS)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "source"], name="incident_source_once"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.relation} {self.incident_id}"


class Event(models.Model):
    """One act in an incident (arrest, detention, transfer, ...), ordered within it.

    Several places mean alternatives ("Tumen or Hunchun"), not a route: a route is several
    events. A person's custody path is the ordered events they are linked to.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    order = models.PositiveSmallIntegerField()
    type = models.CharField(max_length=24, choices=choices(EVENT_TYPES))
    date_start = models.DateField(null=True, blank=True)
    date_end = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=8, choices=choices(DATE_PRECISIONS), blank=True)
    places = models.ManyToManyField(Place, blank=True, related_name="events")
    place_precision = models.CharField(max_length=16, choices=choices(PLACE_PRECISIONS), blank=True)
    facility = models.CharField(max_length=300, blank=True)
    actors = models.ManyToManyField(Actor, blank=True, related_name="events")
    claims = models.ManyToManyField(Claim, blank=True, related_name="events")

    class Meta:
        ordering = ["incident_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "order"], name="event_order_unique"),
            models.CheckConstraint(
                condition=models.Q(date_end__isnull=True)
                | models.Q(date_start__isnull=True)
                | models.Q(date_end__gte=models.F("date_start")),
                name="event_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.type}"

    def clean(self) -> None:
        super().clean()
        _validate(check_period, self.date_start, self.date_end, self.date_precision or None)

    @property
    def period(self) -> Period | None:
        if self.date_start is None or self.date_end is None or not self.date_precision:
            return None
        return Period(self.date_start, self.date_end, self.date_precision)  # type: ignore[arg-type]


class VictimGroup(models.Model):
    """A group of victims with counts; each figure keeps the claims that state it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="victim_groups")
    nationality = models.CharField(max_length=2, blank=True)
    description = models.CharField(max_length=300, blank=True)
    total_min = models.PositiveIntegerField(null=True, blank=True)
    total_best = models.PositiveIntegerField(null=True, blank=True)
    total_max = models.PositiveIntegerField(null=True, blank=True)
    total_qualifier = models.CharField(max_length=10, choices=choices(COUNT_QUALIFIERS), blank=True)
    adults = models.PositiveIntegerField(null=True, blank=True)
    minors = models.PositiveIntegerField(null=True, blank=True)
    women = models.PositiveIntegerField(null=True, blank=True)
    men = models.PositiveIntegerField(null=True, blank=True)
    claims: models.ManyToManyField[Claim, VictimFigureClaim] = models.ManyToManyField(
        Claim, through="VictimFigureClaim", related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(total_min__isnull=True)
                    | models.Q(total_best__isnull=True)
                    | models.Q(total_min__lte=models.F("total_best"))
                )
                & (
                    models.Q(total_best__isnull=True)
                    | models.Q(total_max__isnull=True)
                    | models.Q(total_best__lte=models.F("total_max"))
                )
                & (
                    models.Q(total_min__isnull=True)
                    | models.Q(total_max__isnull=True)
                    | models.Q(total_min__lte=models.F("total_max"))
                ),
                name="victims_min_best_max_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.description or f"group of {self.total_best}"

    def clean(self) -> None:
        super().clean()
        _validate(
            check_count,
            self.total_min,
            self.total_best,
            self.total_max,
            self.total_qualifier or None,
        )
        parts = [
            ("adults", "minors"),
            ("women", "men"),
        ]
        ceiling = self.total_max if self.total_max is not None else None
        for a, b in parts:
            va, vb = getattr(self, a), getattr(self, b)
            if ceiling is not None and va is not None and vb is not None and va + vb > ceiling:
                raise ValidationError(
                    f"{a} + {b} ({va + vb}) exceed the largest total ({ceiling})", code="R059"
                )


class VictimFigureClaim(models.Model):
    """Links one figure of a victim group (total, adults, ...) to a claim that states it."""

    class Figure(models.TextChoices):
        TOTAL = "total", "Total"
        ADULTS = "adults", "Adults"
        MINORS = "minors", "Minors"
        WOMEN = "women", "Women"
        MEN = "men", "Men"

    victim_group = models.ForeignKey(
        VictimGroup, on_delete=models.CASCADE, related_name="figure_claims"
    )
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="figure_links")
    figure = models.CharField(max_length=8, choices=Figure.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["victim_group", "claim", "figure"], name="figure_claim_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.figure} of group {self.victim_group_id} <- claim {self.claim_id}"


class Person(models.Model):
    """A victim known as an individual, under a pseudonymous public id.

    Every identifying field is encrypted at rest (refuge.web.encrypted), bound to this
    record's UUID; names are found through the blind index (PersonNameTerm), never by a
    query on the name columns. Nothing here may be logged, shown in the admin or exported
    unless the disclosure policy's ``redact`` allows it.
    """

    IDENTIFYING_FIELDS = (
        "name",
        "name_ko",
        "name_zh",
        "birth_year",
        "birth_date",
        "hometown",
        "family",
        "contact",
        "notes",
    )

    class Sex(models.TextChoices):
        FEMALE = "F", "Female"
        MALE = "M", "Male"
        OTHER = "X", "Other / not stated"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    public_id = models.CharField(max_length=32, unique=True)
    # The importing organisation's own id, so a re-import updates instead of duplicating.
    external_id = models.CharField(max_length=100, blank=True)
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="persons"
    )
    disclosure = models.CharField(max_length=16, choices=Level.choices, default=Level.TEAM)
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    name = EncryptedTextField()
    name_ko = EncryptedTextField()
    name_zh = EncryptedTextField()
    birth_year = EncryptedIntegerField()
    birth_date = EncryptedTextField()
    hometown = EncryptedTextField()
    family = EncryptedTextField()
    contact = EncryptedTextField()
    notes = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        ordering = ["public_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "external_id"],
                condition=~models.Q(external_id=""),
                name="person_external_id_once_per_team",
            ),
        ]

    def __str__(self) -> str:
        # Never the name: this string lands in logs, admin breadcrumbs and error pages.
        return self.public_id


class PersonNameTerm(models.Model):
    """One blind-index term of a person's name (refuge.crypto.blind_index).

    Truncated keyed hashes of normalised name forms: many names share a term, so the table
    cannot be reversed with a list of common names, and a search returns candidates that
    are then decrypted and checked for an editor.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_terms")
    term = models.CharField(max_length=32, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "term"], name="person_term_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.term}"


class Victimhood(models.Model):
    """A person's part in an incident, optionally in one of its events."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="victimhoods")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="victimhoods")
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="victimhoods"
    )
    role = models.CharField(max_length=32, default="victim")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "incident", "event"], name="victimhood_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.role} in {self.incident_id}"

    def clean(self) -> None:
        super().clean()
        if self.event is not None and self.event.incident_id != self.incident_id:
            raise ValidationError("the event belongs to another incident", code="R059")


class MergeRecord(models.Model):
    """One merge or split of incidents, holding exactly what moved so it can be undone.

    A merge moves the contents of ``from_incident`` (the duplicate) onto ``to_incident``
    (the incident kept) and marks the duplicate ``merged_into`` it. A split moves the
    chosen contents of ``from_incident`` (the original) onto ``to_incident`` (created by
    the split). ``moved`` names rows by primary key only, never their data:
    ``{"events": [{"id", "order", "new_order"}], "victim_groups": [id],
    "victimhoods": [id], "victimhoods_removed": [{"person", "event", "role"}],
    "sources_copied": [link id], "sources_moved": [link id]}``.
    """

    class Kind(models.TextChoices):
        MERGE = "merge", "Merge"
        SPLIT = "split", "Split"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    from_incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, related_name="merge_records_from"
    )
    to_incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, related_name="merge_records_to"
    )
    moved = models.JSONField(default=dict)
    reason = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_incident=models.F("to_incident")),
                name="merge_record_two_incidents",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.from_incident_id} -> {self.to_incident_id}"
