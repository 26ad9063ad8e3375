from __future__ import annotations

from datetime import date

import pytest

from refuge.counts import check_count
from refuge.errors import DomainValidationError
from refuge.periods import Period, check_period, enclosing, parse_prefix, period_from_prefixes


def test_a_month_prefix_covers_the_whole_month() -> None:
    assert parse_prefix("2024-02") == (date(2024, 2, 1), date(2024, 2, 29), "month")
    assert parse_prefix("2017") == (date(2017, 1, 1), date(2017, 12, 31), "year")
    assert parse_prefix("2017-07-25") == (date(2017, 7, 25), date(2017, 7, 25), "day")


def test_a_period_is_rendered_no_more_precisely_than_it_is_known() -> None:
    period = period_from_prefixes("2017-06", "2017-07")
    assert period.render() == "2017-06 – 2017-07"
    assert Period(date(2017, 6, 1), date(2017, 6, 30), "month").render() == "2017-06"


def test_mixed_precisions_fall_back_to_the_coarser_one() -> None:
    period = period_from_prefixes("2017-06-12", "2017-07")
    assert period.precision == "month"
    assert (period.start, period.end) == (date(2017, 6, 1), date(2017, 7, 31))


def test_the_enclosing_period_spans_all_and_keeps_the_coarsest_precision() -> None:
    a = period_from_prefixes("2024-04-02")
    b = period_from_prefixes("2024-05")
    assert enclosing([a, b]) == Period(date(2024, 4, 2), date(2024, 5, 31), "month")
    assert enclosing([]) is None


@pytest.mark.parametrize("text", ["2017-13", "17-06", "2017-02-30", "June 2017", ""])
def test_malformed_or_impossible_dates_are_refused(text: str) -> None:
    with pytest.raises(DomainValidationError):
        parse_prefix(text)


def test_an_end_before_the_start_is_refused() -> None:
    with pytest.raises(DomainValidationError, match="before the start") as info:
        check_period(date(2024, 5, 2), date(2024, 5, 1), "day")
    assert info.value.code == "R053"


def test_a_precision_must_match_the_bounds() -> None:
    # "month" claims the whole month is meant: 12..30 June is more precise than that.
    with pytest.raises(DomainValidationError, match="first to the last day"):
        check_period(date(2024, 6, 12), date(2024, 6, 30), "month")
    with pytest.raises(DomainValidationError, match="1 January"):
        check_period(date(2024, 3, 1), date(2024, 12, 31), "year")
    with pytest.raises(DomainValidationError, match="day, month or year"):
        check_period(date(2024, 3, 1), date(2024, 3, 1), "week")
    with pytest.raises(DomainValidationError, match="both"):
        check_period(date(2024, 3, 1), None, "day")
    with pytest.raises(DomainValidationError, match="without a date"):
        check_period(None, None, "day")
    check_period(None, None, None)
    check_period(date(2024, 1, 1), date(2025, 12, 31), "year")


def test_counts_must_be_ordered_min_best_max() -> None:
    check_count(50, 55, 60, "range")
    with pytest.raises(DomainValidationError, match="min <= best <= max"):
        check_count(60, 55, 70, "range")
    with pytest.raises(DomainValidationError, match="min <= best <= max"):
        check_count(None, 80, 70, "approx")
    with pytest.raises(DomainValidationError, match="negative"):
        check_count(-1, None, None, "at_least")


def test_a_count_qualifier_must_fit_its_figures() -> None:
    check_count(500, 500, None, "at_least")
    check_count(None, None, None, None)
    with pytest.raises(DomainValidationError, match="one value"):
        check_count(60, 60, 70, "exact")
    with pytest.raises(DomainValidationError, match="distinct min and max"):
        check_count(60, 60, 60, "range")
    with pytest.raises(DomainValidationError, match="needs a qualifier"):
        check_count(60, 60, 60, None)
    with pytest.raises(DomainValidationError, match="unknown count qualifier"):
        check_count(60, 60, 60, "roughly")
