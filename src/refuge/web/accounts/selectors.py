"""Reads of accounts and their tokens."""

from __future__ import annotations

import uuid
from typing import Any

from refuge.web.accounts.models import ApiToken, User


def user_active(*, pk: int) -> User | None:
    """The active account with this id, or None (a suspended one signs in nowhere)."""
    return User.objects.filter(pk=pk, is_active=True).first()


def token_of(*, user: Any, token_uuid: uuid.UUID) -> ApiToken | None:
    """One of ``user``'s own tokens; another person's token is not found."""
    return ApiToken.objects.filter(uuid=token_uuid, user=user).first()
