"""Victim counts: groups, parts, nationality, aggregates."""

from __future__ import annotations

from fake_gazetteer import GAZETTEER

from refuge.extract.pipeline import build_pipeline


def counts(text: str) -> list[tuple[int, str, str | None, bool]]:
    nlp, _ = build_pipeline("en", GAZETTEER)
    doc = nlp(text)
    return [(c.value, c.category, c.nationality, c.aggregate) for c in doc._.refuge_counts]


def test_it_attaches_a_number_to_its_group_and_nationality() -> None:
    assert counts("70 North Korean defectors were detained.") == [(70, "total", "KP", False)]


def test_it_sorts_parts_into_adults_minors_women_and_men() -> None:
    found = counts("There were 50 adults, 20 children, 12 women and 3 men.")
    assert [(v, c) for v, c, _, _ in found] == [
        (50, "adults"),
        (20, "minors"),
        (12, "women"),
        (3, "men"),
    ]


def test_a_modifier_makes_a_group_minors() -> None:
    assert counts("20 underaged individuals were held.")[0][1] == "minors"
    assert counts("five teenage girls were held.")[0][1] == "minors"


def test_it_counts_one_named_person() -> None:
    assert counts("A North Korean woman was arrested.") == [(1, "women", "KP", False)]


def test_it_marks_an_aggregate_statistic() -> None:
    assert counts("More than 670 North Koreans have been repatriated since 2020.")[0][3]
    assert counts("About 1,000 defectors arrive every year.")[0][3]
    assert not counts("About 60 North Koreans were repatriated last week.")[0][3]


def test_years_and_identifiers_are_not_counts() -> None:
    assert counts("In 2019 North Koreans were arrested under Article 3 refugees.") == []


def test_it_reads_a_bare_total_of_a_group() -> None:
    assert counts("The group numbered eight.")[0][:2] == (8, "total")
