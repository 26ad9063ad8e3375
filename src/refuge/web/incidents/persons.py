"""Persons: bulk import (encrypted from the first write) and name search by blind index."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from refuge.crypto import blind_terms
from refuge.errors import AccessDenied
from refuge.people import COLUMNS, ImportReading, PersonRow, RowError
from refuge.web.disclosure import policy
from refuge.web.incidents.models import Person, PersonNameTerm
from refuge.web.incidents.services import person_create, person_reindex
from refuge.web.keys import get_keyring

# Every column of the import contract but the key that finds the person again.
IMPORTED_FIELDS = tuple(c for c in COLUMNS if c != "external_id")


@dataclass
class ImportSummary:
    imported: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    unknown_columns: tuple[str, ...] = ()


def _apply(person: Person, row: PersonRow) -> bool:
    changed = False
    for name in IMPORTED_FIELDS:
        value = getattr(row, name)
        if getattr(person, name) != value:
            setattr(person, name, value)
            changed = True
    return changed


def persons_import(*, reading: ImportReading, team: Any, user: Any = None) -> ImportSummary:
    """Store the rows of a person list; re-importing an external_id updates, never duplicates.

    Identifying columns are encrypted before they reach the database (the model's fields
    do it on save); the whole list is one transaction, so a failure leaves nothing half-done.
    """
    if user is not None and not policy.may_edit(user):
        raise AccessDenied("importing persons needs the editor role", code="R064")
    summary = ImportSummary(
        skipped=len(reading.errors),
        errors=list(reading.errors),
        unknown_columns=reading.unknown_columns,
    )
    with transaction.atomic():
        for row in reading.rows:
            existing = None
            if row.external_id:
                existing = Person.objects.filter(team=team, external_id=row.external_id).first()
            if existing is None:
                person_create(
                    team=team,
                    external_id=row.external_id,
                    disclosure=row.disclosure,
                    sex=row.sex,
                    name=row.name,
                    name_ko=row.name_ko,
                    name_zh=row.name_zh,
                    birth_year=row.birth_year,
                    hometown=row.hometown,
                    notes=row.notes,
                )
                summary.imported += 1
            elif _apply(existing, row):
                existing.full_clean()
                existing.save()
                person_reindex(person=existing)
                summary.updated += 1
        from refuge.web.audit.services import audit_record

        # The whole import is one audited action; counts only, never the rows' contents.
        audit_record(
            action="import",
            user=user,
            actor="" if user else "cli",
            details={
                "what": "persons",
                "imported": summary.imported,
                "updated": summary.updated,
                "skipped": summary.skipped,
            },
        )
    return summary


@dataclass(frozen=True)
class Candidate:
    public_id: str
    name: str
    name_ko: str
    birth_year: int | None


def persons_search(*, user: Any, query: str) -> list[Candidate]:
    """Persons whose name may match ``query`` in any spelling, decrypted for an editor.

    The blind index gives candidates (its terms are deliberately shared by many names);
    they are decrypted here, for users entitled to identifying fields only.
    """
    if not policy.may_read_identifying(user):
        raise AccessDenied("searching persons by name needs the editor role", code="R065")
    terms = blind_terms(get_keyring(), query, all_versions=True)
    if not terms:
        return []
    ids = PersonNameTerm.objects.filter(term__in=terms).values_list("person_id", flat=True)
    people = policy.visible(user, Person.objects.filter(pk__in=ids).order_by("public_id"))
    candidates = []
    for person in people[:200]:
        fields = policy.redact(user, person)  # the policy releases (and audits) the names
        candidates.append(
            Candidate(
                person.public_id,
                fields.get("name", ""),
                fields.get("name_ko", ""),
                fields.get("birth_year"),
            )
        )
    return candidates
