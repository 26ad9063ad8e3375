"""Search fixtures: records made through the real services, then indexed.

The same tests run on SQLite and on PostgreSQL (the project runs the suite once on each);
nothing here depends on the engine except ``raw_index_words``, which reads the engine's
own index structure to prove what is and is not in it.

Personas come from tests/conftest.py (alice editor, bob analyst, carol partner, dave no
role, root superuser, all but carol and root in the "docs" team); added here:
- erin: editor of the partner team, to show that team-level records stay in their team.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection

from refuge.web.search.services import search_index_incident, search_index_source


@pytest.fixture
def erin(db: Any) -> Any:
    from refuge.web.accounts.models import User
    from refuge.web.accounts.services import team_get_or_create

    user = User(
        username="erin", role="editor", team=team_get_or_create(name="Partner NGO", slug="partner")
    )
    user.set_password("correct horse battery staple")
    user.save()
    return user


@pytest.fixture
def make_source(team: Any) -> Callable[..., Any]:
    from refuge.web.sources.services import TextSourceInput, source_create_from_text

    def build(
        text: str,
        *,
        title: str = "",
        disclosure: str = "organisation",
        content_class: str = "published",
        outlet: str = "Border Watch Wire",
        published: date | None = date(2024, 5, 3),
        language: str = "en",
        reliability: str = "B",
        owner: Any = None,
    ) -> Any:
        source, created = source_create_from_text(
            data=TextSourceInput(
                text=text,
                title=title or text[:40],
                outlet=outlet,
                published=published,
                language=language,
                reliability=reliability,
                content_class=content_class,
                disclosure=disclosure,
            ),
            team=owner or team,
        )
        assert created, "each test source needs its own text"
        search_index_source(source=source)
        return source

    return build


@pytest.fixture
def place() -> Callable[..., Any]:
    from refuge.web.incidents.models import Place

    def build(gazetteer_id: str, name: str, country: str, admin1: str, **names: str) -> Any:
        found, _ = Place.objects.get_or_create(
            gazetteer_id=gazetteer_id,
            defaults={
                "name": name,
                "kind": "city",
                "precision": "city",
                "country": country,
                "admin1": admin1,
                **names,
            },
        )
        return found

    return build


@pytest.fixture
def make_record(team: Any, place: Callable[..., Any]) -> Callable[..., Any]:
    """An incident with one event and one victim group, through the services, indexed."""
    from refuge.web.incidents import services

    def build(
        title: str,
        *,
        summary: str = "",
        disclosure: str = "organisation",
        status: str = "repatriated",
        event_type: str = "arrest",
        day: date | None = date(2024, 4, 1),
        where: Any = None,
        facility: str = "",
        minors: int | None = None,
        owner: Any = None,
    ) -> Any:
        incident = services.incident_create(
            title=title,
            team=owner or team,
            summary=summary,
            status=status,
            disclosure=disclosure,
        )
        services.event_create(
            incident=incident,
            order=1,
            type=event_type,
            date_start=day,
            date_end=day,
            date_precision="day" if day else "",
            places=[where or place("cn-jl-tumen", "Tumen", "CN", "Jilin", name_ko="투먼")],
            place_precision="city",
            facility=facility,
        )
        services.victim_group_create(
            incident=incident, nationality="KP", description="North Koreans", minors=minors
        )
        search_index_incident(incident=incident)
        return incident

    return build


def _raw_index_words() -> set[str]:
    """Every word the engine's full-text index holds, read from the index itself."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocab "
                "USING fts5vocab(main, search_fts, row)"
            )
            cursor.execute("SELECT term FROM temp.search_vocab")
        else:
            cursor.execute("SELECT word FROM ts_stat('SELECT tsv FROM search_searchdocument')")
        return {row[0] for row in cursor.fetchall()}


def _raw_document_text() -> str:
    """Every column of every index row, as one string (what a copy of the table holds)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM search_searchdocument")
        rows = cursor.fetchall()
        cursor.execute("SELECT name, value FROM search_searchfacet")
        rows += cursor.fetchall()
    return "\n".join(" ".join(str(v) for v in row) for row in rows)


@pytest.fixture
def raw_index_words(db: Any) -> Callable[[], set[str]]:
    return _raw_index_words


@pytest.fixture
def raw_document_text(db: Any) -> Callable[[], str]:
    return _raw_document_text
