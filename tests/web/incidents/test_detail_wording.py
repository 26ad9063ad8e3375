"""Dates and places on the record page in words, never more precise than they are known."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from refuge.periods import Period
from refuge.web.incidents.wording import alternatives, period_words


@pytest.mark.parametrize(
    ("period", "words"),
    [
        (None, "date unknown"),
        (Period(date(2024, 1, 1), date(2024, 12, 31), "year"), "2024"),
        (Period(date(2022, 1, 1), date(2024, 12, 31), "year"), "between 2022 and 2024"),
        (Period(date(2024, 4, 1), date(2024, 4, 30), "month"), "April 2024"),
        (Period(date(2024, 4, 1), date(2024, 6, 30), "month"), "between April and June 2024"),
        (
            Period(date(2023, 12, 1), date(2024, 2, 29), "month"),
            "between December 2023 and February 2024",
        ),
        (Period(date(2023, 10, 9), date(2023, 10, 9), "day"), "9 October 2023"),
        (Period(date(2021, 7, 20), date(2021, 7, 25), "day"), "around 20–25 July 2021"),
        (
            Period(date(2021, 6, 30), date(2021, 7, 2), "day"),
            "around 30 June 2021 – 2 July 2021",
        ),
    ],
)
def test_a_period_reads_as_precisely_as_it_is_known(period: Period | None, words: str) -> None:
    with translation.override("en"):
        assert period_words(period) == words


def test_month_names_follow_the_interface_language() -> None:
    with translation.override("ko"):
        assert period_words(Period(date(2024, 4, 1), date(2024, 4, 30), "month")) == "2024년 4월"


@pytest.mark.parametrize(
    ("names", "words"),
    [
        ([], ""),
        (["Tumen"], "Tumen"),
        (["Tumen", "Hunchun"], "Tumen or Hunchun"),
        (["Tumen", "Hunchun", "Helong"], "Tumen, Hunchun or Helong"),
    ],
)
def test_several_places_of_one_event_are_alternatives(names: list[str], words: str) -> None:
    with translation.override("en"):
        assert alternatives(names) == words
