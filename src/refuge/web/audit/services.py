"""Appending to and verifying the audit log."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from refuge.evidence.chain import (
    ChainEntry,
    ChainProblem,
    Checkpoint,
    Digest,
    hmac_digest,
    verify_chain,
)
from refuge.web.audit.models import AuditChain, AuditEntry
from refuge.web.chains import next_entry, row_entry

CHAIN = "audit"
# Actions recorded (extend, never rename: filters and reports use them).
ACTIONS = (
    "login",
    "login_failed",
    "logout",
    "read_identifying",
    "export",
    "import",
    "role_change",
    "account_suspended",
    "key_operation",
    "record_change",
    "backup",
    "restore",
)


def _digest() -> Digest:
    from refuge.web.keys import get_keyring

    keyring = get_keyring()
    # The first key version: rotation must not orphan old entries (R078 if it is retired).
    return hmac_digest(keyring.subkey("audit-mac", min(keyring.versions)))


def audit_record(
    *, action: str, user: Any = None, actor: str = "", details: Mapping[str, Any] | None = None
) -> AuditEntry:
    """Append one entry; ``details`` must name records by public id, never hold their data."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    who = actor or (
        f"user:{user.username}"
        if user is not None and getattr(user, "is_authenticated", False)
        else "anonymous"
    )
    with transaction.atomic():
        AuditChain.objects.get_or_create(name=CHAIN)
        AuditChain.objects.select_for_update().filter(name=CHAIN).values_list("pk").first()
        head = AuditEntry.objects.order_by("-seq").first()
        fields = next_entry(
            head=head, action=action, actor=who[:200], payload=details, digest=_digest()
        )
        return AuditEntry.objects.create(**fields)


def _entries() -> Iterator[ChainEntry]:
    for row in AuditEntry.objects.order_by("seq").iterator():
        yield row_entry(row)


def audit_verify(checkpoint: Checkpoint | None = None) -> list[ChainProblem]:
    return verify_chain(_entries(), digest=_digest(), checkpoint=checkpoint)


def audit_checkpoint() -> Checkpoint:
    head = AuditEntry.objects.order_by("-seq").first()
    return Checkpoint.of(CHAIN, row_entry(head) if head else None, at=timezone.now())


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def audit_change(
    *, obj: Any, before: Mapping[str, Any] | None, user: Any = None, actor: str = ""
) -> AuditEntry | None:
    """Record a created or changed record: its non-identifying fields, before and after.

    Identifying fields are never copied into the log (their change is noted by name only),
    so the log itself never needs encrypting.
    """
    from refuge.web.disclosure.policy import identifying_fields

    secret = identifying_fields(obj) | {"uuid"}
    after = {
        f.attname: _plain(f.value_from_object(obj))
        for f in obj._meta.concrete_fields
        if f.name not in secret
    }
    if before is not None:
        changed = {k for k in after if before.get(k) != after[k]}
        if not changed:
            return None
        details: dict[str, Any] = {
            "before": {k: before.get(k) for k in sorted(changed)},
            "after": {k: after[k] for k in sorted(changed)},
        }
    else:
        details = {"created": after}
    label = getattr(obj, "public_id", None) or str(getattr(obj, "uuid", obj.pk))
    details["record"] = f"{obj._meta.label}:{label}"
    return audit_record(
        action="record_change",
        user=user,
        actor=actor or ("" if user is not None else "system"),
        details=details,
    )


def snapshot(obj: Any) -> dict[str, Any]:
    """The non-identifying fields of ``obj`` now, to pass as ``before`` to audit_change."""
    from refuge.web.disclosure.policy import identifying_fields

    secret = identifying_fields(obj) | {"uuid"}
    return {
        f.attname: _plain(f.value_from_object(obj))
        for f in obj._meta.concrete_fields
        if f.name not in secret
    }
