from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from refuge.people import read_person_rows_bytes
from refuge.web.incidents.models import Person
from refuge.web.incidents.persons import persons_import, persons_search

pytestmark = pytest.mark.django_db

CSV = (
    "external_id,name,name_ko,sex,birth_year,hometown,notes,disclosure,favourite_colour\n"
    "A-1,Kim Jong-sample,김종샘,F,1991,Hoeryong,met in 2023,team,blue\n"
    "A-2,Ri Sun-sample,리순샘,M,19x1,Musan,,team,\n"
    "A-3,Pak Chol-sample,박철샘,M,1980,Hyesan,,secret,\n"
    "A-4,Choe Yong-sample,최영샘,X,,Sinuiju,,organisation,\n"
).encode("cp949")


def _import(team: Any) -> Any:
    return persons_import(reading=read_person_rows_bytes(CSV, filename="list.csv"), team=team)


def test_an_import_stores_valid_rows_encrypted_and_reports_the_others(team: Any) -> None:
    summary = _import(team)
    assert (summary.imported, summary.updated, summary.skipped) == (2, 0, 2)
    assert [e.row_number for e in summary.errors] == [3, 4]
    assert summary.unknown_columns == ("favourite_colour",)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, name_ko, birth_year, hometown, notes FROM incidents_person")
        for row in cursor.fetchall():
            assert all(v == "" or v.startswith("v1:") for v in row)
    person = Person.objects.get(team=team, external_id="A-1")
    assert (person.name, person.name_ko, person.birth_year) == ("Kim Jong-sample", "김종샘", 1991)


def test_re_importing_updates_instead_of_duplicating(team: Any) -> None:
    _import(team)
    changed = CSV.replace("Hoeryong".encode("cp949"), "Onsong".encode("cp949"))
    summary = persons_import(reading=read_person_rows_bytes(changed, filename="l.csv"), team=team)
    assert (summary.imported, summary.updated) == (0, 1)
    assert Person.objects.count() == 2
    assert Person.objects.get(external_id="A-1").hometown == "Onsong"


def test_an_editor_finds_a_person_by_another_spelling(team: Any, alice: Any) -> None:
    _import(team)
    assert any(c.name == "Kim Jong-sample" for c in persons_search(user=alice, query="김종샘"))
    assert any(
        c.name == "Kim Jong-sample" for c in persons_search(user=alice, query="KIM Jong Sample")
    )


def test_only_editors_search_by_name(team: Any, bob: Any) -> None:
    from refuge.errors import AccessDenied

    with pytest.raises(AccessDenied):
        persons_search(user=bob, query="Kim")


def test_the_web_import_and_search_work_for_an_editor_only(
    client: Client, alice: Any, bob: Any
) -> None:
    client.force_login(bob)
    assert client.get(reverse("persons:search")).status_code == 403
    assert client.get(reverse("persons:import")).status_code == 403
    client.force_login(alice)
    page = client.post(
        reverse("persons:import"), {"file": SimpleUploadedFile("list.csv", CSV)}
    ).content.decode()
    assert "Imported: 2" in page and "Row 3" in page
    found = client.get(reverse("persons:search"), {"q": "Gim Jong-sample"}).content.decode()
    assert "Kim Jong-sample" in found
    bad = client.post(
        reverse("persons:import"), {"file": SimpleUploadedFile("list.csv", b"\x00\x01\x02")}
    )
    assert bad.status_code == 200
    assert 'role="alert"' in bad.content.decode()
