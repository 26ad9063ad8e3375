"""API tokens: scoped to a role, stored hashed, revocable, expiring.

A token is shown once (``rfg_`` and 43 random characters); only its SHA-256 is stored. It
acts with its own role, never more than its owner's: ``token_authenticate`` hands the API
a copy of the user narrowed to that role, with no staff or superuser power.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any, Final

from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone

from refuge.web.accounts.errors import AccountError
from refuge.web.accounts.models import ApiToken, Role, User

PREFIX: Final = "rfg_"
DEFAULT_DAYS: Final = 90
MAX_DAYS: Final = 365
# Roles a token may carry, by its owner's role: the same work or less of it.
SCOPES: Final[dict[str, tuple[str, ...]]] = {
    Role.ADMIN: (Role.ADMIN, Role.EDITOR, Role.ANALYST),
    Role.EDITOR: (Role.EDITOR, Role.ANALYST),
    Role.ANALYST: (Role.ANALYST,),
    Role.PARTNER: (Role.PARTNER,),
}
# Writing last_used_at on every call would turn each API read into a write.
_TOUCH_EVERY = timedelta(minutes=5)


def token_scopes(user: Any) -> tuple[str, ...]:
    return SCOPES.get(getattr(user, "role", ""), ()) if user.is_active else ()


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "replace")).hexdigest()


def token_create(
    *, user: User, name: str, role: str, days: int = DEFAULT_DAYS
) -> tuple[ApiToken, str]:
    """A new token and its raw value (shown once, never stored)."""
    if role not in token_scopes(user):
        allowed = ", ".join(token_scopes(user)) or "none"
        raise AccountError(
            f"a token cannot carry the role {role!r}; yours allows: {allowed}", code="R110"
        )
    if not 1 <= days <= MAX_DAYS:
        raise AccountError(f"a token lasts 1 to {MAX_DAYS} days, not {days}", code="R111")
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100] or "token",
        role=role,
        prefix=raw[:10],
        token_sha256=_digest(raw),
        expires_at=timezone.now() + timedelta(days=days),
    )
    _audit(user, "api_token_created", token=str(token.uuid), role=role)
    return token, raw


def token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        _audit(token.user, "api_token_revoked", token=str(token.uuid))


def tokens_revoke_all(*, user: Any) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def tokens_of(user: Any) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user))


def token_authenticate(raw_token: str) -> User | None:
    """The user a raw token acts for, narrowed to its role; None if it does not hold."""
    if not raw_token or not raw_token.startswith(PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_sha256=_digest(raw_token), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or token.role not in token_scopes(token.user):
        return None  # revoked, expired, its owner suspended or since given a lesser role
    if token.last_used_at is None or now - token.last_used_at > _TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    user = token.user
    user.role = token.role
    user.is_staff = False
    user.is_superuser = False
    user._refuge_api_token = token  # type: ignore[attr-defined]
    return user


@receiver(pre_save, sender=User)
def _never_save_a_narrowed_user(sender: Any, instance: User, **kwargs: Any) -> None:
    # The narrowed copy would write the token's role over the account's own.
    if getattr(instance, "_refuge_api_token", None) is not None:
        raise AccountError("a user acting through an API token cannot be saved", code="R110")


def _audit(user: User, operation: str, **extra: Any) -> None:
    from refuge.web.audit.services import audit_record

    audit_record(
        action="key_operation",
        actor="system",
        details={"operation": operation, "account": user.username, **extra},
    )
