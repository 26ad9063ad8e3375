"""Embargoes end by date or by an editor; their end queues the incident, never publishes it.

The clock is the ``now`` every service takes: these tests move it by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from refuge.errors import RefugeError
from refuge.web.disclosure import policy, services
from refuge.web.disclosure.embargoes import is_embargoed
from refuge.web.disclosure.models import Release
from refuge.web.incidents.models import Incident

pytestmark = pytest.mark.django_db

T0 = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)
UNTIL = date(2030, 6, 1)
DAY_BEFORE = datetime(2030, 5, 31, 23, 59, 59, tzinfo=UTC)
ON_THE_DAY = datetime(2030, 6, 1, 0, 0, tzinfo=UTC)


def test_an_embargo_needs_a_future_date_or_a_condition(
    make_incident: Callable[..., Any], alice: Any
) -> None:
    incident = make_incident(disclosure="organisation")
    for kwargs in (
        {},
        {"until": date(2030, 2, 1)},  # already past at T0
        {"condition": "other"},  # other needs its description
        {"condition": "when the moon is blue"},
    ):
        with pytest.raises(RefugeError) as refused:
            services.embargo_set(user=alice, incident=incident, now=T0, **kwargs)
        assert refused.value.code == "R144", kwargs


def test_a_dated_embargo_ends_as_its_day_begins_and_only_queues_the_incident(
    make_incident: Callable[..., Any],
    alice: Any,
    erin: Any,
    carol: Any,
    reader: Callable[[str], list[Any]],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    incident = make_incident(disclosure="partners")
    with django_capture_on_commit_callbacks(execute=True):
        release = services.release_approve(
            user=erin,
            release=services.release_propose(
                user=alice,
                incident=incident,
                audience="public",
                public_title="Returned through Tumen",
                now=T0,
            ),
            now=T0,
        )
        embargo = services.embargo_set(
            user=alice, incident=incident, until=UNTIL, reason="family asked", now=T0
        )
    assert reader("public") == []
    release.refresh_from_db()
    assert release.state == "withdrawn"

    assert services.embargoes_due(DAY_BEFORE) == []
    assert services.expire_embargoes(DAY_BEFORE).ended == ()
    assert embargo.is_active(DAY_BEFORE) and is_embargoed(incident, DAY_BEFORE)

    assert services.embargoes_due(ON_THE_DAY) == [embargo]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = services.expire_embargoes(ON_THE_DAY)
    assert callbacks == []  # nothing scheduled a publication
    assert report.ended == (str(embargo.uuid),)
    assert report.queued == (incident.public_id,)
    embargo.refresh_from_db()
    assert embargo.date_reached_at == ON_THE_DAY and not embargo.is_active(ON_THE_DAY)
    assert not is_embargoed(incident, ON_THE_DAY)
    # Queued for review, not republished: the old release stays withdrawn.
    [entry] = Release.objects.filter(incident=incident, state="needs_review")
    assert entry.audience == "public"
    release.refresh_from_db()
    assert release.state == "withdrawn"
    assert reader("public") == [] and reader("partners") == []
    # Running it again does nothing more.
    assert services.expire_embargoes(ON_THE_DAY + timedelta(days=1)).queued == ()
    # Releasing it again takes two editors, from the queue entry itself.
    proposal = services.release_propose(
        user=erin, incident=incident, audience="public", public_title="Returned", now=ON_THE_DAY
    )
    assert proposal.pk == entry.pk and proposal.state == "proposed"
    with django_capture_on_commit_callbacks(execute=True):
        services.release_approve(user=alice, release=proposal, now=ON_THE_DAY)
    assert [i.public_id for i in reader("public")] == [incident.public_id]


def test_an_embargo_waiting_for_a_condition_outlives_its_date_until_an_editor_lifts_it(
    make_incident: Callable[..., Any], alice: Any, erin: Any
) -> None:
    incident = make_incident(disclosure="organisation")
    embargo = services.embargo_set(
        user=alice, incident=incident, until=UNTIL, condition="family_consents", now=T0
    )
    report = services.expire_embargoes(ON_THE_DAY)
    assert report.ended == () and report.waiting_for_condition == (str(embargo.uuid),)
    assert report.queued == (incident.public_id,)
    assert is_embargoed(incident, ON_THE_DAY + timedelta(days=400))
    release = services.release_propose(
        user=alice, incident=incident, audience="partners", public_title="T", now=ON_THE_DAY
    )
    with pytest.raises(RefugeError) as refused:
        services.release_approve(user=erin, release=release, now=ON_THE_DAY)
    assert refused.value.code == "R142"
    services.embargo_lift(user=erin, embargo=embargo, note="the family agreed", now=ON_THE_DAY)
    assert not is_embargoed(incident, ON_THE_DAY)
    services.release_approve(user=erin, release=release, now=ON_THE_DAY)
    with pytest.raises(RefugeError) as refused:
        services.embargo_lift(user=erin, embargo=embargo)
    assert refused.value.code == "R143"


def test_lifting_an_embargo_queues_the_incident(
    make_incident: Callable[..., Any], alice: Any, bob: Any
) -> None:
    incident = make_incident(disclosure="organisation")
    embargo = services.embargo_set(user=alice, incident=incident, condition="family_consents")
    with pytest.raises(RefugeError) as refused:
        services.embargo_lift(user=bob, embargo=embargo)
    assert refused.value.code == "R141"
    services.embargo_lift(user=alice, embargo=embargo)
    assert Release.objects.get(incident=incident).state == "needs_review"


def test_an_active_embargo_hides_the_record_from_partners_only(
    make_incident: Callable[..., Any], alice: Any, bob: Any, carol: Any, client: Client
) -> None:
    incident = make_incident(disclosure="partners", person={"name": "Kim Canary"})
    person = incident.victimhoods.get().person
    url = reverse("incidents:detail", args=[incident.public_id])
    client.force_login(carol)
    assert client.get(url).status_code == 200
    group = incident.victim_groups.get()
    embargo = services.embargo_set(user=alice, victim_group=group, condition="family_consents")
    assert client.get(url).status_code == 404
    assert policy.can_view(carol, incident) is False
    assert not policy.visible(carol, Incident.objects.all()).exists()
    for staff in (alice, bob):
        assert policy.can_view(staff, incident) is True
        assert policy.visible(staff, Incident.objects.all()).count() == 1
    services.embargo_lift(user=alice, embargo=embargo)
    assert client.get(url).status_code == 200
    services.embargo_set(user=alice, person=person, condition="person_reached_safety")
    assert client.get(url).status_code == 404
    assert policy.can_view(carol, person) is False
