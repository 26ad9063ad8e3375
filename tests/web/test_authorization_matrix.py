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
    "review:figure": "figure_write",  # choosing a group's best figure (POST, empty: invalid)
    "admin:*": "admin",
    # Editing, merging and splitting (refuge.web.incidents.edit_views): writes are POSTed
    # empty (nothing valid to save), so the check is who gets the form at all.
    "incidents:new": "editor_form",
    "incidents:edit": "incident_write",
    "incidents:event_new": "incident_write",
    "incidents:event_edit": "incident_write",
    "incidents:event_delete": "incident_write",
    "incidents:victims_new": "incident_write",
    "incidents:victims_edit": "incident_write",
    "incidents:victims_delete": "incident_write",
    "incidents:merge": "incident_write",
    "incidents:unmerge": "incident_write",
    "incidents:split": "incident_write",
    "incidents:unsplit": "incident_write",
    "incidents:actors": "editor_form",
    "incidents:actor_new": "editor_form",
    "incidents:actor_edit": "actor_write",
    "incidents:actor_delete": "actor_write",
    "persons:new": "editor_form",
    "persons:edit": "person_write",
    # Public side (publication store only) and the REST API; the API's own role x level x
    # token matrix is tests/web/api/test_api_matrix.py.
    "public:list": "public",
    "public:tables": "public",
    "public:incident": "public_incident",
    "public:export": "public",
    "api:*": "public",
    "publishing:queue": "editor_form",
    "publishing:propose": "incident_editor_form",
    "publishing:embargo": "incident_editor_form",
    "publishing:consent": "incident_editor_form",
    "publishing:decide": "editor_post",
    "publishing:withdraw": "editor_post",
    "publishing:embargo_lift": "editor_post",
    "publishing:consent_revoke": "editor_post",
    # Erasure and legal holds (refuge.web.disclosure.views): POSTed empty, never valid.
    "publishing:erase_person": "person_post",
    "publishing:hold_set_person": "person_post",
    "publishing:hold_set_incident": "incident_post",
    "publishing:hold_release": "editor_post",
}


def _route_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace or namespace
                if ns in ("admin", "api"):
                    names.add(f"{ns}:*")
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
    _add_editing_records(world, team)
    users = {role: _user(role, team) for role in ROLES}
    cases = 0
    for role, user in users.items():
        client = Client()
        if role != "anonymous":
            client.force_login(user)
        signed_in = role != "anonymous"
        staff = policy.is_staff_reader(user)
        for route, kind in EXPECTATIONS.items():
            targets = (
                LEVELS
                if kind
                in ("incident", "source", "source_write", "incident_editor_form", "public_incident")
                or kind in WRITE_KINDS
                or kind == "figure_write"
                or kind in POST_FORM_KINDS
                else (None,)
            )
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
    if route == "api:*":
        return client.get("/api/public/incidents")
    if route == "public:export":
        return client.get(reverse(route, args=["csv"]))
    if kind == "public_incident":
        return client.get(reverse(route, args=[objects["incident"].public_id]))
    if route in ("logout", "set_language"):
        return client.post(reverse(route), {"language": "ko", "next": "/"})
    if kind in ("incident", "incident_editor_form"):
        return client.get(reverse(route, args=[objects["incident"].public_id]))
    if kind in POST_FORM_KINDS:
        target = objects["person" if kind == "person_post" else "incident"]
        return client.post(reverse(route, args=[target.public_id]), {})
    if kind == "editor_post":
        # A record that does not exist: the role is refused (403) before the lookup (404).
        return client.post(reverse(route, args=["00000000-0000-4000-8000-000000000000"]))
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
    if kind in WRITE_KINDS or kind == "actor_write":
        return _editing_request(client, route, kind, objects)
    if kind == "figure_write":
        return client.post(reverse(route, args=[_figure_group(objects).uuid, "total"]), {})
    return client.get(reverse(route))


def _figure_group(objects: dict[str, Any]) -> Any:
    """A victim group of the level's incident, for the figure-choice route."""
    group = objects["incident"].victim_groups.first()
    return group or services.victim_group_create(incident=objects["incident"], description="F")


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
    if kind == "public":
        assert status == 200, where  # open to everyone, signed in or not
        return
    if kind == "public_incident":
        assert status == 404, where  # nothing is published in this world, whatever its level
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
    elif kind == "editor_post":
        assert status == (404 if policy.may_edit(user) else 403), where
    elif kind == "incident_editor_form":
        assert level is not None
        obj = world[level]["incident"]
        if not policy.can_view(user, obj):
            assert status == 404, where
        else:
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
    elif kind in POST_FORM_KINDS:
        _check_post_form_status(kind, user, status, world, level, where)
    elif kind in WRITE_KINDS or kind == "actor_write":
        _check_editing_status(kind, user, status, world, level, where)
    elif kind == "figure_write":
        # Hidden: 404; seen but not an editor: 403; an editor gets the page with form errors.
        assert level is not None
        if not policy.can_view(user, world[level]["incident"]):
            assert status == 404, where
        else:
            assert status == (200 if policy.may_edit(user) else 403), where


# Erasure and hold forms: an empty POST is refused as the record's rules say (hidden: 404;
# seen but not entitled: 403) and an entitled user gets the form back with its errors;
# nobody's empty POST writes anything.
POST_FORM_KINDS = ("person_post", "incident_post")


def _check_post_form_status(
    kind: str,
    user: Any,
    status: int,
    world: dict[str, dict[str, Any]],
    level: str | None,
    where: str,
) -> None:
    from refuge.web.disclosure.models import ErasureRequest, LegalHold

    assert level is not None
    target = world[level]["person" if kind == "person_post" else "incident"]
    allowed = policy.may_edit(user) and (
        kind == "incident_post" or policy.may_read_identifying_of(user, target)
    )
    if not policy.can_view(user, target):
        assert status == 404, where
    else:
        assert status == (200 if allowed else 403), where
    assert not ErasureRequest.objects.exists() and not LegalHold.objects.exists(), where


def _check_canaries(
    user: Any, body: str, world: dict[str, dict[str, Any]], route: str, role: str
) -> None:
    for objects in world.values():
        name, text = objects["canaries"]
        if not policy.may_read_identifying_of(user, objects["person"]):
            assert name not in body, (route, role)
        if not policy.may_read_identifying_of(user, objects["source"]):
            assert text not in body, (route, role)


# Editing, merging and splitting: each level gets an event, a victim group, a duplicate
# merged into its incident and an incident split off another, so that the undo screens
# have something to undo.
WRITE_KINDS = ("incident_write", "person_write")
WRITE_TARGETS = {"incidents:unmerge": "merged", "incidents:unsplit": "split_new"}


def _add_editing_records(world: dict[str, dict[str, Any]], team: Any) -> None:
    from refuge.web.incidents import merging

    builder = User.objects.create(username="matrix-builder", is_superuser=True)
    services.actor_create(user=builder, name="Matrix bureau", kind="institution")
    for level, objects in world.items():
        incident = objects["incident"]
        objects["event"] = services.event_create(incident=incident, order=1, type="arrest")
        objects["group"] = services.victim_group_create(incident=incident, description="G")
        duplicate = services.incident_create(title=f"Dup {level}", team=team, disclosure=level)
        services.event_create(incident=duplicate, order=1, type="detention")
        merging.incident_merge(user=builder, keep=incident, duplicate=duplicate)
        objects["merged"] = duplicate
        whole = services.incident_create(title=f"Two {level}", team=team, disclosure=level)
        first = services.event_create(incident=whole, order=1, type="arrest")
        services.event_create(incident=whole, order=2, type="release")
        new, _record = merging.incident_split(
            user=builder, incident=whole, title=f"Part {level}", events=[first]
        )
        objects["split_new"] = new


def _editing_request(client: Client, route: str, kind: str, objects: dict[str, Any]) -> Any:
    from refuge.web.incidents.models import Actor

    if kind == "actor_write":
        actor = Actor.objects.get(name="Matrix bureau")
        return client.get(reverse(route, args=[actor.uuid]))
    if kind == "person_write":
        return client.get(reverse(route, args=[objects["person"].public_id]))
    target = objects[WRITE_TARGETS.get(route, "incident")]
    args: list[Any] = [target.public_id]
    if route.startswith("incidents:event_") and route != "incidents:event_new":
        args.append(objects["event"].uuid)
    if route.startswith("incidents:victims_") and route != "incidents:victims_new":
        args.append(objects["group"].uuid)
    # Empty: a form that cannot be valid, so an allowed editor gets it back with errors.
    return client.post(reverse(route, args=args), {})


def _check_editing_status(
    kind: str,
    user: Any,
    status: int,
    world: dict[str, dict[str, Any]],
    level: str | None,
    where: str,
) -> None:
    if kind == "actor_write":
        assert status == (200 if policy.may_edit(user) else 403), where
        return
    assert level is not None
    if kind == "person_write":
        person = world[level]["person"]
        allowed = policy.may_edit(user) and policy.may_read_identifying_of(user, person)
        if not policy.can_view(user, person):
            assert status == 404, where
        else:
            assert status == (200 if allowed else 403), where
        return
    # The duplicate and the split-off incident share the incident's level and team, so the
    # policy answers the same for the undo screens' targets.
    target = world[level]["incident"]
    if not policy.can_view(user, target):
        assert status == 404, where
    else:
        assert status == (200 if policy.may_edit(user) else 403), where
