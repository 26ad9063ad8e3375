"""Index writes: reindexing follows changes, removal, and a rebuild equal to the live index."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from refuge.search import SearchFilters
from refuge.web.search.models import SearchDocument
from refuge.web.search.selectors import search
from refuge.web.search.services import (
    search_index_incident,
    search_index_source,
    search_rebuild,
    search_remove,
)

pytestmark = pytest.mark.django_db


def test_reindexing_a_changed_incident_replaces_its_terms_and_facets(
    make_record: Callable[..., Any], alice: Any
) -> None:
    incident = make_record("Old title", status="arrested")
    incident.title = "Renamed after review"
    incident.status = "released"
    incident.save()
    search_index_incident(incident=incident)
    assert search(user=alice, query="old").total == 0
    assert search(user=alice, query="renamed").total == 1
    facets = search(user=alice).facets
    assert facets["status"] == {"released": 1}
    assert SearchDocument.objects.count() == 1


def test_a_removed_record_is_no_longer_found(make_source: Callable[..., Any], alice: Any) -> None:
    source = make_source("A report about a checkpoint.")
    search_remove(kind="source", object_id=source.pk)
    assert search(user=alice, query="checkpoint").total == 0
    search_index_source(source=source)
    assert search(user=alice, query="checkpoint").total == 1


def test_a_rebuild_gives_the_same_answers_as_the_live_index(
    make_source: Callable[..., Any], make_record: Callable[..., Any], alice: Any
) -> None:
    make_source("탈북민이 강제북송됐다.", language="ko")
    make_source("Testimony text.", content_class="confidential")
    make_record("Arrest", summary="Arrested near the river.", minors=1)

    def answers() -> list[Any]:
        return [
            (r.total, [h.key for h in r.items], r.facets)
            for r in (
                search(user=alice, query="북송"),
                search(user=alice, query="river"),
                search(user=alice, filters=SearchFilters(minors=True)),
                search(user=alice),
            )
        ]

    before = answers()
    SearchDocument.objects.all().delete()
    assert search(user=alice).total == 0
    assert search_rebuild() == 3
    assert answers() == before
