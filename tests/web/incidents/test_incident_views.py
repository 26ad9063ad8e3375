from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_sign_in(
    make_incident: Callable[..., Any], client: Client
) -> None:
    incident = make_incident()
    for url in (reverse("incidents:list"), reverse("incidents:detail", args=[incident.public_id])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_home_page_leads_to_sign_in_or_to_the_list(client: Client, alice: Any) -> None:
    assert client.get("/")["Location"] == reverse("login")
    client.force_login(alice)
    assert client.get("/")["Location"] == reverse("incidents:list")


def test_signing_in_with_the_form_shows_the_incident_list(
    make_incident: Callable[..., Any], client: Client, bob: Any
) -> None:
    # An analyst signs in with a password alone (editors add a second factor, tested in
    # tests/web/accounts), and sees organisation-level incidents.
    make_incident("Sixty returned from Tumen", disclosure="organisation")
    response = client.post(
        reverse("login"),
        {"username": "bob", "password": "correct horse battery staple"},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sixty returned from Tumen" in page
    assert "Tumen" in page and "about 60" in page and "2024-04" in page


def test_a_wrong_password_shows_a_form_error(client: Client, alice: Any) -> None:
    response = client.post(reverse("login"), {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


def test_the_detail_page_shows_figures_with_their_evidence(
    make_incident: Callable[..., Any], client: Client, bob: Any
) -> None:
    incident = make_incident(disclosure="organisation")
    client.force_login(bob)
    page = client.get(reverse("incidents:detail", args=[incident.public_id])).content.decode()
    assert "About 60" in page  # the quoted words of the source
    assert "Arrest" in page and "April 2024" in page and "Border Watch Wire" in page
    assert "B2" in page  # reliability and credibility grade


def test_the_detail_page_never_shows_a_person_s_name_to_an_analyst(
    make_incident: Callable[..., Any], client: Client, bob: Any
) -> None:
    # Editors entitled to identifying fields see persons (tests/web/incidents/test_detail*.py).
    incident = make_incident(
        disclosure="organisation", person={"name": "Canary Kim-Sample", "hometown": "Canaryville"}
    )
    client.force_login(bob)
    page = client.get(reverse("incidents:detail", args=[incident.public_id])).content.decode()
    assert "Canary" not in page


def test_roles_without_access_get_an_empty_list_and_a_404(
    make_incident: Callable[..., Any], client: Client, carol: Any, dave: Any
) -> None:
    incident = make_incident("Secret case")
    for user in (carol, dave):
        client.force_login(user)
        listing = client.get(reverse("incidents:list"))
        assert listing.status_code == 200
        assert "Secret case" not in listing.content.decode()
        detail = client.get(reverse("incidents:detail", args=[incident.public_id]))
        assert detail.status_code == 404


def test_an_unknown_incident_is_a_404_like_a_hidden_one(client: Client, alice: Any) -> None:
    client.force_login(alice)
    assert client.get(reverse("incidents:detail", args=["I-NOPE"])).status_code == 404


def test_the_stylesheet_is_served_without_debug(client: Client) -> None:
    response = client.get("/static/refuge/refuge.css")
    assert response.status_code == 200
