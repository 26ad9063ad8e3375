"""The numbers component: digits, words, vague plurals and qualifiers."""

from __future__ import annotations

import pytest
from fake_gazetteer import GAZETTEER

from refuge.extract.pipeline import build_pipeline


def numbers(text: str) -> list[tuple[int, int | None, int | None, str, str]]:
    nlp, _ = build_pipeline("en", GAZETTEER)
    doc = nlp(text)
    return [
        (n.value, n.min, n.max, n.qualifier, text[n.start : n.end]) for n in doc._.refuge_numbers
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("70 people", (70, 70, 70, "exact", "70")),
        ("1,200 people", (1200, 1200, 1200, "exact", "1,200")),
        ("seventy people", (70, 70, 70, "exact", "seventy")),
        ("twenty-five people", (25, 25, 25, "exact", "twenty-five")),
        ("one hundred and twenty people", (120, 120, 120, "exact", "one hundred and twenty")),
        ("two dozen people", (24, 24, 24, "exact", "two dozen")),
        ("dozens of people", (12, 12, None, "at_least", "dozens")),
        ("hundreds of people", (100, 100, None, "at_least", "hundreds")),
        ("about 60 people", (60, None, None, "approx", "60")),
        ("some 600 people", (600, None, None, "approx", "600")),
        ("more than 500 people", (500, 500, None, "at_least", "500")),
        ("over 500 people", (500, 500, None, "at_least", "500")),
        ("up to 60 people", (60, None, 60, "at_most", "60")),
        ("between 50 and 60 people", (50, 50, 60, "range", "50 and 60")),
        ("50 to 60 people", (50, 50, 60, "range", "50 to 60")),
        ("50-60 people", (50, 50, 60, "range", "50-60")),
    ],
)
def test_it_reads_a_number_with_its_qualifier(text: str, expected: tuple[object, ...]) -> None:
    assert numbers(text)[0] == expected


def test_it_does_not_read_a_lone_article_as_a_number() -> None:
    assert numbers("a source said") == []
