"""Disclosure levels: who may see a record. The policy (policy.py) interprets them."""

from __future__ import annotations

from django.db import models


class Level(models.TextChoices):
    TEAM = "team", "Team"
    ORGANISATION = "organisation", "Organisation"
    PARTNERS = "partners", "Partners"
    PUBLIC = "public", "Public"
