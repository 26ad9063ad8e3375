"""The public API: released incidents and tables from the publication store, no token."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from refuge.publish.records import PublishedCount, PublishedPlace, PublishedTable

pytestmark = pytest.mark.django_db

LIAONING = PublishedPlace("Liaoning", "랴오닝", "cn-ln", "CN", "Liaoning", "admin1", 41.3, 122.6)


@pytest.fixture
def store(public_store: Any, published_incident: Any) -> list[Any]:
    incidents = [
        published_incident("I-PUBLIC01"),
        published_incident(
            "I-PUBLIC02",
            event_types=("detention",),
            place=LIAONING,
            minors=PublishedCount.of(0),
            date_start=date(2023, 3, 1),
            date_end=date(2023, 3, 31),
        ),
        published_incident("I-PUBLIC03", minors=PublishedCount.unknown()),
    ]
    table = PublishedTable(
        "by_province", ("province",), ((("Jilin",), 24), (("Liaoning",), None)), 5
    )
    public_store(incidents, [table])
    return incidents


def _ids(client: Client, **params: Any) -> list[str]:
    response = client.get("/api/public/incidents", params)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] >= len(body["items"])
    return [i["public_id"] for i in body["items"]]


def test_the_public_list_needs_no_token_and_reads_no_main_database(
    client: Client, store: list[Any]
) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/public/incidents")
    assert response.status_code == 200
    assert len(queries.captured_queries) == 0
    body = response.json()
    assert body["count"] == 3 and body["limit"] == 25 and body["offset"] == 0
    first = body["items"][0]
    assert first["minors"] == {"low": 1, "high": 4, "approx": False, "label": "1–4"}
    assert first["place"]["admin1"] == "Jilin" and first["minors_involved"] is True


def test_the_public_list_is_paged(client: Client, store: list[Any]) -> None:
    everything = _ids(client)
    assert _ids(client, limit=2) == everything[:2]
    assert _ids(client, limit=2, offset=2) == everything[2:]
    assert _ids(client, offset=50) == []
    assert client.get("/api/public/incidents", {"limit": 2}).json()["count"] == 3


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"event_type": "detention"}, {"I-PUBLIC02"}),
        ({"country": "cn"}, {"I-PUBLIC01", "I-PUBLIC02", "I-PUBLIC03"}),
        ({"province": "Liaoning"}, {"I-PUBLIC02"}),
        ({"year": 2023}, {"I-PUBLIC02"}),
        ({"minors_involved": "true"}, {"I-PUBLIC01"}),
        ({"minors_involved": "false"}, {"I-PUBLIC02", "I-PUBLIC03"}),
        ({"event_type": "arrest", "year": 2024}, {"I-PUBLIC01", "I-PUBLIC03"}),
    ],
)
def test_the_public_list_filters(
    client: Client, store: list[Any], params: dict[str, Any], expected: set[str]
) -> None:
    assert set(_ids(client, **params)) == expected


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 1000}, "limit"),
        ({"offset": -5}, "offset"),
        ({"event_type": "party"}, "event_type"),
        ({"country": "CHN"}, "country"),
        ({"year": 12}, "year"),
        ({"minors_involved": "perhaps"}, "minors_involved"),
    ],
)
def test_bad_public_parameters_answer_422_in_the_one_shape(
    client: Client, store: list[Any], params: dict[str, Any], field: str
) -> None:
    response = client.get("/api/public/incidents", params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "R160" and field in error["fields"]


def test_one_public_incident_and_a_missing_one(client: Client, store: list[Any]) -> None:
    response = client.get("/api/public/incidents/I-PUBLIC02")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Arrests in Jilin (I-PUBLIC02)"
    assert [e["type"] for e in body["events"]] == ["arrest", "repatriation"]
    missing = client.get("/api/public/incidents/I-NOTHERE")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "R163"


def test_the_tables_and_the_meta(client: Client, store: list[Any]) -> None:
    [table] = client.get("/api/public/tables").json()
    assert table["name"] == "by_province" and table["threshold"] == 5
    cells = {row["categories"]["province"]: row for row in table["rows"]}
    assert cells["Jilin"]["count"] == 24
    assert cells["Liaoning"] == {
        "categories": {"province": "Liaoning"},
        "count": None,
        "suppressed": True,
    }
    meta = client.get("/api/public/meta").json()
    assert meta["available"] is True and meta["incidents"] == 3 and meta["tables"] == 1
    assert meta["generated_at"].startswith("2024-06-01T12:00")


def test_before_the_first_publish_the_api_answers_empty(client: Client, public_store: Any) -> None:
    assert client.get("/api/public/incidents").json()["count"] == 0
    assert client.get("/api/public/tables").json() == []
    meta = client.get("/api/public/meta").json()
    assert meta["available"] is False and meta["generated_at"] is None


def test_a_token_changes_nothing_on_the_public_side(
    client: Client, store: list[Any], alice: Any
) -> None:
    from refuge.web.accounts.tokens import token_create

    _, raw = token_create(user=alice, name="t", role="editor")
    anonymous = client.get("/api/public/incidents").content
    with_token = client.get("/api/public/incidents", headers={"Authorization": f"Bearer {raw}"})
    assert with_token.content == anonymous
