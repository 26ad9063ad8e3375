"""The snapshot's own guards: whatever the releases say, no embargoed or merged incident leaves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from refuge.web.disclosure.models import Embargo, Release
from refuge.web.disclosure.snapshot import live_releases, snapshot

pytestmark = pytest.mark.django_db

NOW = datetime(2031, 1, 1, tzinfo=UTC)


def _approved(incident: Any, audience: str = "public", title: str = "Public title") -> Release:
    # Written directly, past the services: the snapshot must hold even if a row is wrong.
    return Release.objects.create(
        incident=incident,
        audience=audience,
        state="approved",
        public_title=title,
        approved_at=NOW,
    )


def test_an_active_embargo_keeps_an_approved_release_out_of_the_snapshot(
    make_incident: Callable[..., Any],
) -> None:
    incident = make_incident(disclosure="organisation")
    _approved(incident)
    assert [r.incident_id for r in live_releases("public", NOW)] == [incident.pk]
    Embargo.objects.create(incident=incident, condition="family_consents", set_at=NOW)
    assert live_releases("public", NOW) == []
    assert snapshot("partners", NOW).incidents == ()


def test_a_merged_incident_is_never_published(make_incident: Callable[..., Any]) -> None:
    kept = make_incident("Kept", disclosure="organisation")
    duplicate = make_incident("Duplicate", disclosure="organisation")
    _approved(kept)
    _approved(duplicate)
    type(duplicate).all_objects.filter(pk=duplicate.pk).update(merged_into=kept)
    assert [i.public_id for i in snapshot("public", NOW).incidents] == [kept.public_id]


def test_only_approved_releases_count_and_the_newest_text_wins(
    make_incident: Callable[..., Any],
) -> None:
    incident = make_incident(disclosure="organisation")
    for state in ("proposed", "rejected", "withdrawn", "superseded", "needs_review"):
        Release.objects.create(
            incident=incident, audience="public", state=state, public_title=state
        )
    assert snapshot("public", NOW).incidents == ()
    _approved(incident, "public", "For the public")
    later = _approved(incident, "partners", "For partners")
    later.approved_at = NOW.replace(hour=5)
    later.save()
    [public] = snapshot("public", NOW).incidents
    [partners] = snapshot("partners", NOW).incidents
    assert (public.title, public.audience) == ("For the public", "public")
    assert (partners.title, partners.audience) == ("For partners", "partners")


def test_the_aggregate_input_never_takes_a_free_text_facility(
    make_incident: Callable[..., Any],
) -> None:
    incident = make_incident(disclosure="organisation")
    event = incident.events.get()
    event.facility = "the house of Zqx's cousin"
    event.save()
    _approved(incident)
    [entry] = snapshot("partners", NOW).inputs
    assert entry.facility == ""
    assert (entry.month, entry.country, entry.province, entry.total) == (
        "2024-04",
        "CN",
        "Jilin",
        60,
    )
