"""The plans the selector chooses between find the same documents, in the same order.

When the planner expects few matches (PostgreSQL), the selector reads them once, sorted,
counting them on the way; otherwise it counts them first, then either sorts them (few) or
walks the date index testing the words row by row (many; on PostgreSQL without the
full-text index). These tests force each plan on whichever engine runs, on texts where a
phrase's bigrams occur apart, reversed or only in part, so that a plan that tested the
terms but not their order would show.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from refuge.search import SearchFilters, query_phrases
from refuge.web.search.backends import (
    document_count,
    estimated_rows,
    matching,
    matching_any_term,
)
from refuge.web.search.models import SearchDocument
from refuge.web.search.selectors import search
from refuge.web.search.services import search_rebuild

pytestmark = pytest.mark.django_db

TEXTS = {
    "ko_in_a_row": "탈북민 일가족이 강제북송됐다.",
    "ko_apart": "강제로 끌려간 제북 지역, 북송 문제.",  # 강제 제북 북송, never in a row
    "ko_reversed": "북송 제북 강제.",
    "ko_part": "제북송 소식.",  # 제북 북송 without 강제
    "zh_in_a_row": "三名脱北者被遣返回朝鲜。",
    "zh_apart": "脱离北方的记者。",  # 脱离 北方 记者: 脱北 and 北者 never occur
    "en_in_a_row": "They spoke of forced return at the border.",
    "en_apart": "Return was forced on them.",
}
QUERIES = {
    "강제북송": {"ko_in_a_row"},
    "제북송": {"ko_in_a_row", "ko_part"},
    "脱北者": {"zh_in_a_row"},
    '"forced return"': {"en_in_a_row"},
    "forced return": {"en_in_a_row", "en_apart"},
}


@pytest.fixture
def crafted(make_source: Callable[..., Any]) -> dict[str, Any]:
    return {
        name: make_source(text, published=date(2024, 1, 1 + i))
        for i, (name, text) in enumerate(TEXTS.items())
    }


def _names(crafted: dict[str, Any], keys: list[str]) -> set[str]:
    by_key = {str(source.uuid): name for name, source in crafted.items()}
    return {by_key[key] for key in keys}


@pytest.mark.parametrize("query", list(QUERIES))
def test_a_phrase_tested_row_by_row_finds_exactly_what_the_index_finds(
    crafted: dict[str, Any], query: str
) -> None:
    phrases = query_phrases(query)
    found = {
        indexed: set(
            matching(SearchDocument.objects.all(), phrases, indexed=indexed).values_list(
                "object_id", flat=True
            )
        )
        for indexed in (True, False)
    }
    expected = {crafted[name].pk for name in QUERIES[query]}
    assert found[True] == found[False] == expected


@pytest.mark.parametrize("query", list(QUERIES))
def test_the_estimate_asks_about_a_superset_of_the_matches(
    crafted: dict[str, Any], query: str
) -> None:
    phrases = query_phrases(query)
    every = SearchDocument.objects.all()
    exact = set(matching(every, phrases).values_list("object_id", flat=True))
    wider = set(matching_any_term(every, phrases).values_list("object_id", flat=True))
    assert exact <= wider
    if query == "강제북송":  # 강제 제북 북송 apart, reversed or in part count here
        assert {crafted[n].pk for n in ("ko_apart", "ko_reversed", "ko_part")} <= wider - exact


# (estimate the selector sees, FEW_MATCHES_ONE_IN): one pass; counted then sorted;
# counted then walked (1: every number of matches is few; 10,000: none is).
PLANS = {"one pass": (0, 20), "sorted": (None, 1), "walked": (None, 10_000)}


def _use_plan(monkeypatch: pytest.MonkeyPatch, plan: str) -> None:
    from refuge.web.search import selectors

    estimate, one_in = PLANS[plan]
    monkeypatch.setattr(selectors, "estimated_rows", lambda queryset: estimate)
    monkeypatch.setattr(selectors, "FEW_MATCHES_ONE_IN", one_in)


def _answers(user: Any, **request: Any) -> list[Any]:
    answers = []
    for page in (1, 2):
        r = search(user=user, page=page, per_page=1, **request)
        answers.append((r.total, [h.key for h in r.items], r.sort, r.facets))
    return answers


@pytest.mark.parametrize("query", list(QUERIES))
@pytest.mark.parametrize("sort", ["newest", "oldest", None])
def test_every_plan_gives_the_same_pages_totals_and_facets(
    crafted: dict[str, Any],
    alice: Any,
    monkeypatch: pytest.MonkeyPatch,
    query: str,
    sort: str | None,
) -> None:
    answers = {}
    for plan in PLANS:
        _use_plan(monkeypatch, plan)
        answers[plan] = _answers(alice, query=query, sort=sort)
    assert answers["one pass"] == answers["sorted"] == answers["walked"]
    keys = [key for _total, page, _sort, _facets in answers["sorted"] for key in page]
    assert _names(crafted, keys) == QUERIES[query]


@pytest.mark.parametrize("rank_limit", [1, 2])
def test_in_one_pass_relevance_still_gives_way_or_ranks_as_the_total_says(
    crafted: dict[str, Any], alice: Any, monkeypatch: pytest.MonkeyPatch, rank_limit: int
) -> None:
    from refuge.web.search import selectors

    # Two matches: above a limit of 1 the day order read in one pass stands; within a
    # limit of 2 the matches are read again, ranked.
    monkeypatch.setattr(selectors, "RANK_LIMIT", rank_limit)
    answers = {}
    for plan in PLANS:
        _use_plan(monkeypatch, plan)
        answers[plan] = _answers(alice, query="forced return")
    assert answers["one pass"] == answers["sorted"] == answers["walked"]
    assert answers["one pass"][0][2] == ("newest" if rank_limit == 1 else "relevance")


@pytest.mark.parametrize("plan", list(PLANS))
def test_a_page_past_the_last_match_is_empty_and_keeps_the_total(
    crafted: dict[str, Any], alice: Any, monkeypatch: pytest.MonkeyPatch, plan: str
) -> None:
    _use_plan(monkeypatch, plan)
    with CaptureQueriesContext(connection) as queries:
        results = search(user=alice, query="forced return", page=3, per_page=1)
    assert (results.total, results.items) == (2, [])
    if plan != "one pass":  # counted first: the page is known to be empty, and not read
        assert not [q for q in queries.captured_queries if "ORDER BY" in q["sql"]]


def test_the_planner_s_estimate_is_a_number_on_postgresql_and_none_on_sqlite(
    crafted: dict[str, Any],
) -> None:
    expected = estimated_rows(SearchDocument.objects.filter(kind="source"))
    if connection.vendor == "sqlite":
        assert expected is None
    else:
        assert isinstance(expected, int) and expected >= 0
    assert estimated_rows(SearchDocument.objects.none()) in (None, 0)
    assert estimated_rows(SearchDocument.objects.filter(pk__in=[])) in (None, 0)


def test_the_count_used_for_plans_matches_the_index_after_a_rebuild(
    crafted: dict[str, Any], alice: Any
) -> None:
    # On PostgreSQL this is the planner's own estimate, made exact by the rebuild's ANALYZE.
    assert search_rebuild() == len(TEXTS)
    assert document_count() == SearchDocument.objects.count() == len(TEXTS)
    assert search(user=alice, filters=SearchFilters(kind="source")).total == len(TEXTS)
