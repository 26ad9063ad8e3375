"""Sign-ins, failed sign-ins and role changes go to the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from refuge.web.accounts.models import User
from refuge.web.audit.services import audit_record


def _address(request: Any) -> str:
    return str(getattr(request, "META", {}).get("REMOTE_ADDR", "")) if request else ""


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(action="login", user=user, details={"address": _address(request)})


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action="logout", user=user, details={})


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    # The account name tried (never the password), and where from.
    audit_record(
        action="login_failed",
        actor="anonymous",
        details={
            "username": str(credentials.get("username", ""))[:150],
            "address": _address(request),
        },
    )


@receiver(pre_save, sender=User)
def _remember_role(sender: Any, instance: User, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # a restore loads accounts as they were; the restore itself is audited
    old = User.objects.filter(pk=instance.pk).values("role", "is_active", "is_superuser").first()
    instance._audit_before = old  # type: ignore[attr-defined]


@receiver(post_save, sender=User)
def _role_changed(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    before = getattr(instance, "_audit_before", None)
    after = {
        "role": instance.role,
        "is_active": instance.is_active,
        "is_superuser": instance.is_superuser,
    }
    if created or before is None:
        audit_record(
            action="role_change",
            actor="system",
            details={"account": instance.username, "before": None, "after": after},
        )
    elif before != after:
        action = (
            "account_suspended" if before["is_active"] and not instance.is_active else "role_change"
        )
        audit_record(
            action=action,
            actor="system",
            details={"account": instance.username, "before": before, "after": after},
        )
