"""Users, roles and teams; their second factors and API tokens.

A role says what kind of work a person does; the disclosure policy alone turns a role into
access (see refuge.web.disclosure.policy). Nothing else should compare roles, except the
token scopes in refuge.web.accounts.tokens, which only narrow a role.

Secrets at rest: a TOTP key is encrypted like identifying fields (AES-GCM under the master
key, bound to its row); recovery codes and API tokens are random and long, so only their
SHA-256 is kept and a stolen database gives nothing to sign in with.
"""

from __future__ import annotations

import base64
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django_otp.oath import TOTP  # type: ignore[import-untyped]

from refuge.web.encrypted import EncryptedTextField


class Role(models.TextChoices):
    ADMIN = "admin", "Administrator"
    EDITOR = "editor", "Editor"
    ANALYST = "analyst", "Analyst"
    PARTNER = "partner", "Partner"


class Team(models.Model):
    """The unit of an organisation that owns records (documentation team, legal team)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person signing in. A new user has no role, and so sees nothing."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    role = models.CharField(max_length=16, choices=Role.choices, blank=True, default="")
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    # Made by `refuge load-sample --demo-users`: may skip two-factor while REFUGE_DEMO=1 only.
    is_demo = models.BooleanField(default=False, editable=False)

    def __str__(self) -> str:
        return self.username


# Codes one step (30 s) early or late are accepted: phones' clocks drift.
TOTP_STEP = 30
TOTP_DIGITS = 6
TOTP_TOLERANCE = 1
# Back-off after wrong codes: factor * 2^(failures-1) seconds, at most an hour.
MAX_BACKOFF_SECONDS = 3600


class TotpDevice(models.Model):
    """An authenticator app (RFC 6238: SHA-1, 6 digits, 30 s), one per user.

    django-otp's own TOTPDevice keeps its key in plain hex; this one keeps it encrypted
    and borrows only django-otp's TOTP arithmetic (django_otp.oath). Unconfirmed until the
    user has typed one code from it (enrolment).
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device"
    )
    key = EncryptedTextField(help_text="Base32 secret, encrypted at rest.")
    confirmed = models.BooleanField(default=False)
    # The last time step accepted: a code is never accepted twice (replay).
    last_t = models.BigIntegerField(default=-1)
    failures = models.PositiveIntegerField(default=0)
    failed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"authenticator of {self.user_id}"

    def totp(self) -> Any:
        return TOTP(base64.b32decode(str(self.key)), step=TOTP_STEP, digits=TOTP_DIGITS)

    def may_try(self) -> bool:
        """False while backing off after wrong codes (a guess per second would take days)."""
        if self.failures == 0 or self.failed_at is None:
            return True
        factor = int(getattr(settings, "TWO_FACTOR_THROTTLE_FACTOR", 1))
        wait = min(factor * 2 ** (self.failures - 1), MAX_BACKOFF_SECONDS)
        return bool(timezone.now() - self.failed_at >= timedelta(seconds=wait))

    def verify_token(self, token: str) -> bool:
        """Whether ``token`` is a current code not used before; counts failures."""
        if not self.may_try():
            return False
        code = int(token) if token.isdigit() and len(token) == TOTP_DIGITS else -1
        totp = self.totp()
        if code >= 0 and totp.verify(code, tolerance=TOTP_TOLERANCE, min_t=self.last_t + 1):
            self.last_t, self.failures, self.failed_at = int(totp.t()), 0, None
        else:
            self.failures, self.failed_at = self.failures + 1, timezone.now()
        self.save(update_fields=["last_t", "failures", "failed_at"])
        return self.failures == 0


class RecoveryCode(models.Model):
    """One single-use code for when the phone is lost; only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"recovery code of {self.user_id}"


class ApiToken(models.Model):
    """A bearer token for the API, acting with one role at most the user's own."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    role = models.CharField(max_length=16, choices=Role.choices)
    # The first characters, shown in lists so a person can tell their tokens apart.
    prefix = models.CharField(max_length=12)
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
