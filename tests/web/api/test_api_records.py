"""The authenticated record endpoints: tokens, the policy, the services, the one error shape.

Personas (tests/conftest.py): alice edits, bob analyses, carol is a partner at another
organisation, dave has no role. Each acts through a token of their own role.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from refuge.web.accounts.models import ApiToken
from refuge.web.accounts.tokens import token_create, token_revoke
from refuge.web.audit.models import AuditEntry
from refuge.web.incidents.models import Incident

pytestmark = pytest.mark.django_db

CANARY_NAME = "Zqxcanaryname"


def _token(user: Any, role: str | None = None) -> str:
    return token_create(user=user, name="test", role=role or user.role)[1]


def _get(client: Client, url: str, token: str | None = None, **params: Any) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(url, params, headers=headers)


def _send(client: Client, method: str, url: str, token: str, body: Any) -> Any:
    return getattr(client, method)(
        url,
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def _error(response: Any) -> dict[str, Any]:
    """The one error shape: {"error": {"code", "message", "fields"}} and nothing else."""
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"].startswith("R")
    return dict(body["error"])


# --- Authentication -------------------------------------------------------------------------


def test_no_token_answers_401_in_the_one_error_shape(client: Client) -> None:
    response = client.get("/api/records/incidents")
    assert response.status_code == 401
    assert _error(response)["code"] == "R161"
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header", ["Bearer rfg_madeup", "Bearer ", "Basic YWxpY2U6cHc=", "rfg_noscheme", "Bearer x y"]
)
def test_a_bad_token_answers_401(client: Client, alice: Any, header: str) -> None:
    _token(alice)
    response = client.get("/api/records/incidents", headers={"Authorization": header})
    assert response.status_code == 401 and _error(response)["code"] == "R161"


def test_a_revoked_or_expired_token_answers_401(client: Client, alice: Any) -> None:
    token, raw = token_create(user=alice, name="t", role="editor")
    assert _get(client, "/api/records/incidents", raw).status_code == 200
    token_revoke(token=token)
    assert _get(client, "/api/records/incidents", raw).status_code == 401
    other, raw2 = token_create(user=alice, name="t2", role="editor")
    ApiToken.objects.filter(pk=other.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _error(_get(client, "/api/records/incidents", raw2))["code"] == "R161"


def test_a_signed_in_session_does_not_authenticate_the_api(client: Client, alice: Any) -> None:
    client.force_login(alice)
    assert client.get("/api/records/incidents").status_code == 401


# --- Reads through the policy ---------------------------------------------------------------


def test_an_editor_reads_identifying_fields_and_an_analyst_none(
    client: Client, alice: Any, bob: Any, make_incident: Any
) -> None:
    incident = make_incident(
        disclosure="organisation", person={"name": CANARY_NAME, "disclosure": "organisation"}
    )
    url = f"/api/records/incidents/{incident.public_id}"
    as_editor = _get(client, url, _token(alice))
    assert as_editor.status_code == 200
    [person] = as_editor.json()["persons"]
    assert person["identifying"]["name"] == CANARY_NAME
    as_analyst = _get(client, url, _token(bob))
    assert as_analyst.status_code == 200
    [person] = as_analyst.json()["persons"]
    assert person["identifying"] is None
    assert CANARY_NAME not in as_analyst.content.decode()


def test_reading_identifying_fields_through_the_api_is_audited(
    client: Client, alice: Any, make_incident: Any
) -> None:
    incident = make_incident(
        disclosure="organisation", person={"name": CANARY_NAME, "disclosure": "organisation"}
    )
    _get(client, f"/api/records/incidents/{incident.public_id}", _token(alice))
    entry = AuditEntry.objects.filter(action="read_identifying").order_by("-seq").first()
    assert entry is not None and entry.actor == "user:alice"
    assert CANARY_NAME not in json.dumps(entry.payload)


def test_an_analyst_gets_no_confidential_source_fields(
    client: Client, alice: Any, bob: Any, team: Any
) -> None:
    from refuge.web.sources.ingest import CaptureMetadata, ingest_bytes

    [result] = ingest_bytes(
        b"zqxtestimony: 4 held in Tumen.\n",
        name="witness.txt",
        meta=CaptureMetadata(content_class="confidential", team=team, disclosure="organisation"),
    )
    url = f"/api/records/sources/{result.source_uuids[0]}"
    as_editor = _get(client, url, _token(alice)).json()
    assert "zqxtestimony" in as_editor["text"] and as_editor["withheld"] == []
    response = _get(client, url, _token(bob))
    as_analyst = response.json()
    assert response.status_code == 200
    assert as_analyst["text"] is None and as_analyst["title"] is None
    assert {"text", "title", "author", "url"} <= set(as_analyst["withheld"])
    assert "zqxtestimony" not in response.content.decode()
    listed = _get(client, "/api/records/sources", _token(bob))
    assert "zqxtestimony" not in listed.content.decode() and listed.json()["count"] == 1


def test_a_partner_never_sees_organisation_level_incidents(
    client: Client, carol: Any, make_incident: Any
) -> None:
    hidden = make_incident("Organisation only", disclosure="organisation")
    shared = make_incident("Shared with partners", disclosure="partners")
    token = _token(carol)
    listed = _get(client, "/api/records/incidents", token).json()
    assert [i["public_id"] for i in listed["items"]] == [shared.public_id]
    assert listed["count"] == 1
    assert _get(client, f"/api/records/incidents/{hidden.public_id}", token).status_code == 404
    assert _get(client, f"/api/records/incidents/{shared.public_id}", token).status_code == 200


def test_a_hidden_record_answers_exactly_like_a_missing_one(
    client: Client, carol: Any, make_incident: Any
) -> None:
    hidden = make_incident(disclosure="team")
    token = _token(carol)
    for url in (f"/api/records/incidents/{hidden.public_id}", "/api/records/incidents/I-NOSUCH00"):
        response = _get(client, url, token)
        assert response.status_code == 404
        assert _error(response) == {"code": "R163", "message": "no such record", "fields": {}}
    patch = _send(client, "patch", f"/api/records/incidents/{hidden.public_id}", token, {})
    missing = _send(client, "patch", "/api/records/incidents/I-NOSUCH00", token, {})
    assert patch.status_code == missing.status_code == 404
    assert patch.content == missing.content


def test_someone_without_a_role_cannot_hold_a_token(dave: Any) -> None:
    from refuge.web.accounts.errors import AccountError

    with pytest.raises(AccountError):
        token_create(user=dave, name="x", role="analyst")


# --- Pagination and filters -----------------------------------------------------------------


def test_incidents_are_paged_by_limit_and_offset_newest_first(
    client: Client, alice: Any, make_incident: Any
) -> None:
    made = [make_incident(f"Incident {n}", disclosure="organisation") for n in range(5)]
    token = _token(alice)
    page = _get(client, "/api/records/incidents", token, limit=2, offset=2).json()
    assert page["count"] == 5 and page["limit"] == 2 and page["offset"] == 2
    newest_first = [i.public_id for i in reversed(made)]
    assert [i["public_id"] for i in page["items"]] == newest_first[2:4]
    last = _get(client, "/api/records/incidents", token, limit=2, offset=4).json()
    assert [i["public_id"] for i in last["items"]] == newest_first[4:]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 101}, "limit"),
        ({"limit": 0}, "limit"),
        ({"offset": -1}, "offset"),
        ({"offset": 10**30}, "offset"),
        ({"status": "vanished"}, "status"),
        ({"country": "China"}, "country"),
        ({"year": "soon"}, "year"),
    ],
)
def test_bad_paging_or_filter_values_answer_422_naming_the_field(
    client: Client, alice: Any, params: dict[str, Any], field: str
) -> None:
    response = _get(client, "/api/records/incidents", _token(alice), **params)
    assert response.status_code == 422
    error = _error(response)
    assert error["code"] == "R160" and field in error["fields"]


def test_an_unknown_query_parameter_is_refused_not_ignored(client: Client, alice: Any) -> None:
    response = _get(client, "/api/records/incidents", _token(alice), evnt_type="arrest")
    assert response.status_code == 422
    assert _error(response)["fields"] == {"evnt_type": ["unknown parameter"]}


def test_incidents_filter_by_status_event_type_country_and_year(
    client: Client, alice: Any, make_incident: Any
) -> None:
    tumen = make_incident("Arrests in Tumen", disclosure="organisation")  # arrest, CN, 2024
    other = make_incident("Another", disclosure="organisation")
    token = _token(alice)

    def ids(**params: Any) -> set[str]:
        body = _get(client, "/api/records/incidents", token, **params).json()
        assert body["count"] == len(body["items"])
        return {i["public_id"] for i in body["items"]}

    both = {tumen.public_id, other.public_id}
    assert ids(event_type="arrest") == both
    assert ids(event_type="death") == set()
    assert ids(country="cn") == both and ids(country="KP") == set()
    assert ids(year=2024) == both and ids(year=2023) == set()
    assert ids(status="repatriated") == both and ids(status="released") == set()


# --- Writes through the services ------------------------------------------------------------


def test_an_editor_creates_an_incident_through_the_services(client: Client, alice: Any) -> None:
    response = _send(
        client,
        "post",
        "/api/records/incidents",
        _token(alice),
        {"title": "Reported by API", "summary": "Two lines.\nSecond.", "status": "detained"},
    )
    assert response.status_code == 201
    body = response.json()
    incident = Incident.objects.get(public_id=body["public_id"])
    assert incident.title == "Reported by API" and incident.team == alice.team
    assert body["disclosure"] == "team" and body["status"] == "detained"
    entry = AuditEntry.objects.filter(action="record_change").order_by("-seq").first()
    assert entry is not None and entry.actor == "user:alice"
    assert entry.payload["record"] == f"incidents.Incident:{incident.public_id}"


@pytest.mark.parametrize("persona", ["bob", "carol"])
def test_only_editors_and_administrators_write(
    client: Client, persona: str, request: pytest.FixtureRequest, make_incident: Any
) -> None:
    user = request.getfixturevalue(persona)
    incident = make_incident(disclosure="partners")
    token = _token(user)
    created = _send(client, "post", "/api/records/incidents", token, {"title": "No"})
    assert created.status_code == 403 and _error(created)["code"] == "R130"  # the service's
    changed = _send(
        client, "patch", f"/api/records/incidents/{incident.public_id}", token, {"title": "No"}
    )
    assert changed.status_code == 403
    assert not Incident.objects.filter(title="No").exists()


def test_an_editors_token_narrowed_to_analyst_cannot_write(client: Client, alice: Any) -> None:
    token = _token(alice, role="analyst")
    response = _send(client, "post", "/api/records/incidents", token, {"title": "No"})
    assert response.status_code == 403


def test_an_editor_changes_an_incident_and_the_change_is_audited(
    client: Client, alice: Any, make_incident: Any
) -> None:
    incident = make_incident(disclosure="organisation")
    url = f"/api/records/incidents/{incident.public_id}"
    response = _send(client, "patch", url, _token(alice), {"status": "released"})
    assert response.status_code == 200 and response.json()["status"] == "released"
    incident.refresh_from_db()
    assert incident.status == "released" and incident.title == "Sixty returned from Tumen"
    entry = AuditEntry.objects.filter(action="record_change").order_by("-seq").first()
    assert entry is not None and entry.payload["after"]["status"] == "released"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"title": "nul\x00byte"}, "title"),
        ({"title": "ok", "status": "vanished"}, "status"),
        ({"title": "ok", "disclosure": "everyone"}, "disclosure"),
        ({"title": 5}, "title"),
        ({"title": "ok", "staus": "released"}, "staus"),
    ],
)
def test_invalid_bodies_answer_422_naming_the_field(
    client: Client, alice: Any, body: dict[str, Any], field: str
) -> None:
    response = _send(client, "post", "/api/records/incidents", _token(alice), body)
    assert response.status_code == 422
    error = _error(response)
    assert error["code"] == "R160" and field in error["fields"]


def test_a_body_that_is_not_json_answers_in_the_one_shape(client: Client, alice: Any) -> None:
    response = client.post(
        "/api/records/incidents",
        data=b"{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {_token(alice)}"},
    )
    assert 400 <= response.status_code < 500
    _error(response)


def test_a_rule_of_the_record_answers_422_with_the_services_code(
    client: Client, alice: Any
) -> None:
    # Alice may not file a team-level record for a team she would not see: the service says.
    alice.team = None
    alice.save()
    response = _send(client, "post", "/api/records/incidents", _token(alice), {"title": "Lost"})
    assert response.status_code == 422
    error = _error(response)
    assert error["code"] == "R130" and error["fields"]
    assert not Incident.objects.filter(title="Lost").exists()


# --- Routes and methods ---------------------------------------------------------------------


def test_an_unknown_api_path_answers_404_in_the_one_shape(client: Client) -> None:
    for path in ("/api/nothing", "/api/records/incidents/I-X/extra", "/api/public/"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert _error(response)["code"] == "R163"


def test_a_wrong_method_answers_405_in_the_one_shape(client: Client, alice: Any) -> None:
    response = client.delete(
        "/api/records/incidents", headers={"Authorization": f"Bearer {_token(alice)}"}
    )
    assert response.status_code == 405
    assert _error(response)["code"] == "R164"
    assert "GET" in response["Allow"]


def test_the_schema_is_served_and_names_every_endpoint(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()
    assert set(schema["paths"]) >= {
        "/api/public/incidents",
        "/api/public/incidents/{public_id}",
        "/api/public/tables",
        "/api/public/meta",
        "/api/records/incidents",
        "/api/records/incidents/{public_id}",
        "/api/records/sources",
        "/api/records/sources/{source_uuid}",
    }
    assert client.get("/api/docs").status_code == 404  # no docs page needing outside scripts
