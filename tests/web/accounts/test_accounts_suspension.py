"""Suspending an account ends its live sessions and its API tokens at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from refuge.web.accounts.services import user_suspend
from refuge.web.accounts.tokens import token_authenticate, token_create
from refuge.web.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_suspension_ends_every_session_and_token_of_the_account_only(alice: Any, bob: Any) -> None:
    laptop, phone, colleague = Client(), Client(), Client()
    laptop.force_login(alice)
    phone.force_login(alice)
    colleague.force_login(bob)
    _, raw = token_create(user=alice, name="script", role="analyst")
    _, bobs = token_create(user=bob, name="stats", role="analyst")
    assert token_authenticate(raw) is not None

    user_suspend(user=alice)

    assert Session.objects.count() == 1  # bob's
    for client in (laptop, phone):
        response = client.get(reverse("incidents:list"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert colleague.get(reverse("incidents:list")).status_code == 200
    assert token_authenticate(raw) is None
    assert token_authenticate(bobs) is not None
    assert AuditEntry.objects.filter(action="account_suspended").exists()


def test_unticking_active_in_the_admin_has_the_same_effect(alice: Any) -> None:
    client = Client()
    client.force_login(alice)
    _, raw = token_create(user=alice, name="script", role="editor")
    alice.is_active = False
    alice.save()
    assert not Session.objects.exists()
    assert token_authenticate(raw) is None


def test_reactivating_an_account_brings_back_no_session_and_no_token(alice: Any) -> None:
    client = Client()
    client.force_login(alice)
    _, raw = token_create(user=alice, name="script", role="editor")
    user_suspend(user=alice)
    alice.is_active = True
    alice.save()
    assert client.get(reverse("incidents:list")).status_code == 302
    assert token_authenticate(raw) is None


def test_the_admin_action_suspends(alice: Any, root: Any) -> None:
    client = Client()
    client.force_login(root)
    victim = Client()
    victim.force_login(alice)
    response = client.post(
        "/admin/accounts/user/",
        {"action": "suspend", "_selected_action": [alice.pk]},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert not alice.is_active
    assert victim.get(reverse("incidents:list")).status_code == 302
