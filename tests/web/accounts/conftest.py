"""Helpers for the sign-in tests: an authenticator app in code, and a two-step sign-in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from totp_app import code_for

PASSWORD = "correct horse battery staple"  # the personas' password (tests/conftest.py)


@pytest.fixture
def enrolled() -> Callable[[Any], list[str]]:
    """Enrol ``user`` through the services; their recovery codes."""
    from refuge.web.accounts import twofactor

    def enrol(user: Any) -> list[str]:
        device = twofactor.device_start(user=user)
        codes = twofactor.device_confirm(device=device, code=code_for(user))
        assert codes is not None
        return codes

    return enrol


@pytest.fixture
def sign_in() -> Callable[..., Any]:
    """Sign in through the forms: the password, then ``code`` if one is given."""

    def run(client: Client, username: str, *, code: str | None = None, **extra: Any) -> Any:
        response = client.post(
            reverse("login"), {"username": username, "password": PASSWORD}, **extra
        )
        if code is not None:
            response = client.post(reverse("accounts:two_factor"), {"code": code}, **extra)
        return response

    return run
