"""The search page: results through the policy, snippets escaped, errors as form errors."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from refuge.web.sources.ingest import CaptureMetadata, ingest_bytes

pytestmark = pytest.mark.django_db


def _ingest(team: Any, text: str, level: str) -> None:
    ingest_bytes(text.encode(), name="r.txt", meta=CaptureMetadata(team=team, disclosure=level))


def test_a_korean_word_finds_its_source_with_a_marked_snippet(
    client: Client, team: Any, bob: Any
) -> None:
    _ingest(
        team,
        "탈북민 7명이 지난달 단둥에서 체포돼 강제북송 위기에 놓였다 <b>x</b>.\n",
        "organisation",
    )
    client.force_login(bob)
    page = client.get(reverse("search"), {"q": "북송"}).content.decode()
    assert "1 result" in page
    assert "<mark>북송</mark>" in page
    assert "<b>x</b>" not in page  # the source's text is escaped


def test_hidden_records_are_neither_listed_nor_counted(client: Client, team: Any, bob: Any) -> None:
    _ingest(team, "Zqxhidden arrests in Tumen were reported.\n", "team")
    client.force_login(bob)
    page = client.get(reverse("search"), {"q": "zqxhidden"}).content.decode()
    assert "0 results" in page
    assert "Tumen" not in page


def test_a_malformed_request_is_a_form_error(client: Client, bob: Any) -> None:
    client.force_login(bob)
    response = client.get(reverse("search"), {"q": "x", "date_from": "yesterday"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
