"""Writes of users and teams."""

from __future__ import annotations

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from refuge.errors import UsageError
from refuge.web.accounts.models import Role, Team, User

SAMPLE_TEAM = ("Sample documentation team", "sample-team")
DEMO_ACCOUNTS = (
    ("admin", Role.ADMIN),
    ("editor", Role.EDITOR),
    ("analyst", Role.ANALYST),
    ("partner", Role.PARTNER),
)


def team_get_or_create(*, name: str, slug: str) -> Team:
    team, _ = Team.objects.get_or_create(slug=slug, defaults={"name": name})
    return team


def user_suspend(*, user: User) -> None:
    """Suspend an account: its sessions end and its API tokens are revoked at once.

    The work is done by the post_save receiver (accounts.signals), so unticking "active"
    in the admin has the same effect as this service.
    """
    user.is_active = False
    user.save(update_fields=["is_active"])


def demo_users_create(*, password: str | None = None) -> tuple[str, bool]:
    """Create or reset the demo accounts; (password, whether it was generated).

    A generated password is new at every call: it is printed once and never stored in
    plain text, so re-running the command is how a lost demo password is replaced.
    """
    generated = password is None or password == ""
    if generated:
        password = secrets.token_urlsafe(12)
    assert password is not None
    try:
        validate_password(password)
    except ValidationError as exc:
        raise UsageError(
            f"REFUGE_DEMO_PASSWORD is too weak: {' '.join(exc.messages)}", code="R013"
        ) from None
    team = team_get_or_create(name=SAMPLE_TEAM[0], slug=SAMPLE_TEAM[1])
    with transaction.atomic():
        for username, role in DEMO_ACCOUNTS:
            user = User.objects.filter(username=username).first() or User(username=username)
            user.role = role
            user.team = team
            user.is_active = True
            # May skip two-factor while REFUGE_DEMO=1, and only then (accounts.twofactor).
            user.is_demo = True
            # Only the admin account opens the reference-data admin.
            user.is_staff = role == Role.ADMIN
            user.is_superuser = role == Role.ADMIN
            user.set_password(password)
            user.save()
    return password, generated
