"""Search never shows, counts or hints at what a user may not see, and never indexes secrets.

Canaries: a word planted in a record a user may not see, searched as that user, must give
a total of 0 and no facet; a word of a confidential text or a person's identifying field
must be absent from the index itself, read raw from the engine's own structures.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from refuge.search import SearchFilters, index_terms
from refuge.web.search.selectors import search
from refuge.web.search.services import search_index_incident

pytestmark = pytest.mark.django_db

CANARY = "zqxcanary"
KOREAN_CANARY = "빨강고양이"  # its bigrams (빨강, 강고, 고양, 양이) must not be indexed


def test_nobody_sees_a_team_record_outside_the_team_not_even_as_a_count(
    make_source: Callable[..., Any],
    make_record: Callable[..., Any],
    place: Callable[..., Any],
    alice: Any,
    bob: Any,
    carol: Any,
    erin: Any,
    dave: Any,
) -> None:
    hidden_place = place("kp-np-sinuiju", "Sinuiju", "KP", "North Pyongan")
    make_source(f"A team note on {CANARY}.", disclosure="team", outlet="Secret Outlet")
    make_record(f"{CANARY} incident", disclosure="team", where=hidden_place)
    assert search(user=alice, query=CANARY).total == 2  # the team's own editor
    for user in (bob, carol, erin, dave, None):
        results = search(user=user, query=CANARY)
        assert (results.total, results.items, results.facets) == (0, [], {})
        # Filters alone must not reveal the hidden records' facet values either.
        everything = search(user=user)
        assert "KP" not in everything.facets.get("country", {})
        assert "Secret Outlet" not in everything.facets.get("outlet", {})
        assert search(user=user, filters=SearchFilters(country="KP")).total == 0


def test_a_partner_sees_partner_level_records_but_not_organisation_ones(
    make_record: Callable[..., Any], bob: Any, carol: Any
) -> None:
    shared = make_record("Shared with partners", summary=f"{CANARY} shared", disclosure="partners")
    make_record("Inside the organisation", summary=f"{CANARY} internal", disclosure="organisation")
    assert search(user=bob, query=CANARY).total == 2  # an analyst reads organisation level
    results = search(user=carol, query=CANARY)
    assert results.total == 1 and [h.key for h in results.items] == [shared.public_id]
    assert results.facets["level"] == {"partners": 1}


def test_confidential_text_is_never_indexed_nor_found_by_anyone(
    make_source: Callable[..., Any],
    alice: Any,
    root: Any,
    raw_index_words: Callable[[], set[str]],
    raw_document_text: Callable[[], str],
) -> None:
    secret = make_source(
        f"Testimony: {CANARY} crossed at night. {KOREAN_CANARY}",
        title=f"Interview {CANARY}",
        content_class="confidential",
        disclosure="organisation",
    )
    make_source("A published report on a crossing at night.")  # the index is not empty
    for user in (alice, root):
        assert search(user=user, query=CANARY).total == 0
        assert search(user=user, query=KOREAN_CANARY).total == 0
    words = raw_index_words()
    assert "crossing" in words  # the raw read sees what is indexed ...
    assert CANARY not in words  # ... and the confidential words are not there
    assert not set(index_terms(KOREAN_CANARY)) & words
    stored = raw_document_text()
    assert CANARY not in stored and "고양" not in stored
    # Editors still list it by its non-identifying facets, with no title and no snippet.
    listed = search(user=alice, filters=SearchFilters(kind="source", reliability="B"))
    (hit,) = [h for h in listed.items if h.key == str(secret.uuid)]
    assert hit.title == "" and hit.snippet is None


def test_a_person_s_identifying_fields_are_never_indexed_with_their_incident(
    make_record: Callable[..., Any],
    alice: Any,
    raw_index_words: Callable[[], set[str]],
    raw_document_text: Callable[[], str],
) -> None:
    from refuge.web.incidents import services

    incident = make_record("Arrest of a family", summary="A family was arrested.")
    person = services.person_create(
        team=incident.team,
        name=f"Kim {CANARY}",
        name_ko=KOREAN_CANARY,
        hometown="Hyesanzq",
        notes=f"{CANARY} notes",
    )
    services.victimhood_create(person=person, incident=incident)
    search_index_incident(incident=incident)
    assert search(user=alice, query="family").total == 1
    assert search(user=alice, query=CANARY).total == 0
    words = raw_index_words()
    assert "family" in words
    assert CANARY not in words and "hyesanzq" not in words
    assert not set(index_terms(KOREAN_CANARY)) & words
    assert CANARY not in raw_document_text()


def test_a_snippet_comes_only_from_text_the_user_may_see(
    make_source: Callable[..., Any], make_record: Callable[..., Any], bob: Any
) -> None:
    make_source("Published wording about the bridge.")
    make_record("Bridge incident", summary="Summary mentioning the bridge.")
    results = search(user=bob, query="bridge")
    texts = {h.kind: h.snippet.text for h in results.items if h.snippet}
    assert texts == {
        "source": "Published wording about the bridge.",
        "incident": "Summary mentioning the bridge.",
    }


def test_a_record_whose_index_entry_is_stale_is_not_shown(
    make_record: Callable[..., Any], bob: Any
) -> None:
    incident = make_record("Soon restricted", summary=f"{CANARY} text", disclosure="organisation")
    incident.disclosure = "team"
    incident.save()  # the caller forgot to reindex: the real record still decides
    assert search(user=bob, query=CANARY).items == []
    search_index_incident(incident=incident)
    assert search(user=bob, query=CANARY).total == 0
