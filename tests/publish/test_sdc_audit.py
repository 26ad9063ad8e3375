"""The linear-programming disclosure audit (refuge.publish.sdc_audit) on crafted tables.

The brute-force check at the end enumerates every whole-number table an outsider could
believe in and compares its extremes with the audit's bounds: the audit is exact, neither
looser (unsafe) nor tighter (needless suppression), on tables of the shape Refuge publishes.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from publishkit import one_way, total

from refuge.errors import PublicationError
from refuge.publish.records import PublishedTable
from refuge.publish.sdc_audit import (
    AuditFinding,
    audit_tables,
    cell_bounds,
    check_tables,
    check_threshold,
)


def _reasons(findings: list[AuditFinding]) -> set[tuple[str, tuple[str, ...], str]]:
    return {(f.table, f.categories, f.reason) for f in findings}


def test_a_cell_withheld_alone_beside_its_total_is_pinned() -> None:
    tables = [
        total(23),
        one_way("by_sex", "sex", {"women": None, "men": 20, "unknown": 0}),
    ]
    (bounds,) = cell_bounds(tables)
    assert (bounds.low, bounds.high) == (3, 3)
    assert _reasons(audit_tables(tables, 5)) == {("by_sex", ("women",), "narrow_interval")}


def test_two_small_cells_withheld_together_are_still_known_to_be_small() -> None:
    tables = [total(22), one_way("by_sex", "sex", {"women": None, "men": None, "unknown": 20})]
    findings = audit_tables(tables, 5)
    assert {(f.categories, f.low, f.high) for f in findings} == {
        (("women",), 0, 2),
        (("men",), 0, 2),
    }


def test_withheld_cells_hiding_at_least_k_people_pass() -> None:
    tables = [total(25), one_way("by_sex", "sex", {"women": None, "men": None, "unknown": 20})]
    assert audit_tables(tables, 5) == []
    assert audit_tables(tables, 6) != []  # the same tables fail a stricter threshold


def test_a_published_count_below_the_threshold_is_a_finding() -> None:
    tables = [total(23), one_way("by_sex", "sex", {"women": 3, "men": 20, "unknown": 0})]
    assert _reasons(audit_tables(tables, 5)) == {
        ("by_sex", ("women",), "published_below_threshold")
    }
    assert audit_tables(tables, 3) == []


def test_tables_are_audited_together_not_one_by_one() -> None:
    by_sex = one_way("by_sex", "sex", {"women": None, "men": 20, "unknown": 0})
    by_age = one_way("by_age_group", "age_group", {"adults": 19, "minors": 0, "unknown": 4})
    # by_sex alone hides women (no total is published) ...
    assert audit_tables([by_sex], 5) == []
    # ... but by_age_group adds up to 23 people, so women = 23 - 20 - 0 = 3.
    findings = audit_tables([by_sex, by_age], 5)
    assert ("by_sex", ("women",), "narrow_interval") in _reasons(findings)


def test_a_withheld_total_is_pinned_by_any_fully_published_table() -> None:
    tables = [total(None), one_way("by_month", "month", {"2024-01": 6, "2024-02": 9})]
    (bounds,) = cell_bounds(tables)
    assert (bounds.low, bounds.high) == (15, 15)


def test_an_unknown_that_no_published_sum_bounds_stays_unbounded() -> None:
    # Only the total is published; the province x month component's grand total is N, so
    # each cell is 0..N; withholding N too leaves them unbounded.
    two_way = PublishedTable(
        "pm", ("province", "month"), ((("Jilin", "Jan"), None), (("Yunnan", "Jan"), None)), 5
    )
    bounds = {b.categories: (b.low, b.high) for b in cell_bounds([two_way, total(12)])}
    assert bounds == {("Jilin", "Jan"): (0, 12), ("Yunnan", "Jan"): (0, 12)}
    bounds = {b.categories: (b.low, b.high) for b in cell_bounds([two_way, total(None)])}
    assert bounds[("Jilin", "Jan")] == (0, None)


def test_everything_withheld_leaves_nothing_to_derive() -> None:
    tables = [total(None), one_way("by_sex", "sex", {"women": None, "men": None})]
    assert all(b.high is None and b.low == 0 for b in cell_bounds(tables))
    assert audit_tables(tables, 5) == []


def _two_way(
    cells: dict[tuple[str, str], int | None], margins: dict[tuple[str, str], int | None]
) -> PublishedTable:
    rows = tuple(cells.items()) + tuple(margins.items())
    return PublishedTable("by_province_month", ("province", "month"), rows, 5)


def test_a_two_way_cell_is_pinned_through_its_row_and_column() -> None:
    # Jilin/Jan withheld alone: its row margin gives it away.
    table = _two_way(
        {("Jilin", "Jan"): None, ("Jilin", "Feb"): 10, ("Yunnan", "Jan"): 8, ("Yunnan", "Feb"): 9},
        {
            ("Jilin", "*"): 12,
            ("Yunnan", "*"): 17,
            ("*", "Jan"): 10,
            ("*", "Feb"): 19,
            ("*", "*"): 29,
        },
    )
    assert _reasons(audit_tables([table], 5)) == {
        ("by_province_month", ("Jilin", "Jan"), "narrow_interval")
    }
    # Withholding the whole rectangle moves people around it: Jilin/Jan can be 0..10.
    rectangle = _two_way(
        {
            ("Jilin", "Jan"): None,
            ("Jilin", "Feb"): None,
            ("Yunnan", "Jan"): None,
            ("Yunnan", "Feb"): None,
        },
        {
            ("Jilin", "*"): 12,
            ("Yunnan", "*"): 17,
            ("*", "Jan"): 10,
            ("*", "Feb"): 19,
            ("*", "*"): 29,
        },
    )
    bounds = {b.categories: (b.low, b.high) for b in cell_bounds([rectangle])}
    assert bounds[("Jilin", "Jan")] == (0, 10)
    assert audit_tables([rectangle], 5) == []


def test_a_margin_published_in_one_table_pins_it_in_another() -> None:
    by_province = one_way("by_province", "province", {"Jilin": None, "Yunnan": None})
    two_way = _two_way(
        {("Jilin", "Jan"): 1, ("Yunnan", "Jan"): 7},
        {("Jilin", "*"): 1, ("Yunnan", "*"): 7},
    )
    findings = _reasons(audit_tables([by_province, two_way], 5))
    assert ("by_province", ("Jilin",), "narrow_interval") in findings


def test_a_combination_a_table_does_not_list_counts_as_a_published_zero() -> None:
    # Only Jilin/Jan is listed for Jilin: the unlisted Jilin/Feb is read as 0, so the
    # withheld Jilin/Jan must be the whole Jilin margin.
    table = _two_way(
        {("Jilin", "Jan"): None, ("Yunnan", "Jan"): 8, ("Yunnan", "Feb"): 9},
        {("Jilin", "*"): 3},
    )
    (bounds,) = cell_bounds([table])
    assert (bounds.low, bounds.high) == (3, 3)


def test_contradicting_tables_are_reported_as_inconsistent() -> None:
    tables = [total(10), one_way("by_sex", "sex", {"women": 6, "men": 6})]
    assert _reasons(audit_tables(tables, 5)) == {("", (), "inconsistent")}
    with pytest.raises(PublicationError, match=r"R153.*contradict"):
        check_tables(tables, 5)


def test_check_tables_names_what_fails() -> None:
    tables = [total(23), one_way("by_sex", "sex", {"women": None, "men": 20, "unknown": 0})]
    with pytest.raises(PublicationError, match=r"R153.*by_sex\[women\].*3\.\.3"):
        check_tables(tables, 5)
    check_tables([total(23)], 5)


@pytest.mark.parametrize("k", [0, -1, 2.5, True, "5"])
def test_the_threshold_must_be_a_whole_number_of_at_least_one(k: object) -> None:
    with pytest.raises(PublicationError, match="R152"):
        check_threshold(k)  # type: ignore[arg-type]


def test_malformed_tables_are_refused() -> None:
    with pytest.raises(PublicationError, match=r"R151.*wrong length"):
        audit_tables([PublishedTable("t", ("a",), ((("x", "y"), 3),), 5)], 5)
    with pytest.raises(PublicationError, match=r"R151.*not a count"):
        audit_tables([PublishedTable("t", ("a",), ((("x",), -3),), 5)], 5)


def test_three_linked_dimensions_are_audited_over_whole_numbers() -> None:
    # (a, b) and (b, c) tables link a, b and c: the audit solves the integer programme.
    ab = PublishedTable(
        "ab",
        ("a", "b"),
        ((("1", "x"), None), (("1", "y"), 6), (("2", "x"), None), (("2", "y"), 9)),
        5,
    )
    bc = PublishedTable("bc", ("b", "c"), ((("x", "p"), 3), (("x", "q"), 4), (("y", "p"), 15)), 5)
    bounds = {b.categories: (b.low, b.high) for b in cell_bounds([ab, bc])}
    assert bounds == {("1", "x"): (0, 7), ("2", "x"): (0, 7)}


# --- the audit is exact: brute force over every table an outsider could believe in --------


@st.composite
def _small_two_way(draw: st.DrawFn) -> tuple[list[list[int]], list[PublishedTable]]:
    rows = draw(st.integers(1, 2))
    cols = draw(st.integers(1, 3))
    cells = [[draw(st.integers(0, 4)) for _ in range(cols)] for _ in range(rows)]
    hide = st.booleans()
    inner = []
    for i, j in itertools.product(range(rows), range(cols)):
        inner.append(((f"p{i}", f"m{j}"), None if draw(hide) else cells[i][j]))
    margins = []
    for i in range(rows):
        margins.append(((f"p{i}", "*"), None if draw(hide) else sum(cells[i])))
    for j in range(cols):
        margins.append((("*", f"m{j}"), None if draw(hide) else sum(r[j] for r in cells)))
    grand = sum(map(sum, cells))
    table = PublishedTable("pm", ("province", "month"), tuple(inner + margins), 5)
    return cells, [table, total(grand)]


def _compositions(total: int, parts: int) -> Iterator[tuple[int, ...]]:
    """Every way of writing ``total`` as an ordered sum of ``parts`` whole numbers >= 0."""
    if parts == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in _compositions(total - first, parts - 1):
            yield (first, *rest)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_small_two_way())
def test_the_audit_bounds_equal_the_extremes_over_every_whole_number_table(
    drawn: tuple[list[list[int]], list[PublishedTable]],
) -> None:
    cells, tables = drawn
    rows, cols = len(cells), len(cells[0])
    grand = sum(map(sum, cells))
    published = {key: value for key, value in tables[0].rows if value is not None}
    withheld = [key for key, value in tables[0].rows if value is None]

    def value_of(candidate: tuple[int, ...], key: tuple[str, ...]) -> int:
        grid = [candidate[i * cols : (i + 1) * cols] for i in range(rows)]
        p, m = key
        return sum(
            grid[i][j]
            for i in range(rows)
            for j in range(cols)
            if p in ("*", f"p{i}") and m in ("*", f"m{j}")
        )

    extremes: dict[tuple[str, ...], list[int]] = {}
    for candidate in _compositions(grand, rows * cols):
        if all(value_of(candidate, key) == value for key, value in published.items()):
            for key in withheld:
                v = value_of(candidate, key)
                low, high = extremes.setdefault(key, [v, v])
                extremes[key] = [min(low, v), max(high, v)]
    bounds = {b.categories: [b.low, b.high] for b in cell_bounds(tables)}
    assert bounds == extremes
