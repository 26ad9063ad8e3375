"""Editing forms: each mistake comes back beside the field that holds it, with its code."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from refuge.web.incidents import services
from refuge.web.incidents.edit_selectors import event_label, group_label, source_label_for
from refuge.web.incidents.forms import (
    ActorForm,
    EventForm,
    IncidentForm,
    MergeForm,
    PersonForm,
    SplitForm,
    VictimGroupForm,
)

pytestmark = pytest.mark.django_db

EVENT = {"order": "2", "type": "detention", "date_from": "", "date_to": "", "places": ""}
GROUP = {"total_qualifier": ""}


def _errors(form: Any) -> dict[str, str]:
    assert not form.is_valid()
    return {name: " ".join(messages) for name, messages in form.errors.items()}


def _codes(form: Any) -> dict[str, set[str | None]]:
    return {name: {e.code for e in errors.as_data()} for name, errors in form.errors.items()}


# Incidents


def test_an_incident_needs_a_title_and_known_choices(alice: Any) -> None:
    form = IncidentForm({"title": "", "status": "vanished", "disclosure": "secret"}, user=alice)
    errors = _errors(form)
    assert set(errors) == {"title", "status", "disclosure"}


def test_a_team_level_incident_needs_a_team(root: Any) -> None:
    form = IncidentForm(
        {"title": "T", "status": "unknown", "disclosure": "team", "team": ""}, user=root
    )
    assert "needs a team" in _errors(form)["team"]


def test_an_editor_may_not_give_a_team_record_to_another_team(
    alice: Any, erin: Any, team: Any
) -> None:
    other = erin.team
    form = IncidentForm(
        {"title": "T", "status": "unknown", "disclosure": "team", "team": str(other.pk)},
        user=alice,
    )
    # Not even offered: the choices are the teams the policy lets her file records for.
    assert "team" in _errors(form)
    assert [t.pk for t in form.fields["team"].queryset] == [team.pk]


def test_narrowing_a_record_out_of_one_s_own_sight_is_a_field_error(
    make_incident: Callable[..., Any], erin: Any
) -> None:
    incident = make_incident(disclosure="organisation")
    form = IncidentForm(
        {
            "title": "T",
            "status": "unknown",
            "disclosure": "team",
            "team": str(incident.team_id),
        },
        user=erin,
        incident=incident,
    )
    assert _codes(form)["team"] == {"R130"}


def test_a_valid_incident_form_is_valid(alice: Any, team: Any) -> None:
    form = IncidentForm(
        {"title": "T", "status": "detained", "disclosure": "team", "team": str(team.pk)},
        user=alice,
    )
    assert form.is_valid(), form.errors


# Events


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"order": "0"}, "order", "greater than or equal to 1"),
        ({"order": "1"}, "order", "another event of this incident has order 1"),
        ({"type": "kidnapping"}, "type", "valid choice"),
        ({"date_from": "2024-13"}, "date_from", "not a real date"),
        ({"date_from": "April 2024"}, "date_from", "YYYY"),
        ({"date_to": "2024-05"}, "date_from", "give the start"),
        ({"date_from": "2024-05", "date_to": "2024-04"}, "date_to", "before the start"),
        ({"places": "Atlantis"}, "places", "no place named"),
        ({"place_precision": "city"}, "place_precision", "needs a place"),
        ({"place_precision": "street"}, "place_precision", "valid choice"),
        ({"facility": "x" * 301}, "facility", "at most 300"),
    ],
)
def test_each_event_mistake_is_shown_beside_its_field(
    make_incident: Callable[..., Any], changes: dict[str, str], field: str, words: str
) -> None:
    form = EventForm({**EVENT, **changes}, incident=make_incident())
    errors = _errors(form)
    assert words in errors[field], errors
    assert set(errors) == {field}


def test_an_event_form_turns_prefixes_into_a_period_with_its_precision(
    make_incident: Callable[..., Any],
) -> None:
    form = EventForm(
        {**EVENT, "date_from": "2024-04", "date_to": "2024-05", "places": "Tumen; 투먼"},
        incident=make_incident(),
    )
    assert form.is_valid(), form.errors
    data = form.cleaned_data
    assert (data["date_start"], data["date_end"], data["date_precision"]) == (
        date(2024, 4, 1),
        date(2024, 5, 31),
        "month",
    )
    assert [p.gazetteer_id for p in data["places"]] == ["cn-jl-tumen"]


def test_an_ambiguous_place_asks_for_an_id(make_incident: Callable[..., Any]) -> None:
    form = EventForm({**EVENT, "places": "Jilin"}, incident=make_incident())
    errors = _errors(form)
    assert "ambiguous" in errors["places"]
    assert _codes(form)["places"] == {"R022"}


def test_an_event_form_shows_the_stored_event_at_its_precision(
    make_incident: Callable[..., Any],
) -> None:
    incident = make_incident()
    event = incident.events.get()
    form = EventForm(incident=incident, event=event)
    assert form.initial["date_from"] == "2024-04"
    assert form.initial["date_to"] == ""
    assert form.initial["places"] == "cn-jl-tumen"


# Victim groups


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"total_min": "70", "total_best": "60", "total_qualifier": "range"}, "total_min", "R056"),
        (
            {"total_min": "50", "total_best": "60", "total_max": "55", "total_qualifier": "range"},
            "total_max",
            "R056",
        ),
        ({"total_best": "60"}, "total_qualifier", "R057"),
        (
            {"total_min": "60", "total_best": "60", "total_max": "70", "total_qualifier": "exact"},
            "total_qualifier",
            "R057",
        ),
        ({"total_best": "-1", "total_qualifier": "exact"}, "total_best", "min_value"),
        (
            {
                "total_best": "10",
                "total_max": "10",
                "total_qualifier": "exact",
                "adults": "8",
                "minors": "5",
            },
            "minors",
            "R059",
        ),
        (
            {
                "total_best": "10",
                "total_max": "10",
                "total_qualifier": "exact",
                "women": "8",
                "men": "5",
            },
            "men",
            "R059",
        ),
        ({"nationality": "XQ"}, "nationality", "R131"),
        ({"nationality": "KOR"}, "nationality", "max_length"),
        ({"total_qualifier": "many"}, "total_qualifier", "invalid_choice"),
    ],
)
def test_each_count_mistake_is_shown_beside_its_field(
    changes: dict[str, str], field: str, code: str
) -> None:
    form = VictimGroupForm({**GROUP, **changes})
    assert not form.is_valid()
    assert set(form.errors) == {field}, form.errors
    assert _codes(form)[field] == {code}


def test_a_valid_group_form_normalises_the_country_code() -> None:
    form = VictimGroupForm(
        {"nationality": "kp", "total_min": "50", "total_max": "60", "total_qualifier": "range"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["nationality"] == "KP"


# Actors and persons


def test_an_actor_needs_a_name_a_kind_and_a_real_country() -> None:
    errors = _errors(ActorForm({"name": "", "kind": "army", "country": "ZZ"}))
    assert set(errors) == {"name", "kind", "country"}


def test_an_actor_is_not_offered_as_its_own_parent(alice: Any) -> None:
    actor = services.actor_create(user=alice, name="Bureau", kind="institution")
    form = ActorForm(
        {"name": "Bureau", "kind": "institution", "parent": str(actor.pk)}, actor=actor
    )
    assert "parent" in _errors(form)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"name": ""}, "name", "give a name"),
        ({"birth_year": "1850"}, "birth_year", "greater than or equal to 1900"),
        ({"birth_year": "2031"}, "birth_year", "less than or equal to 2030"),
        ({"birth_date": "1990-02-30"}, "birth_date", "not a real date"),
        ({"birth_year": "1991", "birth_date": "1990-02"}, "birth_date", "not in the year"),
        ({"sex": "Q"}, "sex", "valid choice"),
        ({"disclosure": "world"}, "disclosure", "valid choice"),
        ({"external_id": "NK-1"}, "external_id", "another person of your team"),
    ],
)
def test_each_person_mistake_is_shown_beside_its_field(
    team: Any, changes: dict[str, str], field: str, words: str
) -> None:
    services.person_create(team=team, name="Existing", external_id="NK-1")
    data = {"name": "Kim", "disclosure": "team", **changes}
    form = PersonForm(data, team=team, today=lambda: date(2030, 6, 1))
    errors = _errors(form)
    assert words in errors[field], errors
    assert set(errors) == {field}


# Merge and split


def test_a_merge_form_never_tells_a_hidden_incident_from_an_absent_one(
    make_incident: Callable[..., Any], erin: Any
) -> None:
    keep = make_incident("Open", disclosure="organisation")
    hidden = make_incident("Team only", text="SAMPLE DATA. About 60 were held, said Team.")
    for public_id in (hidden.public_id, "I-NOSUCH00"):
        form = MergeForm({"duplicate": public_id, "confirm": "on"}, user=erin, keep=keep)
        assert _errors(form)["duplicate"] == "no incident with this id"
    form = MergeForm({"duplicate": keep.public_id, "confirm": "on"}, user=erin, keep=keep)
    assert "into itself" in _errors(form)["duplicate"]
    form = MergeForm({"duplicate": hidden.public_id}, user=erin, keep=keep)
    assert "confirm" in _errors(form)


def test_a_split_form_asks_for_something_on_each_side(
    make_incident: Callable[..., Any], alice: Any
) -> None:
    incident = make_incident()
    event, group = incident.events.get(), incident.victim_groups.get()
    source = incident.sources.get()

    def form(**data: Any) -> SplitForm:
        return SplitForm(
            {"title": "New", "confirm": "on", **data},
            incident=incident,
            event_label=event_label,
            group_label=group_label,
            source_label=source_label_for(alice),
        )

    assert "at least one" in _errors(form())["events"]
    assert (
        "leave at least one" in _errors(form(events=[event.pk], victim_groups=[group.pk]))["events"]
    )
    both = _errors(form(events=[event.pk], sources_moved=[source.pk], sources_copied=[source.pk]))
    assert "either moved or linked" in both["sources_copied"]
    assert "valid choice" in _errors(form(events=[999999]))["events"]
    assert form(events=[event.pk]).is_valid()
