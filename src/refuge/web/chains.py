"""Stored hash chains (custody logs, the audit log) on top of refuge.evidence.chain.

One place for what every stored chain does the same way: turn a row into a ChainEntry, make
the next entry at a millisecond time (every database and Django's JSON keep milliseconds
exactly, and the hash covers the time's text), and give the row's fields for it. Callers
lock their chain and read its head inside one transaction, then call ``next_entry``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.utils import timezone

from refuge.evidence.chain import ChainEntry, Digest, make_entry, sha256_digest, utc_timestamp


def to_milliseconds(moment: datetime) -> datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def row_entry(row: Any) -> ChainEntry:
    """A stored row (seq, action, actor, at, payload, prev_hash, hash) as a ChainEntry."""
    return ChainEntry(
        seq=row.seq,
        action=row.action,
        actor=row.actor,
        at=utc_timestamp(row.at),
        payload=row.payload,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def next_entry(
    *,
    head: Any,
    action: str,
    actor: str,
    payload: Mapping[str, Any] | None,
    digest: Digest = sha256_digest,
) -> dict[str, Any]:
    """The fields of the row that follows ``head`` (None for the first), to create it with."""
    at = to_milliseconds(timezone.now())
    entry = make_entry(
        prev=row_entry(head) if head is not None else None,
        action=action,
        actor=actor,
        at=at,
        payload=dict(payload or {}),
        digest=digest,
    )
    return {
        "seq": entry.seq,
        "action": entry.action,
        "actor": entry.actor,
        "at": at,
        "payload": dict(entry.payload),
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }
