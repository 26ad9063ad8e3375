"""Public pages and downloads: the publication store only, open to everyone.

The store is built with the publication store's own ``build_store`` from generalised
records made here (``published_incident``, tests/web/conftest.py), the way ``refuge
publish`` builds it from released records.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from django.db import connections
from django.test import Client

from refuge.publish.records import PublishedCount, PublishedTable
from refuge.web.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


class DatabaseTouched(AssertionError):
    pass


@contextmanager
def main_database_blocked(allow: Callable[[str], bool] = lambda sql: False) -> Iterator[list[str]]:
    """Every query on every Django connection raises unless ``allow(sql)``; yields them."""
    seen: list[str] = []

    def blocker(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append(sql)
        if not allow(sql):
            raise DatabaseTouched(f"the public side queried the main database: {sql[:200]}")
        return execute(sql, params, many, context)

    wrappers = [c.execute_wrapper(blocker) for c in connections.all()]
    for w in wrappers:
        w.__enter__()
    try:
        yield seen
    finally:
        for w in reversed(wrappers):
            w.__exit__(None, None, None)


def _audit_only(sql: str) -> bool:
    """The audit log's tables, and the savepoints of the audit service's transaction."""
    statement = sql.lstrip().upper()
    return "audit_" in sql or statement.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK"))


def _table() -> PublishedTable:
    return PublishedTable(
        name="by_province",
        dimensions=("province",),
        rows=((("Jilin",), 24), (("Liaoning",), None), (("Yanbian",), None)),
        threshold=5,
    )


@pytest.fixture
def world(public_store: Any, published_incident: Any) -> dict[str, Any]:
    incidents = [
        published_incident("I-PUBLIC01"),
        published_incident(
            "I-PUBLIC02",
            event_types=("detention",),
            minors=PublishedCount.of(0),
            date_start=date(2023, 1, 1),
            date_end=date(2023, 12, 31),
            date_precision="year",
        ),
    ]
    public_store(incidents, [])
    return {"incidents": incidents}


def test_the_list_shows_every_published_incident_to_anyone(
    client: Client, world: dict[str, Any]
) -> None:
    response = client.get("/public/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "I-PUBLIC01" in page and "I-PUBLIC02" in page
    assert "2 incidents" in page
    assert 'href="#main"' in page and '<main id="main"' in page  # public base, skip link
    assert "Sign out" not in page


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"event_type": "detention"}, "I-PUBLIC02", "I-PUBLIC01"),
        ({"year": "2024"}, "I-PUBLIC01", "I-PUBLIC02"),
        ({"minors": "yes"}, "I-PUBLIC01", "I-PUBLIC02"),
        ({"minors": "no"}, "I-PUBLIC02", "I-PUBLIC01"),
    ],
)
def test_the_list_filters(
    client: Client, world: dict[str, Any], query: dict[str, str], shown: str, hidden: str
) -> None:
    page = client.get("/public/", query).content.decode()
    assert shown in page and hidden not in page


def test_the_list_filters_by_country_and_province(client: Client, world: dict[str, Any]) -> None:
    assert "I-PUBLIC01" in client.get("/public/", {"country": "cn"}).content.decode()
    assert (
        "No published incidents match" in client.get("/public/", {"country": "KP"}).content.decode()
    )
    assert "I-PUBLIC02" in client.get("/public/", {"province": "jilin"}).content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"country": "China"},
        {"year": "soon"},
        {"event_type": "party"},
        {"page": "0"},
        {"province": "a\x01b"},
    ],
)
def test_a_bad_filter_is_a_form_error_not_a_crash(
    client: Client, world: dict[str, Any], query: dict[str, str]
) -> None:
    response = client.get("/public/", query)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page and "R165" in page


def test_the_list_is_paged(client: Client, public_store: Any, published_incident: Any) -> None:
    public_store([published_incident(f"I-P{n:07d}") for n in range(45)], [])
    first = client.get("/public/").content.decode()
    assert "Page 1 of 3" in first and 'rel="next"' in first
    third = client.get("/public/", {"page": "3", "event_type": "arrest"}).content.decode()
    assert "Page 3 of 3" in third and third.count('href="/public/incidents/') == 5
    assert "event_type=arrest&amp;page=2" in third  # the pager keeps the filters
    beyond = client.get("/public/", {"page": "99"}).content.decode()
    assert "Page 3 of 3" in beyond


def test_an_incident_page_shows_the_published_record_only(
    client: Client, world: dict[str, Any]
) -> None:
    page = client.get("/public/incidents/I-PUBLIC01/").content.decode()
    assert "Arrests in Jilin (I-PUBLIC01)" in page
    assert "A public summary written at release." in page
    assert "1–4" in page  # the small count as its range
    assert "2024-04" in page


def test_a_record_not_in_the_store_is_not_served(
    client: Client, world: dict[str, Any], make_incident: Any
) -> None:
    internal = make_incident("Public level but never released", disclosure="public")
    assert client.get(f"/public/incidents/{internal.public_id}/").status_code == 404
    assert internal.public_id not in client.get("/public/").content.decode()
    assert client.get("/api/public/incidents/" + internal.public_id).status_code == 404


def test_the_tables_page_marks_suppressed_cells(client: Client, public_store: Any) -> None:
    public_store([], [_table()])
    page = client.get("/public/tables/").content.decode()
    assert "Jilin" in page and "24" in page
    assert page.count("suppressed</span>") == 2


def test_before_the_first_publish_the_pages_are_empty_not_broken(
    client: Client, public_store: Any
) -> None:
    assert client.get("/public/").status_code == 200
    assert client.get("/public/tables/").status_code == 200
    assert client.get("/public/incidents/I-PUBLIC01/").status_code == 404


def test_an_unreadable_store_answers_503_without_its_path(
    client: Client, public_store: Any, settings: Any
) -> None:
    path = public_store([], [])
    path.write_bytes(b"not a database at all" * 100)
    response = client.get("/public/")
    assert response.status_code == 503
    assert str(path) not in response.content.decode() and "R167" in response.content.decode()


def test_the_public_pages_never_query_the_main_database(
    client: Client, world: dict[str, Any]
) -> None:
    client.get("/public/")  # warm-up: static files, translations
    with main_database_blocked() as seen:
        for url in (
            "/public/",
            "/public/?event_type=arrest&year=2024&country=CN&minors=yes&page=1",
            "/public/incidents/I-PUBLIC01/",
            "/public/incidents/I-MISSING0/",
            "/public/tables/",
            "/api/public/incidents?limit=5",
            "/api/public/incidents/I-PUBLIC01",
            "/api/public/tables",
            "/api/public/meta",
        ):
            assert client.get(url).status_code in (200, 404), url
    assert seen == []


def test_a_download_writes_only_its_audit_entry_to_the_main_database(
    client: Client, world: dict[str, Any]
) -> None:
    with main_database_blocked(allow=_audit_only) as seen:
        response = client.get("/public/export.json")
    assert response.status_code == 200
    assert any("audit_auditentry" in sql for sql in seen)


@pytest.mark.parametrize("fmt", ["csv", "json", "geojson", "xlsx"])
def test_a_download_carries_its_sha256_and_is_audited(
    client: Client, world: dict[str, Any], fmt: str
) -> None:
    response = client.get(f"/public/export.{fmt}")
    assert response.status_code == 200
    data = response.content
    assert response["X-Refuge-SHA256"] == hashlib.sha256(data).hexdigest()
    assert response["X-Refuge-Records"] == "2"
    assert "attachment" in response["Content-Disposition"]
    if fmt in ("json", "geojson"):
        assert "I-PUBLIC01" in data.decode()
    entry = AuditEntry.objects.filter(action="export").order_by("-seq").first()
    assert entry is not None
    assert entry.payload["sha256"] == response["X-Refuge-SHA256"]
    assert entry.payload["format"] == fmt and entry.payload["audience"] == "public"
    assert entry.actor == "anonymous"


def test_a_download_holds_exactly_the_store(client: Client, world: dict[str, Any]) -> None:
    body = json.loads(client.get("/public/export.json").content)
    assert sorted(i["public_id"] for i in body["incidents"]) == ["I-PUBLIC01", "I-PUBLIC02"]


def test_an_unknown_download_format_is_404(client: Client, world: dict[str, Any]) -> None:
    response = client.get("/public/export.pdf")
    assert response.status_code == 404 and "R166" in response.content.decode()
    assert not AuditEntry.objects.filter(action="export").exists()


def test_public_pages_answer_only_safe_methods(client: Client, world: dict[str, Any]) -> None:
    assert client.post("/public/").status_code in (403, 405)
