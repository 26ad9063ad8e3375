"""The publishing screens: queue, propose, approve/reject, withdraw, embargo, consent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from refuge.web.disclosure import services
from refuge.web.disclosure.models import Consent, Embargo, Release

pytestmark = pytest.mark.django_db


def _propose(client: Client, incident: Any, **extra: str) -> Any:
    data = {"audience": "public", "public_title": "Sixty returned", "public_summary": "", **extra}
    return client.post(reverse("publishing:propose", args=[incident.public_id]), data)


def test_an_editor_proposes_and_another_approves_through_the_screens(
    make_incident: Callable[..., Any],
    alice: Any,
    erin: Any,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    incident = make_incident(disclosure="organisation")
    client = Client()
    client.force_login(alice)
    assert client.get(reverse("publishing:propose", args=[incident.public_id])).status_code == 200
    response = _propose(client, incident, public_summary="Written for the public.")
    assert response.status_code == 302
    release = Release.objects.get(incident=incident)
    assert release.state == "proposed" and release.proposed_by == alice

    queue = client.get(reverse("publishing:queue")).content.decode()
    assert "Sixty returned" in queue and "Your own proposal" in queue
    decide = reverse("publishing:decide", args=[release.uuid])
    refused = client.post(decide, {"decision": "approve"}, follow=True)
    assert refused.status_code == 200
    assert "[R140]" in refused.content.decode()
    release.refresh_from_db()
    assert release.state == "proposed"

    client.force_login(erin)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(decide, {"decision": "approve"}).status_code == 302
    release.refresh_from_db()
    assert release.state == "approved" and release.approved_by == erin

    withdraw = reverse("publishing:withdraw", args=[release.uuid])
    page = client.post(withdraw, {"reason": ""}, follow=True).content.decode()
    assert "Say why" in page
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(withdraw, {"reason": "family asked"}).status_code == 302
    release.refresh_from_db()
    assert release.state == "withdrawn"


def test_a_proposal_without_a_public_title_is_a_form_error(
    make_incident: Callable[..., Any], alice: Any, client: Client
) -> None:
    incident = make_incident(disclosure="organisation")
    client.force_login(alice)
    response = _propose(client, incident, public_title="")
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not Release.objects.exists()


def test_a_rejected_proposal_publishes_nothing(
    make_incident: Callable[..., Any], alice: Any, erin: Any, client: Client
) -> None:
    incident = make_incident(disclosure="organisation")
    release = services.release_propose(
        user=alice, incident=incident, audience="partners", public_title="T"
    )
    client.force_login(erin)
    decide = reverse("publishing:decide", args=[release.uuid])
    assert client.post(decide, {"decision": "reject", "note": "too early"}).status_code == 302
    release.refresh_from_db()
    assert release.state == "rejected" and release.decision_note == "too early"


def test_the_embargo_and_consent_forms_record_what_they_say(
    make_incident: Callable[..., Any], alice: Any, client: Client
) -> None:
    incident = make_incident(disclosure="organisation", person={"name": "Zqx Kim"})
    person = incident.victimhoods.get().person
    client.force_login(alice)
    url = reverse("publishing:embargo", args=[incident.public_id])
    page = client.get(url).content.decode()
    assert person.public_id in page and "Zqx" not in page
    bad = client.post(url, {"target": "incident", "reason": "r"})
    assert bad.status_code == 200 and "[R144]" in bad.content.decode()
    ok = client.post(
        url,
        {"target": f"person:{person.public_id}", "condition": "family_consents", "reason": "r"},
    )
    assert ok.status_code == 302
    embargo = Embargo.objects.get()
    assert embargo.person == person and embargo.reason == "r"

    url = reverse("publishing:consent", args=[incident.public_id])
    ok = client.post(
        url,
        {
            "target": "incident",
            "scope": "public",
            "given_by": "her brother",
            "given_at": "2030-01-02",
        },
    )
    assert ok.status_code == 302
    consent = Consent.objects.get()
    assert consent.incident == incident and consent.given_by == "her brother"
    revoke = reverse("publishing:consent_revoke", args=[consent.uuid])
    assert client.post(revoke).status_code == 302
    consent.refresh_from_db()
    assert consent.revoked_at is not None

    lift = reverse("publishing:embargo_lift", args=[embargo.uuid])
    assert client.post(lift, {"note": "safe now"}).status_code == 302
    embargo.refresh_from_db()
    assert embargo.lifted_by == alice


def test_the_incident_panel_shows_publication_state_and_reasons_to_editors_only(
    make_incident: Callable[..., Any], alice: Any, bob: Any
) -> None:
    incident = make_incident(disclosure="organisation")
    services.embargo_set(
        user=alice, incident=incident, condition="family_consents", reason="zqx reason"
    )
    for user, sees_reason in ((alice, True), (bob, False)):
        request = RequestFactory().get("/")
        request.user = user
        html = render_to_string(
            "disclosure/_incident_publishing.html",
            {"incident": incident},
            request=request,
        )
        assert "Under an active embargo" in html
        assert ("zqx reason" in html) is sees_reason
        assert ("Propose a release" in html) is sees_reason
