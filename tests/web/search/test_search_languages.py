"""Korean, Chinese and English words find their documents, on whichever engine runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from refuge.web.search.selectors import search

pytestmark = pytest.mark.django_db

KOREAN = "탈북민 일가족 5명이 중국 공안에 체포되어 강제북송됐다고 단체가 밝혔다."
KOREAN_OTHER = "북한 인권 단체가 서울에서 기자회견을 열었다."
CHINESE = "据报道，三名脱北者在图们被公安抓获后被遣返回朝鲜。"
ENGLISH = "Three North Koreans were arrested near Tumen and returned across the river."


@pytest.fixture
def corpus(make_source: Callable[..., Any]) -> dict[str, Any]:
    return {
        "ko": make_source(KOREAN, language="ko"),
        "ko_other": make_source(KOREAN_OTHER, language="ko"),
        "zh": make_source(CHINESE, language="zh"),
        "en": make_source(ENGLISH, language="en"),
    }


def _keys(user: Any, query: str) -> set[str]:
    return {hit.key for hit in search(user=user, query=query).items}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("북송", {"ko"}),  # inside 강제북송됐다: a word tokenizer would index the whole run
        ("체포", {"ko"}),  # inside 체포되어
        ("강제북송", {"ko"}),
        ("단체가", {"ko", "ko_other"}),
        ("遣返", {"zh"}),  # inside 被遣返回朝鲜
        ("脱北者", {"zh"}),
        ("arrested", {"en"}),
        ("ARRESTED tumen", {"en"}),
        ("Tumen 图们", set()),  # every phrase must match, and no document has both
    ],
)
def test_it_finds_each_document_by_a_term_inside_its_text(
    corpus: dict[str, Any], alice: Any, query: str, expected: set[str]
) -> None:
    assert _keys(alice, query) == {str(corpus[name].uuid) for name in expected}


def test_a_korean_phrase_needs_its_syllables_in_a_row(corpus: dict[str, Any], alice: Any) -> None:
    # 북강 shares both syllables with 강제북송 but never occurs: bigrams must be adjacent.
    assert _keys(alice, "송북") == set()
    assert _keys(alice, "제북송") == {str(corpus["ko"].uuid)}


def test_it_marks_the_matched_korean_term_in_a_snippet_of_the_text(
    corpus: dict[str, Any], alice: Any
) -> None:
    (hit,) = search(user=alice, query="북송").items
    assert hit.snippet is not None
    marked = [hit.snippet.text[a:b] for a, b in hit.snippet.marks]
    assert marked == ["북송"]
    assert hit.title.startswith("탈북민")


def test_a_query_of_punctuation_only_finds_nothing(corpus: dict[str, Any], alice: Any) -> None:
    results = search(user=alice, query="?!,")
    assert results.total == 0 and results.items == []
