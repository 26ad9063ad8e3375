"""Lockout after failed sign-ins, keyed on the username and the address together."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client, RequestFactory
from django.urls import reverse
from totp_app import code_for

from refuge.web.accounts.addresses import client_address

pytestmark = pytest.mark.django_db

OFFICE = "203.0.113.7"
ELSEWHERE = "198.51.100.9"


def _fail(client: Client, username: str, address: str, times: int) -> Any:
    response = None
    for _ in range(times):
        response = client.post(
            reverse("login"), {"username": username, "password": "wrong"}, REMOTE_ADDR=address
        )
    return response


def _sign_in(username: str, address: str) -> Any:
    client = Client()
    client.post(
        reverse("login"),
        {"username": username, "password": "correct horse battery staple"},
        REMOTE_ADDR=address,
    )
    return client


def test_repeated_failures_lock_that_username_at_that_address(
    client: Client, bob: Any, settings: Any
) -> None:
    response = _fail(client, "bob", OFFICE, settings.AXES_FAILURE_LIMIT)
    assert response.status_code == 429
    assert "Sign-in paused" in response.content.decode()
    assert SESSION_KEY not in _sign_in("bob", OFFICE).session  # even the right password


def test_a_lockout_spares_colleagues_at_the_same_address_and_the_account_elsewhere(
    client: Client, bob: Any, carol: Any, settings: Any
) -> None:
    _fail(client, "bob", OFFICE, settings.AXES_FAILURE_LIMIT)
    assert SESSION_KEY in _sign_in("carol", OFFICE).session
    assert SESSION_KEY in _sign_in("bob", ELSEWHERE).session


def test_a_lockout_ends_after_the_cool_off(client: Client, bob: Any, settings: Any) -> None:
    _fail(client, "bob", OFFICE, settings.AXES_FAILURE_LIMIT)
    assert SESSION_KEY not in _sign_in("bob", OFFICE).session
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time
        - settings.AXES_COOLOFF_TIME
        - timedelta(seconds=1)
    )
    assert SESSION_KEY in _sign_in("bob", OFFICE).session


def test_fewer_failures_than_the_limit_do_not_lock(client: Client, bob: Any, settings: Any) -> None:
    _fail(client, "bob", OFFICE, settings.AXES_FAILURE_LIMIT - 1)
    assert SESSION_KEY in _sign_in("bob", OFFICE).session


def test_wrong_two_factor_codes_count_towards_the_lockout(
    alice: Any, enrolled: Callable[[Any], Any], settings: Any
) -> None:
    settings.TWO_FACTOR_THROTTLE_FACTOR = 0  # the lockout, not the device back-off
    enrolled(alice)
    client = _sign_in("alice", OFFICE)
    good = code_for(alice, ahead=1)
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    response = None
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("accounts:two_factor"), {"code": wrong}, REMOTE_ADDR=OFFICE)
    assert response is not None and response.status_code == 429
    response = client.post(reverse("accounts:two_factor"), {"code": good}, REMOTE_ADDR=OFFICE)
    assert response.status_code == 429 and SESSION_KEY not in client.session


def test_the_address_is_the_peer_unless_proxies_are_declared(settings: Any) -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    settings.REFUGE_PROXY_COUNT = 0
    assert client_address(request) == "10.0.0.2"  # a client cannot choose its own address
    settings.REFUGE_PROXY_COUNT = 1
    assert client_address(request) == "203.0.113.7"  # what our proxy saw, not what was sent
    settings.REFUGE_PROXY_COUNT = 3
    assert client_address(request) == "10.0.0.2"  # fewer hops than declared: the peer
