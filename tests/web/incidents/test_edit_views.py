"""The editing, merging and splitting screens, driven as a browser would (without JS)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from refuge.web.audit.models import AuditEntry
from refuge.web.incidents import selectors, services
from refuge.web.incidents.models import Event, Incident, Person, VictimGroup

pytestmark = pytest.mark.django_db

OTHER_REPORT = "SAMPLE DATA. About 60 people were caught near Tumen in April, a radio said."


def _signed_in(user: Any, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def _pages(incident: Incident, actor: Any, person: Any) -> list[str]:
    event = incident.events.get()
    group = incident.victim_groups.get()
    pid = incident.public_id
    return [
        reverse("incidents:new"),
        reverse("incidents:edit", args=[pid]),
        reverse("incidents:event_new", args=[pid]),
        reverse("incidents:event_edit", args=[pid, event.uuid]),
        reverse("incidents:event_delete", args=[pid, event.uuid]),
        reverse("incidents:victims_new", args=[pid]),
        reverse("incidents:victims_edit", args=[pid, group.uuid]),
        reverse("incidents:victims_delete", args=[pid, group.uuid]),
        reverse("incidents:merge", args=[pid]),
        reverse("incidents:split", args=[pid]),
        reverse("incidents:actors"),
        reverse("incidents:actor_new"),
        reverse("incidents:actor_edit", args=[actor.uuid]),
        reverse("incidents:actor_delete", args=[actor.uuid]),
        reverse("persons:new"),
        reverse("persons:edit", args=[person.public_id]),
    ]


def _state() -> tuple[int, ...]:
    return (
        Incident.all_objects.count(),
        Event.objects.count(),
        VictimGroup.objects.count(),
        Person.objects.count(),
        AuditEntry.objects.filter(action="record_change").count(),
    )


def test_every_editing_page_opens_for_an_editor_and_a_get_never_writes(
    make_incident: Callable[..., Any], alice: Any
) -> None:
    incident = make_incident()
    actor = services.actor_create(user=alice, name="Tumen Border Police", kind="institution")
    person = services.person_create(user=alice, team=alice.team, name="Kim Sample")
    client = _signed_in(alice)
    before = _state()
    for url in _pages(incident, actor, person):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "csrfmiddlewaretoken" in response.content.decode(), url
    assert _state() == before


def test_an_analyst_gets_403_and_an_outsider_404_even_by_post(
    make_incident: Callable[..., Any], alice: Any, bob: Any, erin: Any
) -> None:
    incident = make_incident()
    visible = make_incident("Organisation", text=OTHER_REPORT, disclosure="organisation")
    actor = services.actor_create(user=alice, name="Bureau", kind="institution")
    person = services.person_create(user=alice, team=alice.team, name="Kim", disclosure="team")
    before = _state()
    for url in _pages(visible, actor, person)[:10]:
        assert _signed_in(bob).post(url, {"title": "x", "confirm": "on"}).status_code == 403
    for url in _pages(incident, actor, person)[1:10]:
        assert _signed_in(erin).post(url, {"title": "x", "confirm": "on"}).status_code == 404
    assert _signed_in(erin).get(reverse("persons:edit", args=[person.public_id])).status_code == 404
    assert _signed_in(bob).get(reverse("incidents:actors")).status_code == 403
    assert _state() == before


def test_a_post_without_the_csrf_token_is_refused(
    make_incident: Callable[..., Any], alice: Any
) -> None:
    incident = make_incident()
    client = _signed_in(alice, enforce_csrf_checks=True)
    response = client.post(
        reverse("incidents:edit", args=[incident.public_id]),
        {"title": "Changed", "status": "unknown", "disclosure": "team", "team": incident.team_id},
    )
    assert response.status_code == 403
    incident.refresh_from_db()
    assert incident.title == "Sixty returned from Tumen"


def test_creating_and_editing_an_incident_through_the_forms(alice: Any, team: Any) -> None:
    client = _signed_in(alice)
    response = client.post(
        reverse("incidents:new"),
        {
            "title": "Eight held in Dandong",
            "status": "detained",
            "disclosure": "team",
            "team": team.pk,
        },
    )
    incident = Incident.objects.get(title="Eight held in Dandong")
    assert response["Location"] == reverse("incidents:detail", args=[incident.public_id])
    assert AuditEntry.objects.filter(
        actor="user:alice", payload__record=f"incidents.Incident:{incident.public_id}"
    ).exists()
    response = client.post(
        reverse("incidents:event_new", args=[incident.public_id]),
        {
            "order": "1",
            "type": "arrest",
            "date_from": "2024-03",
            "places": "Dandong",
            "place_precision": "city",
        },
    )
    assert response.status_code == 302
    event = incident.events.get()
    assert event.period is not None and event.period.render() == "2024-03"
    assert [p.gazetteer_id for p in event.places.all()] == ["cn-ln-dandong"]
    response = client.post(
        reverse("incidents:victims_new", args=[incident.public_id]),
        {
            "nationality": "KP",
            "total_best": "8",
            "total_min": "8",
            "total_max": "8",
            "total_qualifier": "exact",
            "minors": "2",
        },
    )
    assert response.status_code == 302
    assert incident.victim_groups.get().minors == 2


def test_a_bad_value_comes_back_beside_its_field_and_nothing_is_saved(
    make_incident: Callable[..., Any], alice: Any
) -> None:
    incident = make_incident()
    event = incident.events.get()
    response = _signed_in(alice).post(
        reverse("incidents:event_edit", args=[incident.public_id, event.uuid]),
        {"order": "1", "type": "arrest", "date_from": "2024-05", "date_to": "2024-04"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "[R053]" in page and 'role="alert"' in page
    assert 'aria-invalid="true"' in page
    event.refresh_from_db()
    assert event.date_start is not None and event.date_start.month == 4


def test_merging_through_the_screen_and_the_duplicate_s_page_leading_on(
    make_incident: Callable[..., Any], alice: Any, bob: Any, carol: Any
) -> None:
    keep = make_incident("Kept", disclosure="organisation")
    duplicate = make_incident("Duplicate", text=OTHER_REPORT, disclosure="organisation")
    client = _signed_in(alice)
    response = client.post(
        reverse("incidents:merge", args=[keep.public_id]),
        {"duplicate": duplicate.public_id.lower(), "reason": "Same arrest", "confirm": "on"},
    )
    assert response.status_code == 302
    assert Incident.all_objects.get(pk=duplicate.pk).merged_into_id == keep.pk
    old_page = reverse("incidents:detail", args=[duplicate.public_id])
    for reader in (alice, bob):
        response = _signed_in(reader).get(old_page)
        assert response.status_code == 302
        assert response["Location"] == reverse("incidents:detail", args=[keep.public_id])
    assert _signed_in(carol).get(old_page).status_code == 404
    listing = client.get(reverse("incidents:list")).content.decode()
    assert "Kept" in listing and "Duplicate" not in listing

    undo = reverse("incidents:unmerge", args=[duplicate.public_id])
    assert "Same arrest" in client.get(undo).content.decode()
    assert client.post(undo, {}).status_code == 200  # not confirmed: nothing happens
    assert Incident.all_objects.get(pk=duplicate.pk).merged_into_id == keep.pk
    assert client.post(undo, {"confirm": "on"}).status_code == 302
    assert Incident.objects.filter(pk=duplicate.pk).exists()


def test_a_refused_merge_is_explained_on_the_form(
    make_incident: Callable[..., Any], alice: Any
) -> None:
    wide = make_incident("Wide", disclosure="organisation")
    narrow = make_incident("Narrow", text=OTHER_REPORT, disclosure="team")
    response = _signed_in(alice).post(
        reverse("incidents:merge", args=[wide.public_id]),
        {"duplicate": narrow.public_id, "confirm": "on"},
    )
    assert response.status_code == 200
    assert "[R133]" in response.content.decode()
    assert Incident.all_objects.get(pk=narrow.pk).merged_into_id is None


def test_splitting_and_undoing_through_the_screens(
    make_incident: Callable[..., Any], alice: Any
) -> None:
    incident = make_incident()
    release = services.event_create(incident=incident, order=2, type="release")
    client = _signed_in(alice)
    page = client.get(reverse("incidents:split", args=[incident.public_id])).content.decode()
    assert "2. Release" in page and "1. Arrest · 2024-04 · Tumen" in page
    response = client.post(
        reverse("incidents:split", args=[incident.public_id]),
        {"title": "The release", "events": [release.pk], "confirm": "on"},
    )
    new = Incident.objects.get(title="The release")
    assert response["Location"] == reverse("incidents:detail", args=[new.public_id])
    response = client.post(reverse("incidents:unsplit", args=[new.public_id]), {"confirm": "on"})
    assert response["Location"] == reverse("incidents:detail", args=[incident.public_id])
    assert sorted(incident.events.values_list("order", flat=True)) == [1, 2]


def test_the_actions_panel_offers_editing_to_editors_only(
    make_incident: Callable[..., Any], alice: Any, bob: Any
) -> None:
    keep = make_incident("Kept", disclosure="organisation")
    duplicate = make_incident("Duplicate", text=OTHER_REPORT, disclosure="organisation")
    from refuge.web.incidents.merging import incident_merge, incident_split

    incident_merge(user=alice, keep=keep, duplicate=duplicate)
    part, _ = incident_split(
        user=alice, incident=keep, title="Part", events=[keep.events.order_by("order").last()]
    )

    def panel(user: Any, public_id: str) -> str:
        request = RequestFactory().get("/")
        request.user = user
        detail = selectors.incident_detail(user=user, public_id=public_id)
        return render_to_string("incidents/_actions.html", {"incident": detail}, request=request)

    html = panel(alice, keep.public_id)
    assert reverse("incidents:edit", args=[keep.public_id]) in html
    assert reverse("incidents:unmerge", args=[duplicate.public_id]) in html
    assert part.public_id in html
    assert reverse("incidents:unsplit", args=[part.public_id]) in panel(alice, part.public_id)
    assert panel(bob, keep.public_id).strip() == ""


def test_a_person_is_edited_by_an_editor_and_the_read_is_audited(
    alice: Any, bob: Any, carol: Any
) -> None:
    person = services.person_create(
        user=alice, team=alice.team, name="Kim Zqxcanary", disclosure="organisation"
    )
    url = reverse("persons:edit", args=[person.public_id])
    client = _signed_in(alice)
    reads = AuditEntry.objects.filter(action="read_identifying").count()
    assert "Kim Zqxcanary" in client.get(url).content.decode()
    assert AuditEntry.objects.filter(action="read_identifying").count() == reads + 1
    response = client.post(
        url, {"name": "Kim Zqxchanged", "birth_year": "1988", "disclosure": "organisation"}
    )
    assert response.status_code == 302
    assert Person.objects.get(pk=person.pk).name == "Kim Zqxchanged"
    bad = client.post(url, {"name": "", "disclosure": "organisation"})
    assert "give a name" in bad.content.decode()
    assert _signed_in(bob).get(url).status_code == 403  # sees the record, not the names
    assert "Zqx" not in _signed_in(bob).get(url).content.decode()
    assert _signed_in(carol).get(url).status_code == 404


def test_adding_a_person_gives_a_pseudonymous_id(alice: Any) -> None:
    response = _signed_in(alice).post(
        reverse("persons:new"), {"name_ko": "김영희", "sex": "F", "disclosure": "team"}
    )
    person = Person.objects.get()
    assert response["Location"] == reverse("persons:edit", args=[person.public_id])
    assert person.public_id.startswith("P-") and person.name_ko == "김영희"
    assert person.team == alice.team
