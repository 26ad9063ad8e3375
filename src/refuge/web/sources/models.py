"""Sources: documents as received, preserved unchanged (see refuge.evidence)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from refuge.web.disclosure.levels import Level


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


class Source(models.Model):
    """One document as received, with the text derived from it and its capture metadata."""

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
    # web archive is its own source, sharing the archive as original.
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.BigIntegerField(default=0)
    mime = models.CharField(max_length=128, blank=True)
    original_filename = models.CharField(max_length=512, blank=True)
    text = models.TextField(blank=True)
    text_sha256 = models.CharField(max_length=64, blank=True)
    title = models.CharField(max_length=500, blank=True)
    outlet = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    author = models.CharField(max_length=300, blank=True)
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
    capture_tool = models.CharField(max_length=100, blank=True)
    reliability = models.CharField(max_length=1, choices=Reliability.choices, blank=True)
    credibility = models.PositiveSmallIntegerField(
        choices=Credibility.choices, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published", "-captured_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(credibility__isnull=True)
                | models.Q(credibility__gte=1, credibility__lte=6),
                name="source_credibility_1_to_6",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.original_filename or str(self.uuid)
