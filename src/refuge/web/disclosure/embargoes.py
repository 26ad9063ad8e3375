"""Which records an active embargo holds back, as queries (used by the policy and the snapshot).

An embargo on an incident, on one of its victim groups or on a person linked to it holds
the whole incident back: its figures and its timeline describe those people. An embargo on
a person also hides that person's record from partners.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from django.db import models
from django.db.models import Q
from django.utils import timezone

from refuge.web.disclosure.models import Embargo, active_embargo_q

M = TypeVar("M", bound=models.Model)


def _active(now: datetime | None) -> models.QuerySet[Embargo]:
    return Embargo.objects.filter(active_embargo_q(now or timezone.now()))


def embargoed_incidents_q(now: datetime | None = None) -> Q:
    """A filter on Incident: held back by an active embargo on it, a group or a person."""
    from refuge.web.incidents.models import Victimhood

    active = _active(now)
    on_persons = active.filter(person__isnull=False).values("person_id")
    return (
        Q(pk__in=active.filter(incident__isnull=False).values("incident_id"))
        | Q(pk__in=active.filter(victim_group__isnull=False).values("victim_group__incident"))
        | Q(pk__in=Victimhood.objects.filter(person_id__in=on_persons).values("incident_id"))
    )


def embargoed_persons_q(now: datetime | None = None) -> Q:
    """A filter on Person: under an active embargo of their own."""
    return Q(pk__in=_active(now).filter(person__isnull=False).values("person_id"))


def without_embargoed(
    queryset: models.QuerySet[M], now: datetime | None = None
) -> models.QuerySet[M]:
    """``queryset`` minus the incidents or persons an active embargo holds back."""
    label = queryset.model._meta.label
    if label == "incidents.Incident":
        return queryset.exclude(embargoed_incidents_q(now))
    if label == "incidents.Person":
        return queryset.exclude(embargoed_persons_q(now))
    return queryset


def is_embargoed(obj: Any, now: datetime | None = None) -> bool:
    """Whether an active embargo holds this incident or person back (other records: no)."""
    model = type(obj)
    label = model._meta.label
    if label not in ("incidents.Incident", "incidents.Person") or obj.pk is None:
        return False
    return not without_embargoed(model._default_manager.filter(pk=obj.pk), now).exists()


__all__ = ["embargoed_incidents_q", "embargoed_persons_q", "is_embargoed", "without_embargoed"]
