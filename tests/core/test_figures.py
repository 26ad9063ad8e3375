"""The sources' figures, their range and the ACLED-style default best figure (refuge.figures)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refuge.counts import check_count
from refuge.errors import DomainValidationError
from refuge.figures import (
    SourceFigure,
    StatedFigure,
    apply_best,
    is_credible,
    stated_figure,
    summarise,
)


def _figure(key: str, value: object, *, credible: bool = True) -> SourceFigure:
    stated = stated_figure(value)
    assert stated is not None
    return SourceFigure(key, stated, credible)


def test_a_plain_number_and_a_numeric_string_are_exact_figures() -> None:
    assert stated_figure(60) == StatedFigure(60, 60, 60, "exact")
    assert stated_figure(" 60 ") == StatedFigure(60, 60, 60, "exact")


def test_an_extracted_count_keeps_its_qualifier_and_bounds() -> None:
    over = stated_figure({"value": 500, "min": 500, "max": None, "qualifier": "at_least"})
    assert over == StatedFigure(500, 500, None, "at_least")
    assert over.conservative == 500 and over.largest == 500
    between = stated_figure({"value": 55, "min": 50, "max": 60, "qualifier": "range"})
    assert between is not None and (between.conservative, between.largest) == (50, 60)
    about = stated_figure({"value": 600, "min": None, "max": None, "qualifier": "approx"})
    assert about == StatedFigure(600, 600, 600, "approx")
    at_most = stated_figure({"value": 30, "qualifier": "at_most"})
    assert at_most == StatedFigure(30, None, 30, "at_most")
    assert at_most.conservative == 30


@pytest.mark.parametrize(
    "value",
    [None, True, -3, "sixty", "", [60], {"qualifier": "approx"}, {"value": 5, "min": 9}, 6.5],
)
def test_values_that_are_not_counts_are_not_figures(value: object) -> None:
    assert stated_figure(value) is None


@pytest.mark.parametrize(
    ("reliability", "credibility", "credible"),
    [
        ("A", 1, True),
        ("B", 2, True),
        ("C", 3, True),
        ("C", 4, False),  # doubtful
        ("B", 5, False),  # improbable (an official denial, say)
        ("B", 6, False),  # truth cannot be judged
        ("D", 2, False),  # not usually reliable
        ("E", 1, False),
        ("F", 2, False),  # reliability cannot be judged
        ("", 2, False),  # not graded yet
        ("B", None, False),
        (None, None, False),
    ],
)
def test_a_source_is_credible_only_with_a_reliable_grade_and_likely_information(
    reliability: str | None, credibility: int | None, credible: bool
) -> None:
    assert is_credible(reliability, credibility) is credible


def test_the_default_best_is_the_lowest_figure_from_a_credible_source() -> None:
    summary = summarise(
        [
            _figure("about 600", {"value": 600, "qualifier": "approx"}),
            _figure("over 500", {"value": 500, "min": 500, "qualifier": "at_least"}),
            _figure("rumour of 40", 40, credible=False),
            _figure("600여명", 600),
        ]
    )
    assert summary.best == 500
    assert summary.default_key == "over 500"
    assert summary.basis == "credible"
    # The range still holds what the uncredible source said: conflicts are never hidden.
    assert (summary.minimum, summary.maximum) == (40, 600)
    assert summary.conflict is True
    assert summary.count == 4


def test_a_credible_range_contributes_its_lower_bound() -> None:
    summary = summarise(
        [_figure("a", {"value": 55, "min": 50, "max": 60, "qualifier": "range"}), _figure("b", 70)]
    )
    assert (summary.minimum, summary.best, summary.maximum) == (50, 50, 70)


def test_without_a_credible_source_there_is_no_default() -> None:
    summary = summarise([_figure("a", 12, credible=False), _figure("b", 15, credible=False)])
    assert summary.best is None and summary.default_key is None
    assert summary.basis == "none"
    assert (summary.minimum, summary.maximum) == (12, 15)


def test_sources_that_agree_are_no_conflict_and_ties_go_to_the_first_source() -> None:
    summary = summarise([_figure("first", 60), _figure("second", "60")])
    assert summary.conflict is False
    assert summary.default_key == "first"


def test_no_figures_summarise_to_nothing() -> None:
    summary = summarise([])
    assert (summary.minimum, summary.best, summary.maximum, summary.count) == (None, None, None, 0)
    assert summary.conflict is False


figures_strategy = st.lists(
    st.builds(
        SourceFigure,
        key=st.integers(),
        figure=st.integers(min_value=0, max_value=10_000).flatmap(
            lambda low: (
                st.builds(
                    StatedFigure,
                    value=st.integers(min_value=low, max_value=low + 500),
                    low=st.just(low),
                    high=st.none(),
                    qualifier=st.just("at_least"),
                )
                | st.integers(min_value=low, max_value=low + 500).map(
                    lambda high: StatedFigure(low, low, high, "range" if high > low else "exact")
                )
            )
        ),
        credible=st.booleans(),
    ),
    max_size=8,
)


@given(figures_strategy)
def test_the_summary_is_ordered_and_its_best_is_a_credible_source_s_figure(
    figures: list[SourceFigure],
) -> None:
    summary = summarise(figures)
    if not figures:
        return
    assert summary.minimum is not None and summary.maximum is not None
    assert summary.minimum <= summary.maximum
    credible = [f.figure.conservative for f in figures if f.credible]
    if credible:
        assert summary.best == min(credible)
        assert summary.minimum <= summary.best <= summary.maximum
    else:
        assert summary.best is None


def test_choosing_a_higher_best_turns_an_exact_count_into_a_range() -> None:
    assert apply_best(60, 60, 60, "exact", 70) == (60, 70, 70, "range")


def test_choosing_within_the_range_keeps_its_bounds() -> None:
    assert apply_best(500, 600, 600, "range", 500) == (500, 500, 600, "range")


def test_an_open_count_stays_open() -> None:
    assert apply_best(500, 500, None, "at_least", 600) == (500, 600, None, "at_least")


def test_an_upper_bound_count_keeps_no_lower_bound() -> None:
    assert apply_best(None, 50, 50, "at_most", 40) == (None, 40, 50, "at_most")


def test_a_first_figure_on_an_empty_count_is_exact() -> None:
    assert apply_best(None, None, None, "", 12) == (12, 12, 12, "exact")


def test_a_negative_best_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        apply_best(1, 2, 3, "range", -1)


@given(
    st.integers(min_value=0, max_value=1000),
    st.integers(min_value=0, max_value=1000),
    st.integers(min_value=0, max_value=1000),
    st.sampled_from(["exact", "approx", "range", "at_least", "at_most", ""]),
    st.integers(min_value=0, max_value=1000),
)
def test_applying_a_best_always_yields_a_valid_count_that_holds_it(
    a: int, b: int, c: int, qualifier: str, new_best: int
) -> None:
    low, best, high = sorted([a, b, c])
    try:
        check_count(low, best, high, qualifier or None)
    except DomainValidationError:
        return  # only valid stored counts are ever passed in
    if qualifier == "at_least":
        high = None  # type: ignore[assignment]
    out_low, out_best, out_high, out_qualifier = apply_best(low, best, high, qualifier, new_best)
    check_count(out_low, out_best, out_high, out_qualifier)
    assert out_best == new_best
    assert out_low is None or out_low <= min(low, new_best)
    if high is not None and out_high is not None:
        assert out_high >= high
