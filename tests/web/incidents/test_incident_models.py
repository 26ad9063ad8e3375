from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from refuge.web.incidents import services
from refuge.web.incidents.models import Event, Place, VictimGroup

pytestmark = pytest.mark.django_db


def _place(gid: str, name: str) -> Place:
    return Place.objects.create(
        gazetteer_id=gid, name=name, kind="city", precision="city", country="CN", admin1="Jilin"
    )


def test_every_record_gets_a_uuid_at_creation(make_incident: Callable[..., Any]) -> None:
    incident = make_incident()
    assert incident.uuid is not None
    assert incident.events.get().uuid != incident.uuid
    assert incident.public_id.startswith("I-")


def test_victim_counts_must_be_ordered(make_incident: Callable[..., Any]) -> None:
    incident = make_incident()
    with pytest.raises(ValidationError, match="min <= best <= max"):
        services.victim_group_create(incident=incident, total=(70, 60, 80), qualifier="range")


def test_the_database_itself_refuses_unordered_counts(make_incident: Callable[..., Any]) -> None:
    incident = make_incident()
    with pytest.raises(IntegrityError), transaction.atomic():
        VictimGroup.objects.create(
            incident=incident, total_min=70, total_best=60, total_max=80, total_qualifier="range"
        )


def test_breakdowns_cannot_exceed_the_largest_total(make_incident: Callable[..., Any]) -> None:
    incident = make_incident()
    with pytest.raises(ValidationError, match="exceed the largest total"):
        services.victim_group_create(
            incident=incident, total=(70, 70, 70), qualifier="exact", adults=50, minors=25
        )
    group = services.victim_group_create(
        incident=incident, total=(70, 70, 70), qualifier="exact", adults=50, minors=20
    )
    assert (group.adults, group.minors) == (50, 20)


def test_an_event_cannot_end_before_it_starts(make_incident: Callable[..., Any]) -> None:
    incident = make_incident()
    with pytest.raises(ValidationError, match="before the start"):
        services.event_create(
            incident=incident,
            order=2,
            type="detention",
            date_start=date(2024, 5, 2),
            date_end=date(2024, 5, 1),
            date_precision="day",
        )


def test_an_event_date_must_agree_with_its_precision(make_incident: Callable[..., Any]) -> None:
    incident = make_incident()
    with pytest.raises(ValidationError, match="first to the last day"):
        services.event_create(
            incident=incident,
            order=2,
            type="detention",
            date_start=date(2024, 5, 2),
            date_end=date(2024, 5, 31),
            date_precision="month",
        )


def test_an_event_type_must_come_from_the_contract(make_incident: Callable[..., Any]) -> None:
    incident = make_incident()
    with pytest.raises(ValidationError, match="type"):
        services.event_create(incident=incident, order=2, type="kidnapping")


def test_a_place_may_be_one_of_several_alternatives(make_incident: Callable[..., Any]) -> None:
    incident = make_incident()
    tumen = Place.objects.get(gazetteer_id="cn-jl-tumen")
    hunchun = _place("cn-jl-hunchun", "Hunchun")
    event = services.event_create(
        incident=incident,
        order=2,
        type="repatriation",
        places=[tumen, hunchun],
        place_precision="city",
    )
    assert sorted(p.name for p in event.places.all()) == ["Hunchun", "Tumen"]


def test_a_custody_path_is_a_person_s_ordered_events(
    make_incident: Callable[..., Any], team: Any
) -> None:
    incident = make_incident()
    person = services.person_create(team=team, name="Sample Person", sex="F")
    steps = [
        ("arrest", "cn-jl-dehui", "Dehui"),
        ("detention", "cn-jl-baishan", "Baishan"),
        ("transfer", "cn-jl-tumen", "Tumen"),
        ("repatriation", "kp-nh-namyang", "Namyang"),
    ]
    for order, (kind, gid, name) in enumerate(steps, start=2):
        place = Place.objects.filter(gazetteer_id=gid).first() or _place(gid, name)
        event = services.event_create(incident=incident, order=order, type=kind, places=[place])
        services.victimhood_create(person=person, incident=incident, event=event)
    path = (
        Event.objects.filter(victimhoods__person=person)
        .order_by("order")
        .values_list("type", "places__name")
    )
    assert list(path) == [(k, n) for k, _, n in steps]


def test_an_event_order_is_unique_within_its_incident(make_incident: Callable[..., Any]) -> None:
    incident = make_incident()
    with pytest.raises(ValidationError):
        services.event_create(incident=incident, order=1, type="detention")


def test_a_claim_span_must_lie_inside_its_source(make_incident: Callable[..., Any]) -> None:
    incident = make_incident()
    source = incident.sources.get()
    with pytest.raises(ValidationError, match="past the end"):
        services.claim_create(
            source=source,
            field="victims.total",
            value=1,
            span=(0, len(source.text) + 1),
            extractor_version="t",
        )
    with pytest.raises(ValidationError, match="ends after it starts"):
        services.claim_create(
            source=source, field="victims.total", value=1, span=(5, 5), extractor_version="t"
        )
    claim = services.claim_create(
        source=source,
        field="victims.minors",
        value=12,
        span=(source.text.index("12"), source.text.index("12") + 2),
        extractor_version="t",
    )
    assert claim.quote == "12"


def test_a_victimhood_event_must_belong_to_its_incident(
    make_incident: Callable[..., Any], team: Any
) -> None:
    first, second = (
        make_incident("one"),
        make_incident("two", text="Another report: About 60 people."),
    )
    person = services.person_create(team=team)
    with pytest.raises(ValidationError, match="another incident"):
        services.victimhood_create(person=person, incident=first, event=second.events.get())


def test_a_person_is_shown_by_public_id_never_by_name(team: Any) -> None:
    person = services.person_create(team=team, name="Kim Sample")
    assert str(person) == person.public_id
    assert "Kim" not in str(person)
