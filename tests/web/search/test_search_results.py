"""Every filter, the sort orders and pagination, on whichever engine runs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from refuge.search import SearchFilters
from refuge.web.search.selectors import search

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(
    make_source: Callable[..., Any], make_record: Callable[..., Any], place: Callable[..., Any]
) -> dict[str, Any]:
    dandong = place("cn-ln-dandong", "Dandong", "CN", "Liaoning")
    hoeryong = place("kp-nh-hoeryong", "Hoeryong", "KP", "North Hamgyong")
    return {
        "tumen_arrest": make_record(
            "Arrest at Tumen",
            summary="Five people arrested at a bus station.",
            status="arrested",
            event_type="arrest",
            day=date(2023, 3, 10),
            facility="Tumen border detention centre",
            minors=2,
            disclosure="public",
        ),
        "dandong_return": make_record(
            "Return through Dandong",
            summary="A family was returned across the bridge.",
            status="repatriated",
            event_type="repatriation",
            day=date(2024, 7, 1),
            where=dandong,
            minors=0,
        ),
        "hoeryong_detention": make_record(
            "Detention in Hoeryong",
            summary="Held after the return.",
            status="detained",
            event_type="detention",
            day=date(2024, 9, 20),
            where=hoeryong,
            disclosure="partners",
        ),
        "wire": make_source(
            "A wire report on families returned in July.",
            outlet="Border Watch Wire",
            reliability="B",
            language="en",
            published=date(2024, 8, 1),
        ),
        "daily": make_source(
            "단둥에서 가족이 강제북송됐다.",
            outlet="Daily Report",
            reliability="C",
            language="ko",
            published=date(2022, 1, 5),
            disclosure="partners",
        ),
    }


def _found(user: Any, world: dict[str, Any], **filters: Any) -> set[str]:
    results = search(user=user, filters=SearchFilters(**filters), per_page=100)
    keys = {hit.key for hit in results.items}
    assert results.total == len(keys)
    return {name for name, obj in world.items() if getattr(obj, "public_id", str(obj.uuid)) in keys}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, {"tumen_arrest", "dandong_return", "hoeryong_detention", "wire", "daily"}),
        ({"kind": "source"}, {"wire", "daily"}),
        ({"kind": "incident"}, {"tumen_arrest", "dandong_return", "hoeryong_detention"}),
        ({"event_type": "repatriation"}, {"dandong_return"}),
        ({"date_from": date(2024, 1, 1)}, {"dandong_return", "hoeryong_detention", "wire"}),
        ({"date_to": date(2023, 12, 31)}, {"tumen_arrest", "daily"}),
        (
            {"date_from": date(2024, 6, 1), "date_to": date(2024, 8, 31)},
            {"dandong_return", "wire"},
        ),
        ({"country": "KP"}, {"hoeryong_detention"}),
        ({"country": "CN"}, {"tumen_arrest", "dandong_return"}),
        ({"admin1": "Liaoning"}, {"dandong_return"}),
        ({"place": "cn-jl-tumen"}, {"tumen_arrest"}),
        ({"facility": "Tumen  border detention centre"}, {"tumen_arrest"}),
        ({"minors": True}, {"tumen_arrest"}),
        ({"minors": False}, {"dandong_return"}),
        ({"status": "detained"}, {"hoeryong_detention"}),
        ({"outlet": "Daily Report"}, {"daily"}),
        ({"reliability": "B"}, {"wire"}),
        ({"level": "partners"}, {"hoeryong_detention", "daily"}),
        ({"language": "ko"}, {"daily"}),
        ({"country": "CN", "minors": True, "status": "arrested"}, {"tumen_arrest"}),
        ({"country": "CN", "status": "detained"}, set()),
    ],
)
def test_each_filter_keeps_exactly_the_matching_records(
    world: dict[str, Any], alice: Any, filters: dict[str, Any], expected: set[str]
) -> None:
    assert _found(alice, world, **filters) == expected


def test_words_and_filters_combine(world: dict[str, Any], alice: Any) -> None:
    results = search(user=alice, query="returned", filters=SearchFilters(kind="source"))
    assert [hit.key for hit in results.items] == [str(world["wire"].uuid)]


def test_facets_count_the_matching_records_by_value(world: dict[str, Any], alice: Any) -> None:
    facets = search(user=alice, filters=SearchFilters(kind="incident")).facets
    assert facets["country"] == {"CN": 2, "KP": 1}
    assert facets["status"] == {"arrested": 1, "detained": 1, "repatriated": 1}
    assert facets["minors"] == {"no": 1, "yes": 1}
    assert "outlet" not in facets


def test_newest_and_oldest_sort_by_the_record_s_day(world: dict[str, Any], alice: Any) -> None:
    newest = [h.day for h in search(user=alice, sort="newest").items]
    oldest = [h.day for h in search(user=alice, sort="oldest").items]
    assert newest == sorted(newest, reverse=True) and oldest == list(reversed(newest))
    assert newest[0] == date(2024, 9, 20)


def test_relevance_puts_the_record_that_says_it_most_first(
    make_source: Callable[..., Any], alice: Any
) -> None:
    once = make_source("Deported once, then nothing else happened that year at all.")
    often = make_source("Deported, deported and deported again: deported four times.")
    results = search(user=alice, query="deported")
    assert [h.key for h in results.items] == [str(often.uuid), str(once.uuid)]
    assert results.items[0].relevance is not None
    assert results.items[0].relevance > results.items[1].relevance  # type: ignore[operator]


def test_pages_cover_every_result_once(make_source: Callable[..., Any], alice: Any) -> None:
    for i in range(23):
        make_source(f"Report number {i} about a transfer.", published=date(2020, 1, 1 + i))
    seen: list[str] = []
    for page in (1, 2, 3):
        results = search(user=alice, query="transfer", page=page, per_page=10)
        assert results.total == 23 and results.pages == 3
        seen += [h.key for h in results.items]
    assert len(seen) == 23 == len(set(seen))
    assert search(user=alice, query="transfer", page=4, per_page=10).items == []


def test_above_the_limits_facets_are_not_counted_and_relevance_gives_way_to_newest(
    world: dict[str, Any], alice: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from refuge.web.search import selectors

    within = search(user=alice, query="returned")
    assert within.facets_counted and within.facets and within.sort == "relevance"
    monkeypatch.setattr(selectors, "FACET_LIMIT", 1)
    monkeypatch.setattr(selectors, "RANK_LIMIT", 1)
    beyond = search(user=alice, query="returned")
    assert beyond.total == within.total == 2
    assert (beyond.facets_counted, beyond.facets, beyond.sort) == (False, {}, "newest")
    assert [h.day for h in beyond.items] == sorted((h.day for h in beyond.items), reverse=True)


@pytest.mark.parametrize("one_in", [1, 10_000])
def test_both_sort_plans_give_the_same_order(
    world: dict[str, Any], alice: Any, monkeypatch: pytest.MonkeyPatch, one_in: int
) -> None:
    from refuge.web.search import selectors

    expected = {
        sort: [h.key for h in search(user=alice, query="returned", sort=sort).items]
        for sort in ("newest", "oldest", "relevance")
    }
    # 1: every match count is "few" (sort the matches); 10,000: never (walk the date index).
    monkeypatch.setattr(selectors, "FEW_MATCHES_ONE_IN", one_in)
    for sort, keys in expected.items():
        assert [h.key for h in search(user=alice, query="returned", sort=sort).items] == keys
    newest = [h.day for h in search(user=alice, sort="newest").items]
    assert newest == sorted(newest, reverse=True)
