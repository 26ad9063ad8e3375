"""Forms that htmx sends as partial updates also work as plain posts (no JavaScript)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from refuge.web.incidents import services
from refuge.web.incidents.models import Claim
from refuge.web.review.models import FigureDecision
from refuge.web.sources.models import Source
from refuge.web.sources.services import TextSourceInput, source_create_from_text

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
REPORT = (
    "Chinese police arrested 12 North Koreans in Dandong on March 3, 2024, a source "
    "who asked not to be named said.\n"
)


def _figure_url(world: dict[str, Any]) -> str:
    return reverse("review:figure", args=[world["group"].uuid, "total"])


def _choice(world: dict[str, Any], key: str = "about", reason: str = "Two monitors agree.") -> Any:
    return {"claim": world["claims"][key].pk, "reason": reason}


def test_without_javascript_a_figure_choice_posts_and_redirects_to_the_record(
    figure_incident: dict[str, Any], client: Client, alice: Any
) -> None:
    client.force_login(alice)
    response = client.post(_figure_url(figure_incident), _choice(figure_incident))
    assert response.status_code == 302
    incident = figure_incident["incident"]
    group = figure_incident["group"]
    detail_url = reverse("incidents:detail", args=[incident.public_id])
    assert response["Location"] == f"{detail_url}#figure-{group.uuid}-total"
    page = client.get(detail_url).content.decode()
    assert "Best figure set to 600." in page  # the message after the redirect
    assert "chosen by alice" in page
    assert FigureDecision.objects.get().reason == "Two monitors agree."


def test_with_htmx_a_figure_choice_returns_only_the_figure(
    figure_incident: dict[str, Any], client: Client, alice: Any
) -> None:
    client.force_login(alice)
    response = client.post(
        _figure_url(figure_incident), _choice(figure_incident, "over"), headers=HTMX
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and "<header" not in body
    assert f'id="figure-{figure_incident["group"].uuid}-total"' in body
    assert "Best figure set to 500." in body
    assert "chosen by alice" in body
    figure_incident["group"].refresh_from_db()
    assert figure_incident["group"].total_best == 500


def test_without_javascript_a_missing_reason_is_a_form_error_on_the_record_page(
    figure_incident: dict[str, Any], client: Client, alice: Any
) -> None:
    client.force_login(alice)
    response = client.post(_figure_url(figure_incident), _choice(figure_incident, reason=""))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" in body and "Give the reason for choosing this figure." in body
    assert figure_incident["incident"].title in body
    assert not FigureDecision.objects.exists()


def test_with_htmx_a_missing_reason_is_a_form_error_in_the_figure(
    figure_incident: dict[str, Any], client: Client, alice: Any
) -> None:
    client.force_login(alice)
    response = client.post(
        _figure_url(figure_incident), _choice(figure_incident, reason="  "), headers=HTMX
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert "R137" in body or "Give the reason" in body
    assert not FigureDecision.objects.exists()


def test_a_claim_of_another_group_is_a_form_error_not_a_500(
    figure_incident: dict[str, Any], make_incident: Any, client: Client, alice: Any
) -> None:
    other = make_incident("Another incident").victim_groups.get().figure_claims.get().claim
    client.force_login(alice)
    for extra in ({}, HTMX):  # without and with htmx
        response = client.post(
            _figure_url(figure_incident), {"claim": other.pk, "reason": "x"}, headers=extra
        )
        assert response.status_code == 200
        assert "[R137]" in response.content.decode()


def test_who_may_not_choose_gets_403_404_or_sign_in(
    figure_incident: dict[str, Any], client: Client, bob: Any, carol: Any
) -> None:
    url = _figure_url(figure_incident)
    assert client.post(url, _choice(figure_incident))["Location"].startswith(reverse("login"))
    client.force_login(bob)  # sees the incident, may not change it
    assert client.post(url, _choice(figure_incident)).status_code == 403
    assert client.post(url, {}, headers=HTMX).status_code == 403
    client.force_login(carol)  # does not see it: as if it did not exist
    assert client.post(url, _choice(figure_incident)).status_code == 404
    assert not FigureDecision.objects.exists()


def test_the_figure_route_takes_posts_and_known_figures_only(
    figure_incident: dict[str, Any], client: Client, alice: Any
) -> None:
    client.force_login(alice)
    assert client.get(_figure_url(figure_incident)).status_code == 405
    url = reverse("review:figure", args=[figure_incident["group"].uuid, "children"])
    assert client.post(url, _choice(figure_incident)).status_code == 404


def _source(team: Any) -> Source:
    """A source with one proposed claim (made here, so the extractor's changes don't matter)."""
    source, _ = source_create_from_text(
        data=TextSourceInput(text=REPORT, title="Dandong arrests", disclosure="organisation"),
        team=team,
    )
    start = REPORT.index("12")
    services.claim_create(
        source=source,
        field="incidents.0.victims.total",
        value={"value": 12, "min": None, "max": None, "qualifier": "exact"},
        span=(start, start + 2),
        extractor_version="test",
    )
    return source


def test_without_javascript_accepting_a_claim_reloads_the_review_screen(
    team: Any, client: Client, alice: Any
) -> None:
    source = _source(team)
    claim = Claim.objects.filter(source=source).first()
    assert claim is not None
    client.force_login(alice)
    url = reverse("review:source", args=[source.uuid])
    response = client.post(url, {"action": "decide", "claim": claim.pk, "decision": "accept"})
    assert response.status_code == 302 and response["Location"] == url
    claim.refresh_from_db()
    assert claim.review_status == "accepted"


def test_with_htmx_a_decision_returns_the_claim_s_row_and_a_status_line(
    team: Any, client: Client, alice: Any
) -> None:
    source = _source(team)
    claim = Claim.objects.filter(source=source).first()
    assert claim is not None
    client.force_login(alice)
    url = reverse("review:source", args=[source.uuid])
    response = client.post(
        url, {"action": "decide", "claim": claim.pk, "decision": "reject"}, headers=HTMX
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith(f'<tr id="claim-{claim.pk}"')
    assert "status-rejected" in body
    assert 'id="review-status" hx-swap-oob="innerHTML"' in body and "Claim rejected." in body
    assert "<html" not in body
    claim.refresh_from_db()
    assert claim.review_status == "rejected"


def test_with_htmx_an_unknown_claim_changes_nothing_and_says_why(
    team: Any, client: Client, alice: Any
) -> None:
    source = _source(team)
    client.force_login(alice)
    url = reverse("review:source", args=[source.uuid])
    response = client.post(
        url, {"action": "decide", "claim": 999999, "decision": "accept"}, headers=HTMX
    )
    assert response.status_code == 200
    assert response["HX-Reswap"] == "none"
    assert "no such claim on this source" in response.content.decode()


def test_with_htmx_an_analyst_still_may_not_decide(team: Any, client: Client, bob: Any) -> None:
    source = _source(team)
    claim = Claim.objects.filter(source=source).first()
    assert claim is not None
    client.force_login(bob)
    url = reverse("review:source", args=[source.uuid])
    response = client.post(
        url, {"action": "decide", "claim": claim.pk, "decision": "accept"}, headers=HTMX
    )
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.review_status == "proposed"
