"""Editing services: the policy decides who may change what, the model rules hold, every
change is audited (identifying values never)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from refuge.errors import AccessDenied, RefugeError
from refuge.web.audit.models import AuditEntry
from refuge.web.incidents import services
from refuge.web.incidents.models import Actor, Event, Incident, Person, VictimGroup

pytestmark = pytest.mark.django_db


def _last_change(user: Any) -> dict[str, Any]:
    entry = AuditEntry.objects.filter(actor=f"user:{user.username}").order_by("-seq").first()
    assert entry is not None
    return dict(entry.payload)


def test_an_editor_changes_an_incident_and_the_change_is_audited(
    make_incident: Callable[..., Any], alice: Any
) -> None:
    incident = make_incident()
    services.incident_update(
        user=alice,
        incident=incident,
        title="Sixty returned",
        summary="Edited.",
        status="detained",
        disclosure="organisation",
        team=incident.team,
    )
    incident.refresh_from_db()
    assert (incident.title, incident.status, incident.disclosure) == (
        "Sixty returned",
        "detained",
        "organisation",
    )
    change = _last_change(alice)
    assert change["record"] == f"incidents.Incident:{incident.public_id}"
    assert change["before"]["status"] == "repatriated"
    assert change["after"]["status"] == "detained"


@pytest.mark.parametrize("who", ["bob", "carol", "dave"])
def test_readers_and_outsiders_change_nothing(
    make_incident: Callable[..., Any], who: str, request: pytest.FixtureRequest
) -> None:
    incident = make_incident(disclosure="partners")  # seen by analysts and partners alike
    user = request.getfixturevalue(who)
    event = incident.events.get()
    group = incident.victim_groups.get()
    calls: list[Callable[[], Any]] = [
        lambda: services.incident_update(
            user=user,
            incident=incident,
            title="x",
            summary="",
            status="unknown",
            disclosure="partners",
            team=incident.team,
        ),
        lambda: services.event_create(user=user, incident=incident, order=9, type="release"),
        lambda: services.event_delete(user=user, event=event),
        lambda: services.victim_group_delete(user=user, group=group),
        lambda: services.actor_create(user=user, name="Bureau", kind="institution"),
        lambda: services.incident_create(user=user, title="New", team=incident.team),
    ]
    for call in calls:
        with pytest.raises(AccessDenied) as refused:
            call()
        assert refused.value.code == "R130"
    incident.refresh_from_db()
    assert incident.title == "Sixty returned from Tumen"
    assert Event.objects.count() == 1 and VictimGroup.objects.count() == 1
    assert not AuditEntry.objects.filter(actor=f"user:{user.username}").exists()


def test_an_editor_of_another_team_cannot_touch_a_team_record(
    make_incident: Callable[..., Any], erin: Any
) -> None:
    incident = make_incident()  # team level, Documentation team
    with pytest.raises(AccessDenied):
        services.event_create(user=erin, incident=incident, order=2, type="release")
    with pytest.raises(AccessDenied):
        services.event_update(
            user=erin,
            event=incident.events.get(),
            order=1,
            type="death",
            date_start=None,
            date_end=None,
            date_precision="",
            places=[],
            place_precision="",
            facility="",
            actors=[],
        )
    assert incident.events.get().type == "arrest"


def test_an_editor_cannot_file_a_record_out_of_her_own_sight(
    make_incident: Callable[..., Any], alice: Any, erin: Any
) -> None:
    incident = make_incident(disclosure="organisation")
    # Erin sees this organisation-level record; narrowing it to a team she is not in would
    # hide it from her, and giving it to her team at team level is not hers to decide for
    # the Documentation team's record either way: the policy is asked about the result.
    with pytest.raises(services.RecordInvalid) as refused:
        services.incident_update(
            user=erin,
            incident=incident,
            title=incident.title,
            summary="",
            status="unknown",
            disclosure="team",
            team=incident.team,
        )
    assert refused.value.code == "R130"
    assert "team" in refused.value.fields
    with pytest.raises(services.RecordInvalid):
        services.incident_create(user=alice, title="New", team=erin.team, disclosure="team")
    created = services.incident_create(user=alice, title="New", team=alice.team, disclosure="team")
    assert created.team == alice.team


def test_a_merged_incident_cannot_be_edited(make_incident: Callable[..., Any], alice: Any) -> None:
    from refuge.web.incidents.merging import incident_merge

    keep = make_incident("Kept")
    duplicate = make_incident("Duplicate", text="SAMPLE DATA. About 60 were held. Again.")
    incident_merge(user=alice, keep=keep, duplicate=duplicate)
    duplicate = Incident.all_objects.get(pk=duplicate.pk)
    with pytest.raises(RefugeError) as refused:
        services.event_create(user=alice, incident=duplicate, order=1, type="release")
    assert refused.value.code == "R132"


def test_event_edits_follow_the_period_rules_and_record_links(
    make_incident: Callable[..., Any], alice: Any
) -> None:
    incident = make_incident()
    event = incident.events.get()
    actor = services.actor_create(user=alice, name="Tumen Border Police", kind="institution")
    with pytest.raises(ValidationError):
        services.event_update(
            user=alice,
            event=event,
            order=1,
            type="arrest",
            date_start=date(2024, 4, 3),  # not the first day of its month
            date_end=date(2024, 4, 30),
            date_precision="month",
            places=[],
            place_precision="",
            facility="",
            actors=[],
        )
    services.event_update(
        user=alice,
        event=event,
        order=1,
        type="detention",
        date_start=date(2024, 4, 3),
        date_end=date(2024, 4, 3),
        date_precision="day",
        places=list(event.places.all()),
        place_precision="facility",
        facility="Tumen border detention center",
        actors=[actor],
    )
    change = _last_change(alice)
    assert change["before"]["type"] == "arrest" and change["after"]["type"] == "detention"
    assert change["after"]["actors"] == [str(actor.uuid)]
    assert change["before"]["actors"] == []


def test_an_event_with_persons_is_not_deleted(
    make_incident: Callable[..., Any], alice: Any
) -> None:
    incident = make_incident()
    event = incident.events.get()
    person = services.person_create(team=incident.team, name="Linked")
    services.victimhood_create(person=person, incident=incident, event=event)
    with pytest.raises(RefugeError) as refused:
        services.event_delete(user=alice, event=event)
    assert refused.value.code == "R136"
    assert Event.objects.filter(pk=event.pk).exists()


def test_deleting_an_event_or_group_is_audited_with_what_it_held(
    make_incident: Callable[..., Any], alice: Any
) -> None:
    incident = make_incident()
    event = incident.events.get()
    group = incident.victim_groups.get()
    claim_ids = list(group.figure_claims.values_list("claim_id", flat=True))
    services.event_delete(user=alice, event=event)
    deleted = _last_change(alice)
    assert deleted["record"] == f"incidents.Event:{event.uuid}"
    assert deleted["deleted"]["type"] == "arrest"
    services.victim_group_delete(user=alice, group=group)
    deleted = _last_change(alice)
    assert deleted["deleted"]["figure_claims"] == [f"total:{c}" for c in claim_ids]
    assert not incident.events.exists() and not incident.victim_groups.exists()


def test_victim_group_edits_keep_the_count_rules(
    make_incident: Callable[..., Any], alice: Any
) -> None:
    group = make_incident().victim_groups.get()
    with pytest.raises(ValidationError):
        services.victim_group_update(
            user=alice,
            group=group,
            nationality="KP",
            description="",
            total=(70, 60, 80),
            qualifier="range",
            adults=None,
            minors=None,
            women=None,
            men=None,
        )
    services.victim_group_update(
        user=alice,
        group=group,
        nationality="KP",
        description="North Koreans",
        total=(50, 55, 60),
        qualifier="range",
        adults=40,
        minors=12,
        women=None,
        men=None,
    )
    group.refresh_from_db()
    assert (group.total_min, group.total_best, group.total_max) == (50, 55, 60)
    assert group.figure_claims.count() == 1  # the provenance of the figure stays


def test_an_actor_in_use_is_not_deleted_and_never_its_own_unit(
    make_incident: Callable[..., Any], alice: Any
) -> None:
    bureau = services.actor_create(user=alice, name="Bureau", kind="institution", country="CN")
    office = services.actor_create(user=alice, name="Office", kind="institution", parent=bureau)
    with pytest.raises(services.RecordInvalid) as loop:
        services.actor_update(
            user=alice, actor=bureau, name="Bureau", kind="institution", country="CN", parent=office
        )
    assert "parent" in loop.value.fields
    with pytest.raises(RefugeError) as in_use:
        services.actor_delete(user=alice, actor=bureau)
    assert in_use.value.code == "R136"
    event = make_incident().events.get()
    event.actors.add(office)
    with pytest.raises(RefugeError):
        services.actor_delete(user=alice, actor=office)
    event.actors.remove(office)
    services.actor_delete(user=alice, actor=office)
    services.actor_delete(user=alice, actor=bureau)
    assert not Actor.objects.exists()


def test_a_person_edit_is_encrypted_reindexed_and_audited_by_field_name_only(
    alice: Any, bob: Any, team: Any
) -> None:
    from refuge.web.incidents.persons import persons_search

    person = services.person_create(user=alice, team=team, name="Kim Zqxold", disclosure="team")
    services.person_update(
        user=alice,
        person=person,
        name="Pak Zqxnew",
        name_ko="박영희",
        birth_year=1990,
        hometown="Hoeryong",
        sex="F",
    )
    stored = Person.objects.get(pk=person.pk)
    assert stored.name == "Pak Zqxnew" and stored.birth_year == 1990
    assert [c.public_id for c in persons_search(user=alice, query="Pak Zqxnew")] == [
        person.public_id
    ]
    assert persons_search(user=alice, query="Kim Zqxold") == []
    change = _last_change(alice)
    assert change["identifying_fields_changed"] == ["birth_year", "hometown", "name", "name_ko"]
    assert change["after"] == {"sex": "F"}
    assert "Zqx" not in str(list(AuditEntry.objects.values_list("payload", flat=True)))
    with pytest.raises(AccessDenied):
        services.person_update(user=bob, person=person, name="x")
