"""Every route x every role x objects of every level, with canaries in identifying fields.

Routes are read from the URL configuration: a route without an expectation here fails the
test, so a new screen cannot ship untested. Beyond status codes, every response body is
searched for canary values planted in identifying fields and confidential text; a body a
role is not entitled to must contain none. The test prints how many cases it ran.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from refuge.web.accounts.models import User
from refuge.web.accounts.services import team_get_or_create
from refuge.web.disclosure import policy
from refuge.web.incidents import services
from refuge.web.sources.ingest import CaptureMetadata, ingest_bytes
from refuge.web.sources.models import Source

LEVELS = ("team", "organisation", "partners", "public")
ROLES = ("admin", "editor", "analyst", "partner", "norole", "anonymous", "superuser")

# What each route is, by name; the checks below know what each kind must do.
EXPECTATIONS: dict[str, str] = {
    "home": "open",
    "healthz": "open",
    "search": "search",
    "login": "open",
    "logout": "open",
    "set_language": "open",
    "admin_login": "open",
    "accounts:two_factor": "open",
    "accounts:enrol": "open",
    "accounts:security": "list",
    "accounts:recovery_codes": "open",
    "accounts:token_new": "open",
    "accounts:token_revoke": "open",
    "incidents:list": "list",
    "incidents:detail": "incident",
    "sources:list": "list",
    "sources:upload": "editor_form",
    "sources:detail": "source",
    "sources:grade": "source_write",
    "persons:search": "person_search",
    "persons:import": "editor_form",
    "review:queue": "staff_page",
    "review:source": "source",
    "admin:*": "admin",
}


def _route_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace or namespace
                if ns == "admin":
                    names.add("admin:*")
                    continue
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                names.add(f"{namespace}:{p.name}" if namespace else p.name)
            elif isinstance(p, URLPattern):
                names.add(f"unnamed:{p.pattern}")

    walk(get_resolver().url_patterns, "")
    return names


def test_every_route_has_an_expectation() -> None:
    assert _route_names() - set(EXPECTATIONS) == set()


def _user(role: str, team: Any) -> Any:
    if role == "anonymous":
        return AnonymousUser()
    if role == "superuser":
        return User.objects.create(username="su", is_superuser=True, is_staff=True)
    return User.objects.create(username=role, role="" if role == "norole" else role, team=team)


@pytest.mark.django_db
def test_the_authorization_matrix(capsys: pytest.CaptureFixture[str]) -> None:
    team = team_get_or_create(name="Own", slug="own")
    world: dict[str, dict[str, Any]] = {}
    for level in LEVELS:
        canary_name = f"Zqxname{level}"
        canary_text = f"zqxtestimony{level}"
        incident = services.incident_create(title=f"Incident {level}", team=team, disclosure=level)
        person = services.person_create(team=team, disclosure=level, name=canary_name)
        services.victimhood_create(person=person, incident=incident)
        [secret] = ingest_bytes(
            f"{canary_text}: 4 held in Tumen.\n".encode(),
            name="t.txt",
            meta=CaptureMetadata(content_class="confidential", team=team, disclosure=level),
        )
        source = Source.objects.get(uuid=secret.source_uuids[0])
        world[level] = {
            "incident": incident,
            "person": person,
            "source": source,
            "canaries": (canary_name, canary_text),
        }
    users = {role: _user(role, team) for role in ROLES}
    cases = 0
    for role, user in users.items():
        client = Client()
        if role != "anonymous":
            client.force_login(user)
        signed_in = role != "anonymous"
        staff = policy.is_staff_reader(user)
        for route, kind in EXPECTATIONS.items():
            targets = LEVELS if kind in ("incident", "source", "source_write") else (None,)
            for level in targets:
                cases += 1
                if signed_in:
                    client.force_login(user)  # the logout route signs the client out
                response = _request(client, route, kind, world.get(level or "", {}))
                status = response.status_code
                body = response.content.decode(errors="replace")
                _check_status(kind, role, user, signed_in, staff, status, world, level)
                _check_canaries(user, body, world, route, role)
    print(f"authorization matrix: {cases} route x role x level cases")
    assert cases >= 150
    out = capsys.readouterr().out
    assert "authorization matrix" in out
    with capsys.disabled():
        print(out.strip())


def _request(client: Client, route: str, kind: str, objects: dict[str, Any]) -> Any:
    if route == "admin:*":
        return client.get("/admin/")
    if route in ("logout", "set_language"):
        return client.post(reverse(route), {"language": "ko", "next": "/"})
    if kind == "incident":
        return client.get(reverse(route, args=[objects["incident"].public_id]))
    if kind == "source":
        return client.get(reverse(route, args=[objects["source"].uuid]))
    if kind == "source_write":
        return client.post(
            reverse(route, args=[objects["source"].uuid]), {"reliability": "B", "credibility": "2"}
        )
    if kind == "person_search":
        return client.get(reverse(route), {"q": "Zqxname"})
    if kind == "search":
        return client.get(reverse(route), {"q": "incident Tumen"})
    return client.get(reverse(route))


def _check_status(
    kind: str,
    role: str,
    user: Any,
    signed_in: bool,
    staff: bool,
    status: int,
    world: dict[str, dict[str, Any]],
    level: str | None,
) -> None:
    where = f"{kind} {role} {level}"
    assert status < 500, where
    if kind == "open":
        assert status in (200, 302), where
        return
    if kind == "admin":
        assert status == (200 if role == "superuser" else 302), where
        return
    if not signed_in:
        assert status == 302, where  # to sign-in
        return
    if kind in ("list", "search"):
        assert status == 200, where
    elif kind == "staff_page":
        assert status == (200 if staff else 403), where
    elif kind == "editor_form":
        assert status == (200 if policy.may_edit(user) else 403), where
    elif kind == "person_search":
        assert status == (200 if policy.may_read_identifying(user) else 403), where
    elif kind in ("incident", "source"):
        assert level is not None
        obj = world[level][kind]
        assert status == (200 if policy.can_view(user, obj) else 404), where
    elif kind == "source_write":
        assert level is not None
        obj = world[level]["source"]
        if not policy.can_view(user, obj):
            assert status == 404, where
        else:
            assert status == (302 if policy.may_edit(user) else 403), where


def _check_canaries(
    user: Any, body: str, world: dict[str, dict[str, Any]], route: str, role: str
) -> None:
    for objects in world.values():
        name, text = objects["canaries"]
        if not policy.may_read_identifying_of(user, objects["person"]):
            assert name not in body, (route, role)
        if not policy.may_read_identifying_of(user, objects["source"]):
            assert text not in body, (route, role)
