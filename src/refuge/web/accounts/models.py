"""Users, roles and teams.

A role says what kind of work a person does; the disclosure policy alone turns a role into
access (see refuge.web.disclosure.policy). Nothing else should compare roles.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Administrator"
    EDITOR = "editor", "Editor"
    ANALYST = "analyst", "Analyst"
    PARTNER = "partner", "Partner"


class Team(models.Model):
    """The unit of an organisation that owns records (documentation team, legal team)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person signing in. A new user has no role, and so sees nothing."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    role = models.CharField(max_length=16, choices=Role.choices, blank=True, default="")
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )

    def __str__(self) -> str:
        return self.username
