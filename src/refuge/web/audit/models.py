"""Audit entries: append-only, chained with a keyed MAC (refuge.evidence.chain + audit key).

Someone with database access alone cannot rewrite the chain: each entry's hash is an HMAC
under a key derived from the master key, which lives outside the database. Entries name
records by their public ids and never carry identifying values.
"""

from __future__ import annotations

from django.db import models


class AuditChain(models.Model):
    """One row whose lock serialises appends (SELECT ... FOR UPDATE on PostgreSQL)."""

    name = models.CharField(max_length=32, unique=True)

    def __str__(self) -> str:
        return self.name


class AuditEntry(models.Model):
    seq = models.PositiveBigIntegerField(unique=True)
    action = models.CharField(max_length=48, db_index=True)
    actor = models.CharField(max_length=200, db_index=True)
    at = models.DateTimeField(db_index=True)
    payload = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-seq"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} by {self.actor}"
