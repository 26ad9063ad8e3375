"""Schemathesis against the running app's own OpenAPI schema, every endpoint, both ways.

The schema is loaded from ``/api/openapi.json`` of the Django WSGI application, in process
(so the test database and the test's publication store are the ones answering). For every
operation, hypothesis generates requests:

* valid ones (positive mode), whose answers must not be server errors and must match the
  schema: documented status code, content type and response body;
* invalid ones (negative mode), which must be refused with a documented 4xx in the one
  error shape, never a server error.

Each is run as an anonymous client and with an editor's token (the role that reaches every
branch: reads with identifying fields, writes). Bounded to MAX_EXAMPLES per operation and
mode so that it stays in `make test`; settings recorded here: derandomised, no example
database, no deadline (the first request of a run compiles templates and regexes).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from refuge.web.accounts.tokens import token_create
from refuge.web.wsgi import application

MAX_EXAMPLES = 25
POSITIVE_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
NEGATIVE_CHECKS = [not_a_server_error, status_code_conformance, negative_data_rejection]

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture
def wsgi_app() -> Iterator[Any]:
    """The project's WSGI application, keeping the test's database connection open.

    Django closes connections when a request ends; its test client switches that off for
    the request (the test's transaction lives on the connection), and so does this.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def api_world(
    public_store: Any, published_incident: Any, alice: Any, make_incident: Any
) -> dict[str, Any]:
    """A published store, internal records of every level, an editor's token, and the ids
    of existing records (so that the record pages are exercised, not only 404s)."""
    public_store([published_incident("I-PUBLIC01"), published_incident("I-PUBLIC02")], [])
    incidents = [
        make_incident(f"Incident {level}", disclosure=level, person={"name": f"Name {level}"})
        for level in ("team", "organisation", "partners", "public")
    ]
    source = incidents[-1].sources.first()
    return {
        "token": token_create(user=alice, name="schemathesis", role="editor")[1],
        "existing": {
            "/api/public/incidents/{public_id}": {"public_id": "I-PUBLIC01"},
            "/api/records/incidents/{public_id}": {"public_id": incidents[-1].public_id},
            "/api/records/sources/{source_uuid}": {"source_uuid": str(source.uuid)},
        },
    }


def _has_input(operation: Any) -> bool:
    return any(True for _ in operation.iter_parameters()) or bool(list(operation.body))


def _run(
    operation: Any,
    mode: GenerationMode,
    headers: dict[str, str],
    path_parameters: dict[str, str] | None = None,
) -> None:
    checks = POSITIVE_CHECKS if mode == GenerationMode.POSITIVE else NEGATIVE_CHECKS
    if mode == GenerationMode.NEGATIVE:
        # Without credentials every record endpoint answers 401 before it reads its input:
        # the negative checks would see a refusal they did not cause.
        checks = [c for c in checks if c is not negative_data_rejection] if not headers else checks

    strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)

    @given(case=strategy)
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def exercise(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=checks)

    exercise()


@pytest.mark.parametrize("who", ["anonymous", "editor"])
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_endpoint_keeps_to_its_schema(
    wsgi_app: Any, api_world: dict[str, Any], who: str, mode: GenerationMode
) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app)
    headers = {"Authorization": f"Bearer {api_world['token']}"} if who == "editor" else {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    failures: list[str] = []
    for operation in operations:
        if mode == GenerationMode.NEGATIVE and not _has_input(operation):
            continue  # nothing to get wrong: no parameter, no body
        existing = api_world["existing"].get(operation.path)
        try:
            _run(operation, mode, headers)
            if existing and mode == GenerationMode.POSITIVE:
                _run(operation, mode, headers, path_parameters=existing)
        except Exception as exc:  # collect all, then fail once with every operation named
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert failures == [], "\n\n".join(failures)
