"""Every API operation x every token role x records of every level, with canaries.

The authorization matrix (tests/web/test_authorization_matrix.py) walks the URL patterns
and leaves the API to this test ("api:*"): here the operations are read from the OpenAPI
schema itself, so an endpoint added without a line in OPERATIONS fails the first test.
Every body is searched for canaries planted in identifying fields and confidential text.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from refuge.web.accounts.models import User
from refuge.web.accounts.services import team_get_or_create
from refuge.web.accounts.tokens import token_create
from refuge.web.disclosure import policy
from refuge.web.incidents import services
from refuge.web.sources.ingest import CaptureMetadata, ingest_bytes
from refuge.web.sources.models import Source

LEVELS = ("team", "organisation", "partners", "public")
TOKEN_ROLES = ("admin", "editor", "analyst", "partner")

# (method, path) -> what it is; the checks below know what each kind must answer.
OPERATIONS: dict[tuple[str, str], str] = {
    ("get", "/api/public/incidents"): "public",
    ("get", "/api/public/incidents/{public_id}"): "public_record",
    ("get", "/api/public/tables"): "public",
    ("get", "/api/public/meta"): "public",
    ("get", "/api/records/incidents"): "record_list",
    ("post", "/api/records/incidents"): "record_create",
    ("get", "/api/records/incidents/{public_id}"): "record_read",
    ("patch", "/api/records/incidents/{public_id}"): "record_write",
    ("get", "/api/records/sources"): "record_list",
    ("get", "/api/records/sources/{source_uuid}"): "record_read",
}


def test_every_api_operation_has_an_expectation(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()
    found = {(method, path) for path, item in schema["paths"].items() for method in item}
    assert found == set(OPERATIONS)


def _world() -> dict[str, dict[str, Any]]:
    team = team_get_or_create(name="Own", slug="own")
    world = {}
    for level in LEVELS:
        incident = services.incident_create(title=f"Incident {level}", team=team, disclosure=level)
        person = services.person_create(team=team, disclosure=level, name=f"Zqxname{level}")
        services.victimhood_create(person=person, incident=incident)
        [result] = ingest_bytes(
            f"zqxtestimony{level}: 4 held in Tumen.\n".encode(),
            name="t.txt",
            meta=CaptureMetadata(content_class="confidential", team=team, disclosure=level),
        )
        source = Source.objects.get(uuid=result.source_uuids[0])
        world[level] = {"incident": incident, "person": person, "source": source, "team": team}
    return world


def _path(path: str, objects: dict[str, Any]) -> str:
    return path.replace("{public_id}", objects["incident"].public_id).replace(
        "{source_uuid}", str(objects["source"].uuid)
    )


def _call(client: Client, method: str, path: str, token: str | None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if method == "get":
        return client.get(path, headers=headers)
    body = {"title": "Made through the API", "disclosure": "organisation"}
    if method == "patch":
        body = {"status": "released"}
    return getattr(client, method)(
        path, data=json.dumps(body), content_type="application/json", headers=headers
    )


def _target(kind: str, path: str, objects: dict[str, Any]) -> Any:
    if "{source_uuid}" in path:
        return objects["source"]
    return objects["incident"]


@pytest.mark.django_db
def test_the_api_matrix(capsys: pytest.CaptureFixture[str]) -> None:
    world = _world()
    team = world["team"]["team"]
    users: dict[str, Any] = {"anonymous": None}
    tokens: dict[str, str | None] = {"anonymous": None}
    for role in TOKEN_ROLES:
        users[role] = User.objects.create(username=role, role=role, team=team)
        tokens[role] = token_create(user=users[role], name="matrix", role=role)[1]
    client = Client()
    cases = 0
    for role, user in users.items():
        for (method, path), kind in OPERATIONS.items():
            targets = LEVELS if "{" in path else ("team",)
            for level in targets:
                cases += 1
                objects = world[level]
                response = _call(client, method, _path(path, objects), tokens[role])
                where = f"{method} {path} {role} {level}"
                _check_status(kind, user, response.status_code, _target(kind, path, objects), where)
                _check_canaries(user, response.content.decode(), world, where)
    print(f"api matrix: {cases} operation x token role x level cases")
    assert cases >= 100
    with capsys.disabled():
        print(capsys.readouterr().out.strip())


def _check_status(kind: str, user: Any, status: int, target: Any, where: str) -> None:
    assert status < 500, where
    if kind == "public":
        assert status == 200, where
        return
    if kind == "public_record":
        assert status == 404, where  # nothing is published in this world
        return
    if user is None:
        assert status == 401, where
        return
    if kind == "record_list":
        assert status == 200, where
    elif kind == "record_create":
        assert status == (201 if policy.may_edit(user) else 403), where
    elif kind == "record_read":
        assert status == (200 if policy.can_view(user, target) else 404), where
    elif kind == "record_write":
        if not policy.can_view(user, target):
            assert status == 404, where
        else:
            assert status == (200 if policy.may_edit(user) else 403), where


def _check_canaries(user: Any, body: str, world: dict[str, dict[str, Any]], where: str) -> None:
    for level, objects in world.items():
        if not policy.may_read_identifying_of(user, objects["person"]):
            assert f"Zqxname{level}" not in body, where
        if not policy.may_read_identifying_of(user, objects["source"]):
            assert f"zqxtestimony{level}" not in body, where
