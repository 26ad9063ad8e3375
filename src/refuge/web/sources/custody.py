"""Chains of custody of sources: append (serialised) and verify, on refuge.evidence.chain."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from refuge.evidence.chain import (
    ChainEntry,
    ChainProblem,
    Checkpoint,
    verify_chain,
)
from refuge.web.chains import next_entry, row_entry
from refuge.web.sources.models import CustodyEntry, Source


def chain_name(source: Source) -> str:
    return f"source:{source.uuid}"


def custody_append(
    *, source: Source, action: str, actor: str, payload: Mapping[str, Any] | None = None
) -> CustodyEntry:
    """Append one entry to ``source``'s chain.

    Appends are serialised: the source row is locked (SELECT ... FOR UPDATE on PostgreSQL;
    on SQLite the IMMEDIATE transaction already holds the database's write lock) before the
    head is read, so two writers cannot both extend the same head and fork the chain.
    """
    with transaction.atomic():
        Source.objects.select_for_update().filter(pk=source.pk).values_list("pk").first()
        head = CustodyEntry.objects.filter(source=source).order_by("-seq").first()
        fields = next_entry(head=head, action=action, actor=actor, payload=payload)
        return CustodyEntry.objects.create(source=source, **fields)


def custody_entries(source: Source) -> Iterator[ChainEntry]:
    for row in CustodyEntry.objects.filter(source=source).order_by("seq").iterator():
        yield row_entry(row)


def custody_checkpoint(source: Source) -> Checkpoint:
    head = CustodyEntry.objects.filter(source=source).order_by("-seq").first()
    return Checkpoint.of(chain_name(source), row_entry(head) if head else None, at=timezone.now())


@dataclass(frozen=True)
class CustodyProblem:
    chain: str
    problem: ChainProblem


def custody_verify(source: Source, checkpoint: Checkpoint | None = None) -> list[ChainProblem]:
    return verify_chain(custody_entries(source), checkpoint=checkpoint)
