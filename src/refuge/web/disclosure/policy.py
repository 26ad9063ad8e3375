"""The disclosure policy: the one place that decides who may see which record and field.

Views, the API, search, exports and CLI commands ask these three functions and nothing else:

* ``can_view(user, obj)``: may this user see this record at all?
* ``visible(user, queryset)``: the records of a queryset this user may see (deny by default).
* ``redact(user, obj)``: the record as a dict holding only the fields this user may see.

Foundation rules (the confidentiality work refines them by level and team, see
docs/access.md): anonymous visitors, partners and accounts without a role see no record;
signed-in staff (admin, editor, analyst) see records; identifying fields of persons and
the text of confidential sources are for editors and admins only. Each condition sits on its
own line so that coverage shows every case is tested.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models

from refuge.web.accounts.models import Role

M = TypeVar("M", bound=models.Model)

STAFF_ROLES = frozenset({Role.ADMIN, Role.EDITOR, Role.ANALYST})
IDENTIFYING_READERS = frozenset({Role.ADMIN, Role.EDITOR})


def _role(user: Any) -> str | None:
    if user is None:
        return None
    if not getattr(user, "is_authenticated", False):
        return None
    if not getattr(user, "is_active", False):
        return None
    if getattr(user, "is_superuser", False):
        return str(Role.ADMIN)
    return getattr(user, "role", None) or None


def is_staff_reader(user: Any) -> bool:
    """Signed-in staff with a role that reads records."""
    return _role(user) in STAFF_ROLES


def can_view(user: Any, obj: models.Model) -> bool:
    """May ``user`` see ``obj`` at all? Deny unless a rule allows."""
    if obj is None:
        return False
    if not is_staff_reader(user):  # noqa: SIM103 (one line per rule, for coverage)
        return False
    return True


def visible(user: Any, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
    """The part of ``queryset`` that ``user`` may see; empty unless a rule allows."""
    if not is_staff_reader(user):
        return queryset.none()
    return queryset


def may_read_identifying(user: Any) -> bool:
    """Identifying fields (names, birth year, hometown, notes, testimony): editors, admins."""
    return _role(user) in IDENTIFYING_READERS


def may_edit(user: Any) -> bool:
    """Writes to records (ingest, grading, review): editors and admins."""
    return _role(user) in IDENTIFYING_READERS


def may_export_evidence(user: Any) -> bool:
    """Handing evidence out (a bundle with the original) is an editor's act, recorded."""
    return _role(user) in IDENTIFYING_READERS


def redact(user: Any, obj: models.Model) -> dict[str, Any]:
    """The fields of ``obj`` that ``user`` may see, as a dict; {} if the record is hidden.

    Identifying fields a user may not read are left out entirely (not blanked), so that a
    template or serializer cannot show them by accident.
    """
    if not can_view(user, obj):
        return {}
    hidden: set[str] = set()
    identifying = set(getattr(obj, "IDENTIFYING_FIELDS", ()))
    if identifying and not may_read_identifying(user):
        hidden |= identifying
    if getattr(obj, "content_class", None) == "confidential" and not may_read_identifying(user):
        hidden |= set(getattr(obj, "CONFIDENTIAL_FIELDS", ("text",)))
    released = set(identifying) - hidden
    if getattr(obj, "content_class", None) == "confidential":
        released |= {"text"} - hidden
    if released:
        from refuge.web.audit.reads import note_read

        note_read(obj)  # every release of identifying data is audited (one entry a request)
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in hidden:
            continue
        # The attribute, not value_from_object: encrypted fields decrypt only here, for a
        # user this function has just found entitled to them.
        data[field.name] = getattr(obj, field.attname)
    return data


__all__ = [
    "can_view",
    "is_staff_reader",
    "may_edit",
    "may_export_evidence",
    "may_read_identifying",
    "redact",
    "visible",
]
