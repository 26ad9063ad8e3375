"""Chains of custody of sources: append (serialised) and verify, on refuge.evidence.chain."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from refuge.evidence.chain import (
    ChainEntry,
    ChainProblem,
    Checkpoint,
    make_entry,
    utc_timestamp,
    verify_chain,
)
from refuge.web.sources.models import CustodyEntry, Source


def to_milliseconds(moment: datetime) -> datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def chain_name(source: Source) -> str:
    return f"source:{source.uuid}"


def _as_chain_entry(row: CustodyEntry) -> ChainEntry:
    return ChainEntry(
        seq=row.seq,
        action=row.action,
        actor=row.actor,
        at=utc_timestamp(row.at),
        payload=row.payload,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


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
        # Milliseconds: every database and Django's JSON (backups) keep them exactly, and the
        # hash is computed over the stored time's text.
        at = to_milliseconds(timezone.now())
        entry = make_entry(
            prev=_as_chain_entry(head) if head else None,
            action=action,
            actor=actor,
            at=at,
            payload=dict(payload or {}),
        )
        return CustodyEntry.objects.create(
            source=source,
            seq=entry.seq,
            action=entry.action,
            actor=entry.actor,
            at=at,
            payload=dict(entry.payload),
            prev_hash=entry.prev_hash,
            hash=entry.hash,
        )


def custody_entries(source: Source) -> Iterator[ChainEntry]:
    for row in CustodyEntry.objects.filter(source=source).order_by("seq").iterator():
        yield _as_chain_entry(row)


def custody_checkpoint(source: Source) -> Checkpoint:
    head = CustodyEntry.objects.filter(source=source).order_by("-seq").first()
    return Checkpoint.of(
        chain_name(source), _as_chain_entry(head) if head else None, at=timezone.now()
    )


@dataclass(frozen=True)
class CustodyProblem:
    chain: str
    problem: ChainProblem


def custody_verify(source: Source, checkpoint: Checkpoint | None = None) -> list[ChainProblem]:
    return verify_chain(custody_entries(source), checkpoint=checkpoint)
