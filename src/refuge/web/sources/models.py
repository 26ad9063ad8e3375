"""Sources: documents as received, preserved unchanged (see refuge.evidence)."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models

from refuge.web.disclosure.levels import Level
from refuge.web.encrypted import EncryptedQuerySet, EncryptedTextField


class ContentClass(models.TextChoices):
    # Published material stays searchable; confidential text (testimony, interview notes)
    # is encrypted at rest once the confidentiality work lands.
    PUBLISHED = "published", "Published material"
    CONFIDENTIAL = "confidential", "Confidential (testimony, notes)"


class Reliability(models.TextChoices):
    """Admiralty scale, source reliability."""

    A = "A", "A: completely reliable"
    B = "B", "B: usually reliable"
    C = "C", "C: fairly reliable"
    D = "D", "D: not usually reliable"
    E = "E", "E: unreliable"
    F = "F", "F: reliability cannot be judged"


class Credibility(models.IntegerChoices):
    """Admiralty scale, information credibility."""

    CONFIRMED = 1, "1: confirmed by other sources"
    PROBABLE = 2, "2: probably true"
    POSSIBLE = 3, "3: possibly true"
    DOUBTFUL = 4, "4: doubtful"
    IMPROBABLE = 5, "5: improbable"
    UNKNOWN = 6, "6: truth cannot be judged"


def is_confidential(source: Any) -> bool:
    return bool(source.content_class == ContentClass.CONFIDENTIAL)


class Source(models.Model):
    """One document as received, with the text derived from it and its capture metadata.

    For a confidential source (testimony, interview notes) everything that could identify
    the person or the source is encrypted at rest (text, title, author, URL, file name, who
    collected it), and ``sha256``/``text_sha256`` hold keyed hashes instead of plain ones,
    so a copy of the database cannot confirm that it holds a document someone already has;
    the plain SHA-256 of the original is kept encrypted in ``original_sha256``. Published
    material stays plaintext so that it can be searched.
    """

    CONFIDENTIAL_FIELDS = (
        "text",
        "title",
        "author",
        "url",
        "original_filename",
        "captured_by_name",
        "original_sha256",
    )

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="sources"
    )
    disclosure = models.CharField(max_length=16, choices=Level.choices, default=Level.TEAM)
    content_class = models.CharField(
        max_length=16, choices=ContentClass.choices, default=ContentClass.PUBLISHED
    )
    kind = models.CharField(max_length=16, default="text")
    # The original's SHA-256: its name in the evidence store. Not unique: every page of one
    # web archive is its own source, sharing the archive as original; the pair of hash and
    # archive record is unique, which is what makes ingesting the same bytes idempotent.
    sha256 = models.CharField(max_length=64, db_index=True)
    archive_record_id = models.CharField(max_length=200, blank=True)
    original_sha256 = EncryptedTextField(encrypt_if=is_confidential)
    # True when the original is in the sealed (encrypted) store.
    sealed = models.BooleanField(default=False)
    size = models.BigIntegerField(default=0)
    mime = models.CharField(max_length=128, blank=True)
    original_filename = EncryptedTextField(encrypt_if=is_confidential)
    text = EncryptedTextField(encrypt_if=is_confidential)
    text_sha256 = models.CharField(max_length=64, blank=True)
    title = EncryptedTextField(encrypt_if=is_confidential)
    outlet = models.CharField(max_length=200, blank=True)
    url = EncryptedTextField(encrypt_if=is_confidential)
    author = EncryptedTextField(encrypt_if=is_confidential)
    published = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=8, blank=True)
    captured_at = models.DateTimeField()
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Who captured it when that is not an account (a field researcher named by --captured-by).
    captured_by_name = EncryptedTextField(encrypt_if=is_confidential)
    capture_tool = models.CharField(max_length=100, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    reliability = models.CharField(max_length=1, choices=Reliability.choices, blank=True)
    credibility = models.PositiveSmallIntegerField(
        choices=Credibility.choices, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EncryptedQuerySet.as_manager()

    class Meta:
        ordering = ["-published", "-captured_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["sha256", "archive_record_id"], name="source_original_once"
            ),
            models.CheckConstraint(
                condition=models.Q(credibility__isnull=True)
                | models.Q(credibility__gte=1, credibility__lte=6),
                name="source_credibility_1_to_6",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.original_filename or str(self.uuid)


class CustodyEntry(models.Model):
    """One link of a source's chain of custody (refuge.evidence.chain); append-only.

    Appends go through ``sources.services.custody_append`` only, which serialises them per
    source so that two writers cannot fork a chain; (source, seq) is unique besides.
    """

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="custody")
    seq = models.PositiveIntegerField()
    action = models.CharField(max_length=32)
    actor = models.CharField(max_length=200)
    at = models.DateTimeField()
    payload = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["source_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["source", "seq"], name="custody_seq_once"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id}#{self.seq} {self.action}"
