"""The erasure and legal-hold screens: the person's page, the incident's publishing panel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from refuge.web.disclosure.models import ErasureRequest, LegalHold
from refuge.web.incidents.models import Person

pytestmark = pytest.mark.django_db

PERSON = {
    "name": "Zqxerase Kim",
    "hometown": "Zqxtown",
    "contact": "zqxcontact",
    "notes": "zqxnote",
    "disclosure": "organisation",  # analysts see the person (not who they are); partners not
}


def _ask(**extra: Any) -> dict[str, Any]:
    return {
        "requested_by": "zqxasker, her sister",
        "requested_at": timezone.localdate().isoformat(),
        "scope": "all",
        "note": "asked by letter",
        "confirm": "on",
        **extra,
    }


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _world(make_incident: Callable[..., Any]) -> tuple[Any, Person]:
    incident = make_incident(disclosure="organisation", person=PERSON)
    return incident, incident.victimhoods.get().person


def _erase(client: Client, person: Person, **extra: Any) -> Any:
    url = reverse("publishing:erase_person", args=[person.public_id])
    return client.post(url, _ask(**extra), follow=True)


def test_an_editor_erases_a_person_through_the_form(
    make_incident: Callable[..., Any], alice: Any
) -> None:
    incident, person = _world(make_incident)
    client = _client(alice)
    page = client.get(reverse("persons:edit", args=[person.public_id])).content.decode()
    assert "Erase this person's identifying data on request" in page
    assert reverse("publishing:erase_person", args=[person.public_id]) in page

    response = _erase(client, person)
    assert response.redirect_chain[-1][0] == reverse("persons:edit", args=[person.public_id])
    body = response.content.decode()
    assert "Erased:" in body
    person = Person.objects.get(pk=person.pk)
    for field in Person.IDENTIFYING_FIELDS:
        assert getattr(person, field) in ("", None), field
    assert "Zqxerase" not in body and "Zqxtown" not in body
    # What happened stays: the person's part in the incident, its counts and events.
    assert incident.victimhoods.count() == 1
    assert incident.victim_groups.get().total_best == 60
    assert incident.events.count() == 1
    record = ErasureRequest.objects.get()
    assert record.outcome == "erased" and record.handled_by == alice
    assert record.requested_by == "zqxasker, her sister" and record.scope == "all"
    # The person's page lists the request, with who asked for an entitled editor.
    assert "zqxasker, her sister" in body and "erased" in body


def test_a_narrower_scope_from_the_form_keeps_the_other_fields(
    make_incident: Callable[..., Any], alice: Any
) -> None:
    _incident, person = _world(make_incident)
    _erase(_client(alice), person, scope="contact")
    person = Person.objects.get(pk=person.pk)
    assert person.contact == "" and person.hometown == ""
    assert person.name == "Zqxerase Kim"


def test_a_legal_hold_on_the_incident_refuses_the_erasure_and_releasing_it_allows_it(
    make_incident: Callable[..., Any], alice: Any
) -> None:
    incident, person = _world(make_incident)
    client = _client(alice)
    detail = reverse("incidents:detail", args=[incident.public_id])
    response = client.post(
        reverse("publishing:hold_set_incident", args=[incident.public_id]),
        {"reason": "zqxreason: evidence for the court case"},
    )
    assert response.status_code == 302 and response["Location"] == detail
    hold = LegalHold.objects.get(incident=incident)
    assert hold.released_at is None and hold.set_by == alice
    panel = client.get(detail).content.decode()
    assert "zqxreason" in panel  # an entitled editor reads the reason
    assert reverse("publishing:hold_release", args=[hold.uuid]) in panel

    body = _erase(client, person).content.decode()
    assert "Not erased: a legal hold keeps this person" in body
    assert f"incident {incident.public_id}" in body  # which hold refused it
    assert "release" in body.lower()  # and what to do about it
    assert Person.objects.get(pk=person.pk).name == "Zqxerase Kim"
    refused = ErasureRequest.objects.get()
    assert refused.outcome == "refused_legal_hold" and refused.fields_erased == []
    assert "refused: under legal hold" in body

    released = client.post(reverse("publishing:hold_release", args=[hold.uuid]), {"next": detail})
    assert released.status_code == 302 and released["Location"] == detail
    hold.refresh_from_db()
    assert hold.released_at is not None and hold.released_by == alice
    again = client.post(reverse("publishing:hold_release", args=[hold.uuid]), follow=True)
    assert "[R143]" in again.content.decode()  # released already: a message, not an error page

    _erase(client, person)
    assert Person.objects.get(pk=person.pk).name == ""
    outcomes = sorted(ErasureRequest.objects.values_list("outcome", flat=True))
    assert outcomes == ["erased", "refused_legal_hold"]


def test_a_legal_hold_on_the_person_is_set_and_shown_on_their_page(
    make_incident: Callable[..., Any], alice: Any
) -> None:
    _incident, person = _world(make_incident)
    client = _client(alice)
    page = client.post(
        reverse("publishing:hold_set_person", args=[person.public_id]),
        {"reason": "zqxreason: police inquiry"},
        follow=True,
    ).content.decode()
    hold = LegalHold.objects.get(person=person)
    assert "Legal hold set" in page and "zqxreason: police inquiry" in page
    assert reverse("publishing:hold_release", args=[hold.uuid]) in page
    body = _erase(client, person).content.decode()
    assert f"person {person.public_id}" in body and "Not erased" in body
    assert Person.objects.get(pk=person.pk).hometown == "Zqxtown"


def test_an_analyst_or_a_partner_can_neither_erase_nor_hold(
    make_incident: Callable[..., Any], alice: Any, bob: Any, carol: Any
) -> None:
    incident, person = _world(make_incident)
    from refuge.web.disclosure.services import legal_hold_set

    hold = legal_hold_set(user=alice, incident=incident, reason="zqxreason")
    erase = reverse("publishing:erase_person", args=[person.public_id])
    hold_person = reverse("publishing:hold_set_person", args=[person.public_id])
    hold_incident = reverse("publishing:hold_set_incident", args=[incident.public_id])
    release = reverse("publishing:hold_release", args=[hold.uuid])
    # The analyst sees the organisation's records but not who is in them: 403. The partner
    # does not see them at all: 404, as for a record that does not exist.
    for user, seen in ((bob, 403), (carol, 404)):
        client = _client(user)
        assert client.get(erase).status_code == seen
        assert client.post(erase, _ask()).status_code == seen
        assert client.post(hold_person, {"reason": "x"}).status_code == seen
        assert client.post(hold_incident, {"reason": "x"}).status_code == seen
        assert client.post(release).status_code == 403  # not an editor: refused first
    assert ErasureRequest.objects.count() == 0
    assert LegalHold.objects.get().released_at is None
    assert Person.objects.get(pk=person.pk).name == "Zqxerase Kim"
    # The analyst's incident page lists the hold but never its encrypted reason.
    page = _client(bob).get(reverse("incidents:detail", args=[incident.public_id]))
    assert page.status_code == 200 and "zqxreason" not in page.content.decode()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"confirm": ""}, "confirm"),
        ({"requested_by": "   "}, "requested_by"),
        ({"requested_at": "not a date"}, "requested_at"),
        ({"requested_at": (timezone.localdate() + timedelta(days=3)).isoformat()}, "requested_at"),
        ({"scope": "everything"}, "scope"),
        ({"note": "n" * 2001}, "note"),
    ],
)
def test_bad_input_to_the_erasure_form_gives_field_errors(
    make_incident: Callable[..., Any], alice: Any, change: dict[str, str], field: str
) -> None:
    _incident, person = _world(make_incident)
    response = _client(alice).post(
        reverse("publishing:erase_person", args=[person.public_id]), _ask(**change)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert ErasureRequest.objects.count() == 0
    assert Person.objects.get(pk=person.pk).name == "Zqxerase Kim"


def test_a_hold_without_a_reason_gives_a_field_error(
    make_incident: Callable[..., Any], alice: Any
) -> None:
    incident, person = _world(make_incident)
    client = _client(alice)
    for url in (
        reverse("publishing:hold_set_person", args=[person.public_id]),
        reverse("publishing:hold_set_incident", args=[incident.public_id]),
    ):
        response = client.post(url, {"reason": "  "})
        assert response.status_code == 200
        assert "Say why the data must be kept as evidence." in response.content.decode()
    assert LegalHold.objects.count() == 0


def test_get_never_writes_and_a_post_needs_the_csrf_token(
    make_incident: Callable[..., Any], alice: Any
) -> None:
    incident, person = _world(make_incident)
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    erase = reverse("publishing:erase_person", args=[person.public_id])
    hold_incident = reverse("publishing:hold_set_incident", args=[incident.public_id])
    assert client.get(erase, _ask()).status_code == 200
    assert client.get(hold_incident, {"reason": "x"}).status_code == 200
    assert client.post(erase, _ask()).status_code == 403
    assert client.post(hold_incident, {"reason": "x"}).status_code == 403
    hold = LegalHold.objects.create(incident=incident, reason="r", set_at=timezone.now())
    release = reverse("publishing:hold_release", args=[hold.uuid])
    assert client.get(release).status_code == 405
    assert ErasureRequest.objects.count() == 0 and LegalHold.objects.count() == 1
    assert LegalHold.objects.get().released_at is None
    assert Person.objects.get(pk=person.pk).name == "Zqxerase Kim"
