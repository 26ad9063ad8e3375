"""API tokens: scoped to a role, stored hashed, revocable, expiring."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from refuge.web.accounts.errors import AccountError
from refuge.web.accounts.models import ApiToken
from refuge.web.accounts.tokens import (
    token_authenticate,
    token_create,
    token_revoke,
    token_scopes,
)

pytestmark = pytest.mark.django_db


def test_a_token_acts_for_its_owner_with_its_role_only(alice: Any) -> None:
    _, raw = token_create(user=alice, name="statistics", role="analyst")
    user = token_authenticate(raw)
    assert user is not None and user.pk == alice.pk
    assert user.role == "analyst" and not user.is_staff and not user.is_superuser


def test_only_the_hash_of_a_token_is_stored(alice: Any) -> None:
    _, raw = token_create(user=alice, name="script", role="editor")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        rows = cursor.fetchall()
    assert rows and all(raw not in str(value) for row in rows for value in row)


def test_a_token_cannot_carry_more_than_its_owners_role(alice: Any, bob: Any, dave: Any) -> None:
    assert token_scopes(alice) == ("editor", "analyst")
    with pytest.raises(AccountError, match="R110"):
        token_create(user=bob, name="x", role="editor")
    with pytest.raises(AccountError, match="R110"):
        token_create(user=alice, name="x", role="admin")
    assert token_scopes(dave) == ()


def test_a_token_lasts_a_bounded_time(alice: Any) -> None:
    with pytest.raises(AccountError, match="R111"):
        token_create(user=alice, name="x", role="editor", days=400)
    token, raw = token_create(user=alice, name="x", role="editor", days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert token_authenticate(raw) is None


def test_a_revoked_token_no_longer_works(alice: Any) -> None:
    token, raw = token_create(user=alice, name="x", role="editor")
    token_revoke(token=token)
    assert token_authenticate(raw) is None


def test_a_token_stops_when_its_owner_loses_the_role_it_carries(alice: Any) -> None:
    _, raw = token_create(user=alice, name="x", role="editor")
    alice.role = "analyst"
    alice.save()
    assert token_authenticate(raw) is None


@pytest.mark.parametrize("raw", ["", "rfg_", "rfg_not-a-token", "Bearer x"])
def test_made_up_tokens_authenticate_no_one(alice: Any, raw: str) -> None:
    token_create(user=alice, name="x", role="editor")
    assert token_authenticate(raw) is None


def test_a_user_narrowed_to_a_token_cannot_be_saved_over_the_account(alice: Any) -> None:
    _, raw = token_create(user=alice, name="x", role="analyst")
    user = token_authenticate(raw)
    assert user is not None
    with pytest.raises(AccountError):
        user.save()
    alice.refresh_from_db()
    assert alice.role == "editor"


def test_the_security_page_creates_a_token_and_shows_it_once(client: Client, bob: Any) -> None:
    client.force_login(bob)
    response = client.post(
        reverse("accounts:token_new"), {"name": "stats", "role": "analyst", "days": "30"}
    )
    raw = response.context["raw"]
    assert raw in response.content.decode() and token_authenticate(raw) is not None
    page = client.get(reverse("accounts:security")).content.decode()
    assert "stats" in page and raw not in page


def test_the_security_page_refuses_a_role_beyond_ones_own(client: Client, bob: Any) -> None:
    client.force_login(bob)
    response = client.post(
        reverse("accounts:token_new"), {"name": "x", "role": "editor", "days": "30"}
    )
    assert response.status_code == 302 and not ApiToken.objects.exists()


def test_a_person_revokes_their_own_token_but_not_someone_elses(
    client: Client, alice: Any, bob: Any
) -> None:
    own, _ = token_create(user=bob, name="mine", role="analyst")
    other, other_raw = token_create(user=alice, name="hers", role="analyst")
    client.force_login(bob)
    assert (
        client.post(reverse("accounts:token_revoke"), {"token": str(other.uuid)}).status_code == 404
    )
    assert token_authenticate(other_raw) is not None
    client.post(reverse("accounts:token_revoke"), {"token": str(own.uuid)})
    own.refresh_from_db()
    assert own.revoked_at is not None
