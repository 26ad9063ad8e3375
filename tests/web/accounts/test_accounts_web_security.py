"""Headers and cookies of every page: CSP, no-store, CSRF, session expiry, Argon2."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.hashers import (
    check_password,
    get_hasher,
    identify_hasher,
    make_password,
)
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

KEYWORDS = {"'self'", "'none'"}


def _csp(response: Any) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.mark.parametrize("path", ["/login/", "/incidents/", "/healthz"])
def test_every_page_has_a_strict_csp_with_no_external_origin(
    client: Client, bob: Any, path: str
) -> None:
    client.force_login(bob)
    directives = _csp(client.get(path))
    assert directives["default-src"] == ["'none'"]
    for name in ("script-src", "style-src", "img-src", "font-src", "connect-src"):
        assert directives[name] == ["'self'"], name
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    sources = {s for values in directives.values() for s in values}
    assert sources <= KEYWORDS  # no host, scheme, data: or 'unsafe-inline' anywhere


def test_signed_in_pages_are_never_stored(client: Client, bob: Any) -> None:
    client.force_login(bob)
    for path in (reverse("incidents:list"), reverse("accounts:security"), "/"):
        cache = client.get(path)["Cache-Control"]
        assert "no-store" in cache and "private" in cache, path


def test_the_sign_in_steps_are_never_stored(client: Client) -> None:
    assert "no-store" in client.get(reverse("login"))["Cache-Control"]


def test_forms_without_a_csrf_token_are_refused() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "bob", "password": "x"})
    assert response.status_code == 403


def test_no_view_is_exempt_from_csrf() -> None:
    from django.urls import get_resolver

    def walk(patterns: list[Any], namespace: str = "") -> list[Any]:
        found = []
        for p in patterns:
            if hasattr(p, "url_patterns"):
                found += walk(p.url_patterns, getattr(p, "namespace", None) or namespace)
            # The REST API (namespace "api") is exempt: it authenticates by a bearer header
            # only, never by a cookie, so no other site can make a browser call it signed in
            # (tests/web/api: a signed-in session gets 401 there).
            elif namespace != "api":
                found.append(p.callback)
        return found

    exempt = [v for v in walk(get_resolver().url_patterns) if getattr(v, "csrf_exempt", False)]
    assert exempt == []


def test_the_session_expires_after_an_idle_period_and_each_request_renews_it(
    client: Client, bob: Any, settings: Any
) -> None:
    client.force_login(bob)
    client.get(reverse("incidents:list"))
    session = Session.objects.get()
    idle = session.expire_date - timezone.now()
    assert abs(idle.total_seconds() - settings.SESSION_COOKIE_AGE) < 60
    Session.objects.update(expire_date=timezone.now() + timedelta(seconds=30))
    client.get(reverse("incidents:list"))
    renewed = Session.objects.get().expire_date - timezone.now()
    assert renewed.total_seconds() > settings.SESSION_COOKIE_AGE - 60  # activity renews it
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("incidents:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_session_cookie_dies_with_the_browser_and_hides_from_scripts(
    client: Client, bob: Any
) -> None:
    client.post(reverse("login"), {"username": "bob", "password": "correct horse battery staple"})
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert not cookie["max-age"] and not cookie["expires"]


def test_passwords_are_hashed_with_argon2id_outside_tests(settings: Any) -> None:
    from refuge.web import settings as production

    # The test settings swap in a fast hasher; this runs with the real list.
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    encoded = make_password("correct horse battery staple")
    assert encoded.startswith("argon2$argon2id$")
    assert identify_hasher(encoded).algorithm == get_hasher().algorithm == "argon2"
    assert check_password("correct horse battery staple", encoded)
