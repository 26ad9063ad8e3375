"""The disclosure policy: the one place that decides who may see which record and field.

Views, the API, search, exports and CLI commands ask these functions and nothing else:

* ``can_view(user, obj)``: may this user see this record at all?
* ``visible(user, queryset)``: the records of a queryset this user may see (deny by default).
* ``redact(user, obj)``: the record as a dict holding only the fields this user may see.

It implements exactly the role x level x field-class table of docs/access.md (a test reads
that table and checks every cell). Each condition sits on its own line so that coverage shows
every case is tested.
"""

from __future__ import annotations

from typing import Any, Literal, TypeVar

from django.db import models
from django.db.models import Q

from refuge.web.accounts.models import Role
from refuge.web.disclosure.levels import Level

M = TypeVar("M", bound=models.Model)
Access = Literal["yes", "no", "own team"]

# (role, level) -> (record, identifying): the table of docs/access.md, cell for cell.
TABLE: dict[tuple[str, str], tuple[Access, Access]] = {
    ("admin", "team"): ("yes", "yes"),
    ("admin", "organisation"): ("yes", "yes"),
    ("admin", "partners"): ("yes", "yes"),
    ("admin", "public"): ("yes", "yes"),
    ("editor", "team"): ("own team", "own team"),
    ("editor", "organisation"): ("yes", "yes"),
    ("editor", "partners"): ("yes", "yes"),
    ("editor", "public"): ("yes", "yes"),
    ("analyst", "team"): ("no", "no"),
    ("analyst", "organisation"): ("yes", "no"),
    ("analyst", "partners"): ("yes", "no"),
    ("analyst", "public"): ("yes", "no"),
    ("partner", "team"): ("no", "no"),
    ("partner", "organisation"): ("no", "no"),
    ("partner", "partners"): ("yes", "no"),
    ("partner", "public"): ("yes", "no"),
}
STAFF_ROLES = frozenset({Role.ADMIN, Role.EDITOR, Role.ANALYST})
WRITERS = frozenset({Role.ADMIN, Role.EDITOR})


def role_of(user: Any) -> str:
    """The role the table knows this user by; "anonymous" for anyone who sees nothing."""
    if user is None:
        return "anonymous"
    if not getattr(user, "is_authenticated", False):
        return "anonymous"
    if not getattr(user, "is_active", False):
        return "anonymous"
    if getattr(user, "is_superuser", False):
        return str(Role.ADMIN)
    role = getattr(user, "role", "") or ""
    if role not in {r.value for r in Role}:
        return "anonymous"
    return str(role)


def _allowed(cell: Access, user: Any, obj: models.Model) -> bool:
    if cell == "yes":
        return True
    if cell == "no":
        return False
    team_id = getattr(user, "team_id", None)
    return team_id is not None and team_id == getattr(obj, "team_id", None)


def _cell(user: Any, obj: models.Model) -> tuple[Access, Access]:
    level = getattr(obj, "disclosure", None)
    return TABLE.get((role_of(user), str(level)), ("no", "no"))


def _embargo_hides(user: Any, obj: models.Model) -> bool:
    """An active embargo hides its incident or person from partners, whatever the level.

    Below the table of docs/access.md, not in it: staff still see embargoed records (they
    are the ones who keep them back), and nothing embargoed is ever published.
    """
    if role_of(user) != Role.PARTNER:
        return False
    from refuge.web.disclosure.embargoes import is_embargoed

    return is_embargoed(obj)


def can_view(user: Any, obj: models.Model | None) -> bool:
    """May ``user`` see ``obj`` at all? Deny unless the table allows."""
    if obj is None:
        return False
    if _embargo_hides(user, obj):
        return False
    return _allowed(_cell(user, obj)[0], user, obj)


def may_read_identifying_of(user: Any, obj: models.Model) -> bool:
    """May ``user`` see the identifying fields of this record?"""
    if not can_view(user, obj):
        return False
    return _allowed(_cell(user, obj)[1], user, obj)


def visible(user: Any, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
    """The part of ``queryset`` that ``user`` may see; empty unless the table allows."""
    role = role_of(user)
    model = queryset.model
    if not any(f.name == "disclosure" for f in model._meta.concrete_fields):
        return queryset if role in STAFF_ROLES else queryset.none()
    condition = Q(pk__in=[])
    for level in Level.values:
        record, _identifying = TABLE.get((role, level), ("no", "no"))
        if record == "yes":
            condition |= Q(disclosure=level)
        elif record == "own team" and getattr(user, "team_id", None) is not None:
            condition |= Q(disclosure=level, team_id=user.team_id)
    if role == Role.PARTNER:
        from refuge.web.disclosure.embargoes import without_embargoed

        return without_embargoed(queryset.filter(condition))
    return queryset.filter(condition)


def is_staff_reader(user: Any) -> bool:
    """Signed-in staff (admin, editor, analyst): may use the internal screens."""
    return role_of(user) in STAFF_ROLES


def may_read_identifying(user: Any) -> bool:
    """Whether the user's role can ever see identifying fields (editors and admins)."""
    return role_of(user) in WRITERS


def may_edit(user: Any) -> bool:
    """Writes to records (ingest, grading, review, import): editors and admins."""
    return role_of(user) in WRITERS


def may_export_evidence(user: Any) -> bool:
    """Handing evidence out (a bundle with the original) is an editor's act, recorded."""
    return role_of(user) in WRITERS


def identifying_fields(obj: models.Model) -> frozenset[str]:
    """The fields of ``obj`` in the identifying class (see docs/access.md)."""
    fields = set(getattr(obj, "IDENTIFYING_FIELDS", ()))
    if getattr(obj, "content_class", None) == "confidential":
        fields |= set(getattr(obj, "CONFIDENTIAL_FIELDS", ("text",)))
    return frozenset(fields)


def redact(user: Any, obj: models.Model) -> dict[str, Any]:
    """The fields of ``obj`` that ``user`` may see, as a dict; {} if the record is hidden.

    Identifying fields a user may not read are left out entirely (not blanked), so that a
    template or serializer cannot show them by accident; those released are decrypted here
    and the release is audited.
    """
    if not can_view(user, obj):
        return {}
    identifying = identifying_fields(obj)
    hidden = set() if may_read_identifying_of(user, obj) else set(identifying)
    released = identifying - hidden
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
    "TABLE",
    "can_view",
    "identifying_fields",
    "is_staff_reader",
    "may_edit",
    "may_export_evidence",
    "may_read_identifying",
    "may_read_identifying_of",
    "redact",
    "role_of",
    "visible",
]
