from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client

from refuge.web.incidents.models import Person
from refuge.web.sources.models import Source

pytestmark = pytest.mark.django_db


def test_the_admin_is_for_superusers_only(client: Client, alice: Any, root: Any) -> None:
    alice.is_staff = True  # even a staff flag set by mistake does not open it
    alice.save()
    client.force_login(alice)
    assert client.get("/admin/").status_code == 302
    client.force_login(root)
    assert client.get("/admin/").status_code == 200


def test_no_model_with_identifying_fields_is_registered() -> None:
    registered = set(admin.site._registry)
    assert Person not in registered
    assert Source not in registered  # testimony text lives on sources
    for model in registered:
        assert not getattr(model, "IDENTIFYING_FIELDS", ()), model


def test_the_admin_shows_reference_data_but_no_person(
    make_incident: Callable[..., Any], client: Client, root: Any
) -> None:
    make_incident(person={"name": "Canary Kim-Sample", "notes": "canary testimony"})
    client.force_login(root)
    index = client.get("/admin/").content.decode()
    assert "Places" in index and "Actors" in index and "Teams" in index
    assert "Persons" not in index
    assert client.get("/admin/incidents/person/").status_code == 404
    assert "Canary" not in client.get("/admin/incidents/place/").content.decode()
