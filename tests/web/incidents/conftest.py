"""Personas beyond the base world, for the editing tests.

- erin: editor of another team (Legal); sees organisation-level records of any team, but
  team-level records of her own team only, and so may change only those.
"""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def erin(db: Any) -> Any:
    from refuge.web.accounts.models import User
    from refuge.web.accounts.services import team_get_or_create

    user = User(username="erin", role="editor", team=team_get_or_create(name="Legal", slug="legal"))
    user.set_password("correct horse battery staple")
    user.save()
    return user


@pytest.fixture
def contents() -> Any:
    """Everything an incident holds, as comparable data: what an undo must restore exactly."""
    from refuge.web.incidents.models import Event, Incident, IncidentSource, Victimhood

    def read(incident: Any) -> dict[str, Any]:
        incident = Incident.all_objects.get(pk=incident.pk)
        events = Event.objects.filter(incident=incident).prefetch_related(
            "places", "actors", "claims"
        )
        return {
            "fields": {
                name: getattr(incident, name)
                for name in (
                    "public_id",
                    "title",
                    "summary",
                    "status",
                    "team_id",
                    "disclosure",
                    "merged_into_id",
                )
            },
            "events": sorted(
                (
                    str(e.uuid),
                    e.order,
                    e.type,
                    e.date_start,
                    e.date_end,
                    e.date_precision,
                    e.place_precision,
                    e.facility,
                    tuple(sorted(p.pk for p in e.places.all())),
                    tuple(sorted(a.pk for a in e.actors.all())),
                    tuple(sorted(c.pk for c in e.claims.all())),
                )
                for e in events
            ),
            "groups": sorted(
                (
                    str(g.uuid),
                    g.nationality,
                    g.description,
                    g.total_min,
                    g.total_best,
                    g.total_max,
                    g.total_qualifier,
                    g.adults,
                    g.minors,
                    g.women,
                    g.men,
                    tuple(sorted((fc.figure, fc.claim_id) for fc in g.figure_claims.all())),
                )
                for g in incident.victim_groups.all()
            ),
            "sources": sorted(
                (link.source_id, link.relation)
                for link in IncidentSource.objects.filter(incident=incident)
            ),
            "persons": sorted(
                (v.person_id, str(v.event.uuid) if v.event else "", v.role)
                for v in Victimhood.objects.filter(incident=incident).select_related("event")
            ),
        }

    return read
