"""The aggregate tables and their suppression (refuge.publish.sdc).

Synthetic inputs for the property tests come from ``publishkit.aggregate_inputs``: 0–25
released incidents over three months (plus unknown), three provinces (plus unknown), two
facilities (plus none), with each figure 0–30 or missing (minors and men 0–6, so that small
cells are common).
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from publishkit import aggregate_inputs

from refuge.errors import PublicationError
from refuge.publish.records import AggregateInput, PublishedTable
from refuge.publish.sdc import TABLE_LAYOUT, aggregate_month, build_tables
from refuge.publish.sdc_audit import audit_tables, cell_bounds


def _row(
    public_id: str,
    month: str,
    province: str,
    total: int | None,
    *,
    facility: str = "",
    adults: int | None = None,
    minors: int | None = None,
    women: int | None = None,
    men: int | None = None,
) -> AggregateInput:
    return AggregateInput(
        public_id, month, "CN", province, facility, total, adults, minors, women, men
    )


def _by_name(tables: list[PublishedTable]) -> dict[str, PublishedTable]:
    return {t.name: t for t in tables}


def _truth(tables_k1: list[PublishedTable]) -> dict[tuple[str, tuple[str, ...]], int]:
    """Every cell's true value: the tables at k=1 withhold nothing."""
    return {(t.name, key): v for t in tables_k1 for key, v in t.rows if v is not None}


# Three provinces over three months; Yunnan in February holds 3 people (a small cell).
CRAFTED = [
    _row("a", "2024-01", "Jilin", 20),
    _row("b", "2024-02", "Jilin", 12),
    _row("c", "2024-03", "Jilin", 9),
    _row("d", "2024-01", "Liaoning", 11),
    _row("e", "2024-02", "Liaoning", 14),
    _row("f", "2024-03", "Liaoning", 8),
    _row("g", "2024-01", "Yunnan", 7),
    _row("h", "2024-02", "Yunnan", 3),
    _row("i", "2024-03", "Yunnan", 10),
]


def test_aggregate_month_is_the_month_only_when_the_period_is_within_one() -> None:
    assert aggregate_month(date(2024, 4, 3), date(2024, 4, 9), "day") == "2024-04"
    assert aggregate_month(date(2024, 4, 1), date(2024, 4, 30), "month") == "2024-04"
    assert aggregate_month(date(2024, 4, 30), date(2024, 5, 1), "day") == ""
    assert aggregate_month(date(2024, 1, 1), date(2024, 12, 31), "year") == ""
    assert aggregate_month(None, None, "") == ""
    assert aggregate_month(date(2024, 4, 3), None, "day") == "2024-04"


def test_the_tables_are_those_of_the_layout_with_the_true_counts_at_k_1() -> None:
    tables = _by_name(build_tables(CRAFTED, k=1))
    assert [(t.name, t.dimensions) for t in tables.values()] == list(TABLE_LAYOUT)
    assert tables["total"].value() == 94
    assert tables["by_month"].rows == (
        (("2024-01",), 38),
        (("2024-02",), 29),
        (("2024-03",), 27),
    )
    assert tables["by_province"].value("Yunnan") == 20
    assert tables["by_province_month"].value("Yunnan", "2024-02") == 3
    assert tables["by_province_month"].value("Yunnan", "*") == 20
    assert tables["by_province_month"].value("*", "2024-02") == 29
    assert tables["by_province_month"].value("*", "*") == 94
    assert tables["by_facility"].rows == ((("unknown",), 94),)
    assert tables["by_age_group"].rows == (
        (("adults",), 0),
        (("minors",), 0),
        (("unknown",), 94),
    )


def test_naive_primary_suppression_fails_the_audit_and_complementary_suppression_passes() -> None:
    true = build_tables(CRAFTED, k=1)
    # Withhold only the small cell, as a naive publisher would.
    naive = [
        PublishedTable(
            t.name,
            t.dimensions,
            tuple((key, None if v is not None and 0 < v < 5 else v) for key, v in t.rows),
            5,
        )
        for t in true
    ]
    findings = audit_tables(naive, 5)
    assert [(f.table, f.categories, f.low, f.high) for f in findings] == [
        ("by_province_month", ("Yunnan", "2024-02"), 3, 3)
    ]
    protected = build_tables(CRAFTED, k=5)
    assert audit_tables(protected, 5) == []
    two_way = _by_name(protected)["by_province_month"]
    assert two_way.value("Yunnan", "2024-02") is None
    # The smallest rectangle: one more cell in Yunnan's row, one in February's column and
    # the corner that closes them; margins and the other tables stay published.
    assert two_way.suppressed == 4
    assert sum(t.suppressed for t in protected) == 4
    bounds = {b.categories: b for b in cell_bounds(protected)}
    assert bounds[("Yunnan", "2024-02")].width >= 5


def test_a_small_group_of_minors_is_withheld_with_a_partner_cell() -> None:
    rows = [
        _row("a", "2024-01", "Jilin", 30, adults=27, minors=3, women=15, men=15),
        _row("b", "2024-02", "Jilin", 12, adults=12, minors=0),
    ]
    tables = _by_name(build_tables(rows))
    ages = tables["by_age_group"]
    assert ages.value("minors") is None
    assert ages.suppressed >= 2
    assert audit_tables(list(tables.values()), 5) == []


def test_zeros_are_published() -> None:
    tables = _by_name(build_tables(CRAFTED))
    assert tables["by_age_group"].value("minors") == 0
    assert tables["by_facility"].rows == ((("unknown",), 94),)


def test_when_everyone_together_is_fewer_than_k_every_count_is_withheld() -> None:
    tables = build_tables([_row("a", "2024-01", "Jilin", 3, adults=3)])
    for table in tables:
        assert all(v is None or v == 0 for _, v in table.rows)
    assert _by_name(tables)["total"].value() is None
    assert audit_tables(tables, 5) == []


def test_no_input_gives_tables_of_zeros() -> None:
    tables = _by_name(build_tables([]))
    assert tables["total"].value() == 0
    assert tables["by_month"].rows == ()
    assert tables["by_sex"].rows == ((("women",), 0), (("men",), 0), (("unknown",), 0))


def test_an_incident_counts_its_total_or_else_the_larger_sum_of_its_breakdown() -> None:
    rows = [
        _row("a", "2024-01", "Jilin", None, adults=6, minors=2),
        _row("b", "2024-01", "Jilin", 5, women=4, men=3),  # total below its breakdown
        _row("c", "2024-01", "Jilin", 9, adults=4),  # the rest of 9 is of unknown age
        _row("d", "2024-01", "Jilin", None),  # no figure at all: counts nobody
    ]
    tables = _by_name(build_tables(rows, k=1))
    assert tables["total"].value() == 8 + 7 + 9
    assert tables["by_age_group"].rows == (
        (("adults",), 6 + 4),
        (("minors",), 2),
        (("unknown",), 7 + 5),
    )
    assert tables["by_sex"].rows == ((("women",), 4), (("men",), 3), (("unknown",), 8 + 9))


def test_missing_categories_are_counted_as_unknown_and_listed_last() -> None:
    rows = [
        _row("a", "", "", 6, facility="Tumen border detention centre"),
        _row("b", "2024-01", "Jilin", 7),
    ]
    tables = _by_name(build_tables(rows, k=1))
    assert tables["by_month"].rows == ((("2024-01",), 7), (("unknown",), 6))
    assert tables["by_province"].rows == ((("Jilin",), 7), (("unknown",), 6))
    assert tables["by_facility"].rows == (
        (("Tumen border detention centre",), 6),
        (("unknown",), 7),
    )


def test_the_threshold_is_configurable() -> None:
    lenient = build_tables(CRAFTED, k=3)
    strict = build_tables(CRAFTED, k=10)
    assert sum(t.suppressed for t in lenient) == 0
    assert sum(t.suppressed for t in strict) > 4
    assert all(t.threshold == 10 for t in strict)
    assert audit_tables(strict, 10) == []
    with pytest.raises(PublicationError, match="R152"):
        build_tables(CRAFTED, k=0)


def test_malformed_inputs_are_refused() -> None:
    with pytest.raises(PublicationError, match=r"R151.*YYYY-MM"):
        build_tables([_row("a", "April 2024", "Jilin", 4)])
    with pytest.raises(PublicationError, match=r"R151.*minors"):
        build_tables([_row("a", "2024-04", "Jilin", 4, minors=-1)])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(aggregate_inputs(), max_size=25), st.sampled_from([3, 5, 8]))
def test_every_table_set_built_from_any_inputs_passes_the_audit(
    inputs: list[AggregateInput], k: int
) -> None:
    tables = build_tables(inputs, k=k)
    assert audit_tables(tables, k) == []
    truth = _truth(build_tables(inputs, k=1))
    for table in tables:
        for key, value in table.rows:
            true_value = truth[(table.name, key)]
            if value is None:
                continue
            assert value == true_value  # published values are never perturbed
            assert value == 0 or value >= k  # and never small
        # The same cell (a margin in two tables) is withheld in both or in neither.
    by = _by_name(tables)
    for (province, month), value in by["by_province_month"].rows:
        if month == "*" and province != "*":
            assert value == by["by_province"].value(province)
        if province == "*" and month != "*":
            assert value == by["by_month"].value(month)


def test_building_and_auditing_tables_of_sample_size_takes_well_under_a_second() -> None:
    rows = [
        _row(
            f"R-{i}",
            f"2024-{1 + i % 12:02d}",
            ["Jilin", "Liaoning", "Yunnan", "Heilongjiang"][i % 4],
            [2, 7, 15, 3, 40, 1][i % 6],
            facility=["Tumen border detention centre", ""][i % 2],
            adults=[2, 5, 15, 3, 30, 1][i % 6],
            minors=[0, 2, 0, 0, 10, 0][i % 6],
        )
        for i in range(40)
    ]
    started = time.perf_counter()
    tables = build_tables(rows)
    built = time.perf_counter() - started
    started = time.perf_counter()
    assert audit_tables(tables, 5) == []
    audited = time.perf_counter() - started
    print(f"40 incidents: build {built:.3f}s, audit {audited:.3f}s")
    assert built + audited < 10  # generous: two shared cores; measured ~0.5 s


def test_the_publishing_core_does_not_import_django() -> None:
    code = (
        "import sys\n"
        "import refuge.publish.records, refuge.publish.generalise, refuge.publish.sdc\n"
        "import refuge.publish.sdc_audit, refuge.publish.store\n"
        "print(','.join(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == ""
