"""Dates anchored on the publication date, never more precise than the text."""

from __future__ import annotations

from datetime import date

import pytest
from fake_gazetteer import GAZETTEER

from refuge.extract.pipeline import build_pipeline


def dates(text: str, published: date | None = date(2017, 7, 26)) -> list[tuple[str, str, str]]:
    nlp, _ = build_pipeline("en", GAZETTEER)
    doc = nlp.make_doc(text)
    doc.user_data["refuge.published"] = published
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return [(d.when.start, d.when.end, d.when.precision) for d in doc._.refuge_dates]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It happened on July 25.", ("2017-07-25", "2017-07-25", "day")),
        ("It happened on October 3.", ("2016-10-03", "2016-10-03", "day")),
        ("It happened in October 2023.", ("2023-10", "2023-10", "month")),
        ("It happened on 9 March 2019.", ("2019-03-09", "2019-03-09", "day")),
        ("It happened in 2019.", ("2019", "2019", "year")),
        ("It happened a month ago.", ("2017-06", "2017-06", "month")),
        ("It happened last year.", ("2016", "2016", "year")),
        ("It happened last month.", ("2017-06", "2017-06", "month")),
        ("It happened last week.", ("2017-07-17", "2017-07-23", "day")),
        ("It happened on the 9th of this month.", ("2017-07-09", "2017-07-09", "day")),
        ("It happened yesterday.", ("2017-07-25", "2017-07-25", "day")),
        ("It happened last Thursday.", ("2017-07-20", "2017-07-20", "day")),
        ("It happened in late October 2023.", ("2023-10", "2023-10", "month")),
    ],
)
def test_it_resolves_a_date_with_its_precision(text: str, expected: tuple[str, str, str]) -> None:
    assert dates(text) == [expected]


def test_may_the_verb_and_march_the_noun_are_not_dates() -> None:
    assert dates("Media reports may intensify the march of events.") == []


def test_relative_dates_stay_unresolved_without_an_anchor() -> None:
    assert dates("It happened a month ago, on July 25.", published=None) == []
    assert dates("It happened on July 25, 2017.", published=None) == [
        ("2017-07-25", "2017-07-25", "day")
    ]
