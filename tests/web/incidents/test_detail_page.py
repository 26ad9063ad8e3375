"""The incident record page: figures with every source's figure beside them, persons for
those entitled, timeline in words, actors, sources with grades, change history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from refuge.web.audit.models import AuditEntry
from refuge.web.incidents import selectors, services
from refuge.web.incidents.models import Place
from refuge.web.review.figure_services import figure_choose

pytestmark = pytest.mark.django_db


def _page(client: Client, user: Any, incident: Any) -> str:
    client.force_login(user)
    response = client.get(reverse("incidents:detail", args=[incident.public_id]))
    assert response.status_code == 200
    return response.content.decode()


def _total(user: Any, incident: Any) -> selectors.FigureView:
    detail = selectors.incident_detail(user=user, public_id=incident.public_id)
    assert detail is not None
    [group] = detail.groups
    return next(f for f in group.figures if f.name == "total")


def test_an_editor_sees_every_source_s_figure_beside_the_record(
    figure_incident: dict[str, Any], client: Client, alice: Any
) -> None:
    page = _page(client, alice, figure_incident["incident"])
    for words in ("“over 500”", "“About 600”", "“40”", "“550”"):
        assert words in page
    assert "Rumour Mill" in page and "E5" in page and "not credible" in page
    assert "Border Watch Wire" in page and "B2" in page
    assert "The sources disagree." in page
    total = _total(alice, figure_incident["incident"])
    assert (total.minimum, total.best, total.maximum) == (500, 600, 600)
    assert len(total.sources) == 4 and total.hidden == 0


def test_the_default_best_figure_is_the_lowest_from_a_credible_source(
    figure_incident: dict[str, Any], alice: Any
) -> None:
    total = _total(alice, figure_incident["incident"])
    # 40 is lower but comes from an E5 source; 500 ("over 500", B2) is the default.
    assert total.default == 500
    [default] = [f for f in total.sources if f.is_default]
    assert default.claim_id == figure_incident["claims"]["over"].pk
    # The record says 600 and nobody recorded why: the page says so instead of hiding it.
    assert total.basis == "differs"
    assert total.choice == default.claim_id


def test_after_a_reviewer_s_choice_the_page_says_who_chose_what_and_why(
    figure_incident: dict[str, Any], client: Client, alice: Any
) -> None:
    figure_choose(
        user=alice,
        group=figure_incident["group"],
        claim_id=figure_incident["claims"]["about"].pk,
        reason="Two monitors counted about 600 at the crossings.",
    )
    total = _total(alice, figure_incident["incident"])
    assert total.basis == "decision"
    assert total.decision is not None and total.decision.by == "alice"
    assert [f.is_chosen for f in total.sources].count(True) == 1
    page = _page(client, alice, figure_incident["incident"])
    assert "Two monitors counted about 600 at the crossings." in page
    assert "chosen by alice" in page


def test_an_analyst_never_sees_the_confidential_figure_nor_its_words(
    figure_incident: dict[str, Any], client: Client, bob: Any
) -> None:
    page = _page(client, bob, figure_incident["incident"])
    assert "Zqxwitness" not in page
    assert "550" not in page
    assert "not shown to you" in page
    total = _total(bob, figure_incident["incident"])
    assert total.hidden == 1
    assert all(f.value is None for f in total.sources if not f.shown)
    assert total.default == 500  # the hidden figure is left out of what the analyst is told
    assert total.may_choose is False
    assert "Choose the best figure" not in page


def test_a_partner_and_an_outsider_get_a_404(
    figure_incident: dict[str, Any], client: Client, carol: Any, dave: Any
) -> None:
    for user in (carol, dave):
        client.force_login(user)
        url = reverse("incidents:detail", args=[figure_incident["incident"].public_id])
        assert client.get(url).status_code == 404


def test_an_editor_sees_the_incident_s_persons_and_the_reading_is_audited(
    make_incident: Callable[..., Any], client: Client, alice: Any
) -> None:
    incident = make_incident(person={"name": "Canary Kim-Sample", "hometown": "Canaryville"})
    page = _page(client, alice, incident)
    assert "Canary Kim-Sample" in page
    assert "Canaryville" not in page  # the page lists names, not home towns
    read = AuditEntry.objects.filter(action="read_identifying").order_by("-seq").first()
    assert read is not None and read.actor == "user:alice"
    assert any(r.startswith("incidents.Person:") for r in read.payload["records"])


def test_an_analyst_sees_no_persons_section_at_all(
    make_incident: Callable[..., Any], client: Client, bob: Any, team: Any
) -> None:
    incident = make_incident(disclosure="organisation")
    person = services.person_create(team=team, disclosure="organisation", name="Canary Lee")
    services.victimhood_create(person=person, incident=incident)
    page = _page(client, bob, incident)
    assert "Canary Lee" not in page and person.public_id not in page
    assert ">Persons<" not in page
    detail = selectors.incident_detail(user=bob, public_id=incident.public_id)
    assert detail is not None and detail.persons is None


def _tumen_and_hunchun() -> list[Place]:
    places = []
    for gid, name, name_ko in (
        ("cn-jl-tumen", "Tumen", "투먼"),
        ("cn-jl-hunchun", "Hunchun", "훈춘"),
    ):
        place, _ = Place.objects.get_or_create(
            gazetteer_id=gid,
            defaults={
                "name": name,
                "name_ko": name_ko,
                "kind": "city",
                "precision": "city",
                "country": "CN",
            },
        )
        if not place.name_ko:  # make_incident's Tumen comes without its Korean name
            Place.objects.filter(pk=place.pk).update(name_ko=name_ko)
            place.refresh_from_db()
        places.append(place)
    return places


def test_the_timeline_says_what_is_known_and_no_more(
    make_incident: Callable[..., Any], client: Client, alice: Any
) -> None:
    incident = make_incident()  # its arrest: April 2024 (month precision), in Tumen
    services.event_create(
        incident=incident,
        order=2,
        type="repatriation",
        date_start=date(2021, 7, 20),
        date_end=date(2021, 7, 25),
        date_precision="day",
        places=_tumen_and_hunchun(),
        place_precision="city",
    )
    page = _page(client, alice, incident)
    assert "April 2024" in page
    assert "around 20–25 July 2021" in page
    assert "Hunchun or Tumen" in page  # alternatives, in the gazetteer's order
    assert "2024-04-01" not in page  # never more precise than the month


def test_the_timeline_speaks_korean_in_the_korean_interface(
    make_incident: Callable[..., Any], alice: Any
) -> None:
    incident = make_incident()
    services.event_create(incident=incident, order=2, type="transfer", places=_tumen_and_hunchun())
    with translation.override("ko"):
        detail = selectors.incident_detail(user=alice, public_id=incident.public_id)
    assert detail is not None
    assert "2024년 4월" in detail.events[0].when
    assert "투먼" in detail.events[1].where and "훈춘" in detail.events[1].where


def test_actors_and_sources_with_their_grades_are_listed(
    make_incident: Callable[..., Any], client: Client, alice: Any
) -> None:
    incident = make_incident()
    bureau = services.actor_get_or_create(name="Tumen Public Security Bureau", country="CN")
    services.event_create(incident=incident, order=2, type="detention", actors=[bureau])
    detail = selectors.incident_detail(user=alice, public_id=incident.public_id)
    assert detail is not None
    assert [(a.name, a.events) for a in detail.actors] == [("Tumen Public Security Bureau", [2])]
    [source] = detail.sources
    assert (source.reliability, source.credible) == ("B2", True)
    assert "usually reliable" in source.grade_label
    page = _page(client, alice, incident)
    assert "Tumen Public Security Bureau" in page


def test_the_change_history_says_who_changed_what_and_when(
    figure_incident: dict[str, Any], client: Client, alice: Any, bob: Any
) -> None:
    figure_choose(
        user=alice,
        group=figure_incident["group"],
        claim_id=figure_incident["claims"]["over"].pk,
        reason="The lowest credible count, until the monitors publish their lists.",
    )
    history = selectors.incident_history(user=bob, incident=figure_incident["incident"])
    records = [h.record for h in history]
    assert records[0] == "Figure decision" and records[1] == "Victim group"
    assert history[0].actor == "alice" and history[0].created
    change = {c.field: (c.before, c.after) for c in history[1].changes}
    assert change["total_best"] == ("600", "500")
    assert "Incident" in records  # its creation, by the system
    page = _page(client, bob, figure_incident["incident"])
    assert "Change history" in page and "total_best" in page


def test_the_history_lists_person_links_only_for_readers_entitled_to_persons(
    make_incident: Callable[..., Any], alice: Any, bob: Any, team: Any
) -> None:
    from refuge.web.audit.services import audit_change

    incident = make_incident(disclosure="organisation")
    person = services.person_create(team=team, disclosure="organisation", name="Canary Park")
    link = services.victimhood_create(person=person, incident=incident)
    audit_change(obj=link, before=None, user=alice)
    for_alice = selectors.incident_history(user=alice, incident=incident)
    for_bob = selectors.incident_history(user=bob, incident=incident)
    assert "Person in the incident" in [h.record for h in for_alice]
    assert "Person in the incident" not in [h.record for h in for_bob]
    assert not any("Canary" in str(h) for h in for_alice)  # the log never held the name


def test_the_history_keeps_a_part_that_was_deleted_since(
    make_incident: Callable[..., Any], alice: Any
) -> None:
    from refuge.web.audit.services import audit_record

    incident = make_incident()
    event = services.event_create(incident=incident, order=2, type="release")
    gone = f"incidents.Event:{event.uuid}"
    event.delete()  # as a delete service would, which then records what was deleted:
    audit_record(
        action="record_change",
        user=alice,
        details={"deleted": {"incident_id": incident.pk, "type": "release"}, "record": gone},
    )
    history = selectors.incident_history(user=alice, incident=incident)
    events = [(h.record, h.what) for h in history if h.record == "Event"]
    assert events[:2] == [("Event", "deleted"), ("Event", "created")]
