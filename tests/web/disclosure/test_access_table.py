"""The policy implements exactly the table of docs/access.md, checked cell by cell."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from refuge.web.accounts.models import User
from refuge.web.accounts.services import team_get_or_create
from refuge.web.disclosure import policy
from refuge.web.incidents import services
from refuge.web.incidents.models import Person

DOC = Path(__file__).resolve().parents[3] / "docs" / "access.md"
ROW = re.compile(r"^\| (\w+) \| (\w+) \| (yes|no|own team) \| (yes|no|own team) \|$")


def _table() -> dict[tuple[str, str], tuple[str, str]]:
    cells = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line.strip())
        if match:
            cells[(match[1], match[2])] = (match[3], match[4])
    return cells


def test_the_documented_table_covers_every_role_and_level() -> None:
    cells = _table()
    roles = ("admin", "editor", "analyst", "partner", "anonymous")
    levels = ("team", "organisation", "partners", "public")
    assert set(cells) == {(r, lv) for r in roles for lv in levels}


def test_the_policy_s_own_table_is_the_documented_one() -> None:
    documented = {k: v for k, v in _table().items() if k[0] != "anonymous"}
    assert documented == policy.TABLE


@pytest.mark.django_db
def test_every_cell_holds_for_records_of_the_user_s_team_and_of_another() -> None:
    own = team_get_or_create(name="Own", slug="own")
    other = team_get_or_create(name="Other", slug="other")
    users: dict[str, Any] = {"anonymous": AnonymousUser()}
    for role in ("admin", "editor", "analyst", "partner"):
        users[role] = User.objects.create(username=role, role=role, team=own)
    checked = 0
    for (role, level), (record, identifying) in _table().items():
        for team, same in ((own, True), (other, False)):
            person = services.person_create(team=team, disclosure=level, name="Canary Name")
            expected_record = record == "yes" or (record == "own team" and same)
            expected_identifying = identifying == "yes" or (identifying == "own team" and same)
            user = users[role]
            assert policy.can_view(user, person) is expected_record, (role, level, same)
            visible = policy.visible(user, Person.objects.filter(pk=person.pk)).exists()
            assert visible is expected_record, (role, level, same)
            fields = policy.redact(user, person)
            assert ("name" in fields) is (expected_record and expected_identifying), (
                role,
                level,
                same,
            )
            checked += 1
    assert checked == 40
