"""Decisions reviewers take about records, kept beside the records they change.

A ``FigureDecision`` is a reviewer's choice of one source's figure as a victim group's best
figure, instead of the default (the lowest figure from a credible source, refuge.figures),
with the reason. Rows are only ever added (refuge.web.review.figure_services): the latest one
for a group and figure is the one in force, the earlier ones are its history.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class FigureDecision(models.Model):
    """Who chose which source's figure as a group's best figure, when, and why."""

    class Figure(models.TextChoices):
        # The figures of a victim group (incidents.VictimFigureClaim.Figure).
        TOTAL = "total", "Total"
        ADULTS = "adults", "Adults"
        MINORS = "minors", "Minors"
        WOMEN = "women", "Women"
        MEN = "men", "Men"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    victim_group = models.ForeignKey(
        "incidents.VictimGroup", on_delete=models.CASCADE, related_name="figure_decisions"
    )
    figure = models.CharField(max_length=8, choices=Figure.choices, default=Figure.TOTAL)
    # The source's claim whose figure was chosen: the provenance of the new best figure.
    claim = models.ForeignKey(
        "incidents.Claim", on_delete=models.PROTECT, related_name="figure_decisions"
    )
    value = models.PositiveIntegerField()
    previous = models.PositiveIntegerField(null=True, blank=True)
    # Shown to everyone who sees the incident and copied into the audit log: the form asks
    # reviewers to give reasons without naming people.
    reason = models.TextField(max_length=2000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="figure_decision_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.figure} of group {self.victim_group_id} = {self.value}"


__all__ = ["FigureDecision"]
