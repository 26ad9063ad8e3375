from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from refuge.web.disclosure import policy
from refuge.web.incidents.models import Incident, Person

pytestmark = pytest.mark.django_db

CANARY = {
    "name": "Canary Kim-Sample",
    "name_ko": "카나리아",
    "hometown": "Canaryville",
    "notes": "canary testimony",
}


def test_anonymous_visitors_see_no_record(make_incident: Callable[..., Any]) -> None:
    incident = make_incident(disclosure="public")
    anonymous = AnonymousUser()
    assert policy.can_view(anonymous, incident) is False
    assert list(policy.visible(anonymous, Incident.objects.all())) == []
    assert policy.redact(anonymous, incident) == {}


def test_accounts_without_a_role_and_partners_see_nothing_yet(
    make_incident: Callable[..., Any], dave: Any, carol: Any
) -> None:
    incident = make_incident()
    for user in (dave, carol):
        assert policy.can_view(user, incident) is False
        assert policy.visible(user, Incident.objects.all()).count() == 0


def test_a_suspended_account_sees_nothing(make_incident: Callable[..., Any], alice: Any) -> None:
    incident = make_incident()
    alice.is_active = False
    assert policy.can_view(alice, incident) is False
    assert policy.visible(alice, Incident.objects.all()).count() == 0


def test_staff_see_organisation_records(
    make_incident: Callable[..., Any], alice: Any, bob: Any, root: Any
) -> None:
    incident = make_incident(disclosure="organisation")
    for user in (alice, bob, root):
        assert policy.can_view(user, incident) is True
        assert list(policy.visible(user, Incident.objects.all())) == [incident]


def test_team_records_are_for_the_owning_team_s_editors_and_admins(
    make_incident: Callable[..., Any], alice: Any, bob: Any, root: Any, carol: Any
) -> None:
    from refuge.web.accounts.services import team_get_or_create

    incident = make_incident(disclosure="team")
    assert policy.can_view(alice, incident) is True
    assert policy.can_view(root, incident) is True
    assert policy.can_view(bob, incident) is False  # an analyst, even of the same team
    assert policy.can_view(carol, incident) is False
    alice.team = team_get_or_create(name="Legal", slug="legal")
    assert policy.can_view(alice, incident) is False  # an editor of another team
    assert policy.visible(alice, Incident.objects.all()).count() == 0


def test_partners_see_partner_level_records_without_identifying_fields(
    make_incident: Callable[..., Any], carol: Any
) -> None:
    make_incident(disclosure="partners", person={**CANARY, "disclosure": "partners"})
    person = Person.objects.get()
    assert policy.can_view(carol, person) is True
    redacted = policy.redact(carol, person)
    assert redacted["public_id"] == person.public_id
    assert not any(value in repr(redacted) for value in CANARY.values())
    assert policy.visible(carol, Incident.objects.all()).count() == 1


def test_nothing_is_visible_when_the_object_is_missing(alice: Any) -> None:
    assert policy.can_view(alice, None) is False  # type: ignore[arg-type]


def test_only_editors_and_admins_read_identifying_fields(
    make_incident: Callable[..., Any], alice: Any, bob: Any, root: Any
) -> None:
    make_incident(person={**CANARY, "disclosure": "organisation"})
    person = Person.objects.get()
    for user in (alice, root):
        assert policy.redact(user, person)["name"] == CANARY["name"]
    redacted = policy.redact(bob, person)
    assert redacted["public_id"] == person.public_id
    for field in Person.IDENTIFYING_FIELDS:
        assert field not in redacted
    assert not any(value in repr(redacted) for value in CANARY.values())


def test_confidential_source_text_is_for_editors_only(
    make_incident: Callable[..., Any], alice: Any, bob: Any
) -> None:
    source = make_incident().sources.get()
    source.disclosure = "organisation"
    source.content_class = "confidential"
    assert "text" in policy.redact(alice, source)
    assert "text" not in policy.redact(bob, source)
    source.content_class = "published"
    assert "text" in policy.redact(bob, source)
