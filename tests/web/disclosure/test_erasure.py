"""Erasure on request: identifying data goes, the incident's facts stay, a legal hold wins."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection

from refuge.errors import RefugeError
from refuge.web.audit.models import AuditEntry
from refuge.web.disclosure import services
from refuge.web.disclosure.erasure import ErasureAsk, erase_person
from refuge.web.disclosure.models import Consent, ErasureRequest
from refuge.web.incidents.models import Person, PersonNameTerm
from refuge.web.incidents.persons import persons_search

pytestmark = pytest.mark.django_db

PERSON = {
    "name": "Zqxerase Kim",
    "name_ko": "김지우",
    "birth_year": 1990,
    "hometown": "Zqxtown",
    "notes": "zqxnote about her brother",
    "family": "zqxfamily",
    "contact": "zqxcontact",
    "external_id": "LIST-7",
}
ASK = ErasureAsk(requested_by="zqxasker, her sister", requested_at=date(2030, 1, 5))


def _raw_row(person: Person) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, name_ko, birth_year, hometown, notes, family, contact, external_id "
            "FROM incidents_person WHERE id = %s",
            [person.pk],
        )
        return repr(cursor.fetchone())


def test_erasure_removes_identifying_data_and_keeps_the_incident(
    make_incident: Callable[..., Any], alice: Any
) -> None:
    incident = make_incident(disclosure="organisation", person=PERSON)
    person = incident.victimhoods.get().person
    services.consent_record(
        user=alice, person=person, scope="public", given_by="zqxgiver", given_at=date(2030, 1, 1)
    )
    assert persons_search(user=alice, query="Zqxerase Kim")
    before = _raw_row(person)
    record = erase_person(person=person, request=ASK, by=alice)
    assert record.outcome == "erased"
    person = Person.objects.get(pk=person.pk)
    for field in Person.IDENTIFYING_FIELDS:
        assert getattr(person, field) in ("", None), field
    assert person.external_id == "" and person.public_id and person.sex == ""
    assert not PersonNameTerm.objects.filter(person=person).exists()
    assert persons_search(user=alice, query="Zqxerase Kim") == []
    assert _raw_row(person) != before
    assert Consent.objects.get(person=person).given_by == ""
    # The incident, its facts and the person's part in it are kept.
    assert incident.victimhoods.count() == 1
    assert incident.victim_groups.get().total_best == 60
    assert incident.events.count() == 1
    # The request is recorded; the audit log names fields, never values.
    stored = ErasureRequest.objects.get()
    assert stored.person_public_id == person.public_id and stored.requested_by == ASK.requested_by
    assert sorted(stored.fields_erased) == sorted(Person.IDENTIFYING_FIELDS)
    assert all("zqx" not in str(e.payload).lower() for e in AuditEntry.objects.all())


def test_a_narrower_scope_erases_only_its_fields(
    make_incident: Callable[..., Any], alice: Any
) -> None:
    incident = make_incident(disclosure="organisation", person=PERSON)
    person = incident.victimhoods.get().person
    erase_person(
        person=person,
        request=ErasureAsk(
            requested_by="the person", requested_at=date(2030, 1, 5), scope="contact"
        ),
        by=alice,
    )
    person = Person.objects.get(pk=person.pk)
    assert (person.hometown, person.family, person.contact) == ("", "", "")
    assert person.name == "Zqxerase Kim" and person.birth_year == 1990


def test_a_legal_hold_refuses_the_erasure_and_records_the_request(
    make_incident: Callable[..., Any], alice: Any
) -> None:
    incident = make_incident(disclosure="organisation", person=PERSON)
    person = incident.victimhoods.get().person
    hold = services.legal_hold_set(user=alice, incident=incident, reason="evidence for a UN case")
    record = erase_person(person=person, request=ASK, by=alice)
    assert record.outcome == "refused_legal_hold" and record.fields_erased == []
    assert Person.objects.get(pk=person.pk).name == "Zqxerase Kim"
    services.legal_hold_release(user=alice, hold=hold)
    assert erase_person(person=person, request=ASK, by=alice).outcome == "erased"
    assert ErasureRequest.objects.count() == 2


def test_only_those_who_may_read_identifying_data_erase_it(
    make_incident: Callable[..., Any], bob: Any, carol: Any
) -> None:
    incident = make_incident(disclosure="partners", person=PERSON)
    person = incident.victimhoods.get().person
    for user in (bob, carol):
        with pytest.raises(RefugeError) as refused:
            erase_person(person=person, request=ASK, by=user)
        assert refused.value.code == "R141"
    assert not ErasureRequest.objects.exists()


def test_erasure_reaches_every_output_at_the_next_build(
    make_incident: Callable[..., Any],
    alice: Any,
    erin: Any,
    reader: Callable[[str], list[Any]],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    incident = make_incident(disclosure="organisation", person=PERSON)
    person = incident.victimhoods.get().person
    with django_capture_on_commit_callbacks(execute=True):
        services.release_approve(
            user=erin,
            release=services.release_propose(
                user=alice, incident=incident, audience="public", public_title="Sixty returned"
            ),
        )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        erase_person(person=person, request=ASK, by=alice)
    assert len(callbacks) == 1  # the stores were rebuilt
    [published] = reader("public")
    assert published.public_id == incident.public_id and published.total.label() == "~60"
    assert "zqx" not in repr(published).lower()
