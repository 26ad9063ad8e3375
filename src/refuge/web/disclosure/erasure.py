"""Erasing a person's identifying data on request, unless a legal hold keeps it as evidence.

What goes: the encrypted identifying fields in the request's scope (names, birth data, home
town, family, contact, notes), the person's blind-index terms when names go, the importing
organisation's external id, and, for the whole scope, the encrypted free text of the
person's consents. What stays: the person's pseudonymous public id, sex, their links to
incidents, and every non-identifying fact of those incidents (counts, dates, places), so
the documentation of what happened survives. The request itself is always recorded, with
its outcome, and audited without its contents. The stores are rebuilt after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from refuge.web.audit.services import audit_change, audit_record
from refuge.web.disclosure import policy
from refuge.web.disclosure.errors import PublishingDenied, PublishingError
from refuge.web.disclosure.models import Consent, ErasureRequest, ErasureScope
from refuge.web.disclosure.services import active_holds_on, schedule_publish
from refuge.web.incidents.models import Person, PersonNameTerm

NAME_FIELDS = ("name", "name_ko", "name_zh")
CONTACT_FIELDS = ("hometown", "family", "contact")
SCOPE_FIELDS: dict[str, tuple[str, ...]] = {
    ErasureScope.ALL: Person.IDENTIFYING_FIELDS,
    ErasureScope.NAMES: NAME_FIELDS,
    ErasureScope.CONTACT: CONTACT_FIELDS,
}


@dataclass(frozen=True)
class ErasureAsk:
    """A request as received: who asked (a description, encrypted), when, for what scope."""

    requested_by: str
    requested_at: date
    scope: str = ErasureScope.ALL
    note: str = ""


def erase_person(
    *, person: Person, request: ErasureAsk, by: Any, now: datetime | None = None
) -> ErasureRequest:
    """Erase ``person``'s identifying data in the request's scope; the request is recorded.

    Under an active legal hold (on the person or on an incident they are part of) nothing
    is erased and the request is recorded as refused: the caller shows that outcome.
    """
    now = now or timezone.now()
    if not policy.may_read_identifying(by):
        raise PublishingDenied(
            "erasing a person's data needs the editor or admin role", code="R141"
        )
    if not policy.may_read_identifying_of(by, person):
        raise PublishingError("no such person", code="R145")
    if request.scope not in SCOPE_FIELDS:
        raise PublishingError(
            f"unknown erasure scope {request.scope!r}; use one of " + ", ".join(SCOPE_FIELDS),
            code="R148",
        )
    if not request.requested_by.strip():
        raise PublishingError("say who asked for the erasure", code="R148")
    with transaction.atomic():
        held = active_holds_on(person).exists()
        fields = () if held else SCOPE_FIELDS[request.scope]
        record = ErasureRequest(
            person=person,
            person_public_id=person.public_id,
            requested_by=request.requested_by.strip(),
            requested_at=request.requested_at,
            scope=request.scope,
            note=request.note.strip(),
            outcome=(
                ErasureRequest.Outcome.REFUSED_LEGAL_HOLD if held else ErasureRequest.Outcome.ERASED
            ),
            fields_erased=list(fields),
            handled_by=by,
            handled_at=now,
        )
        record.full_clean()
        record.save()
        audit_change(obj=record, before=None, user=by)
        if not held:
            _erase(person, fields, whole=request.scope == ErasureScope.ALL, by=by)
    if not held:
        schedule_publish(now)
    return record


def _erase(person: Person, fields: tuple[str, ...], *, whole: bool, by: Any) -> None:
    for name in fields:
        setattr(person, name, None if name == "birth_year" else "")
    update = list(fields)
    if whole:
        person.external_id = ""  # the importer's id leads back to a row of their list
        update.append("external_id")
    person.save(update_fields=update)
    if set(fields) & set(NAME_FIELDS):
        # The index is rebuilt from what names remain (none, for a full erasure).
        from refuge.web.incidents.services import person_reindex

        person_reindex(person=person)
        if whole:
            PersonNameTerm.objects.filter(person=person).delete()
    if whole:
        for consent in Consent.objects.filter(person=person):
            consent.given_by = ""
            consent.note = ""
            consent.save(update_fields=["given_by", "note"])
    audit_record(
        action="record_change",
        user=by,
        details={
            "record": f"incidents.Person:{person.public_id}",
            "erased": sorted(update),  # field names only, never their values
        },
    )


__all__ = ["ErasureAsk", "erase_person"]
