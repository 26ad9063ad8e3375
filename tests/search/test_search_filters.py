"""Search requests are checked when made, with one-line errors that say what to do."""

from __future__ import annotations

from datetime import date

import pytest

from refuge.search import SearchError, SearchFilters, SearchRequest, parse_request


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"event_type": "kidnap"}, "R121"),
        ({"status": "gone"}, "R121"),
        ({"level": "secret"}, "R121"),
        ({"reliability": "G"}, "R121"),
        ({"country": "China"}, "R121"),
        ({"date_from": date(2024, 2, 1), "date_to": date(2024, 1, 1)}, "R122"),
    ],
)
def test_it_refuses_a_filter_outside_its_vocabulary(kwargs: dict[str, object], code: str) -> None:
    with pytest.raises(SearchError) as caught:
        SearchFilters(**kwargs)  # type: ignore[arg-type]
    assert caught.value.code == code


def test_it_refuses_pages_out_of_range_and_overlong_queries() -> None:
    for kwargs, code in (
        ({"page": 0}, "R123"),
        ({"per_page": 101}, "R123"),
        ({"query": "x" * 501}, "R120"),
        ({"sort": "random"}, "R121"),
    ):
        with pytest.raises(SearchError) as caught:
            SearchRequest(**kwargs)  # type: ignore[arg-type]
        assert caught.value.code == code


def test_the_default_sort_is_relevance_with_words_and_newest_without() -> None:
    assert SearchRequest(query="tumen").effective_sort == "relevance"
    assert SearchRequest(query="  ").effective_sort == "newest"


def test_it_reads_a_request_from_query_parameters_ignoring_blank_fields() -> None:
    request = parse_request(
        {
            "q": "북송",
            "country": "cn",
            "minors": "yes",
            "date_from": "2024-01-01",
            "status": "",
            "page": "2",
            "csrfmiddlewaretoken": "x",
        }
    )
    assert request.query == "북송" and request.page == 2
    assert request.filters == SearchFilters(country="CN", minors=True, date_from=date(2024, 1, 1))


def test_it_reports_a_malformed_day_or_page() -> None:
    with pytest.raises(SearchError, match="YYYY-MM-DD"):
        parse_request({"date_to": "May 2024"})
    with pytest.raises(SearchError, match="whole number"):
        parse_request({"page": "two"})
