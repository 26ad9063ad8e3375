"""Checking single cells: the values each column accepts, and the reasons it gives."""

from __future__ import annotations

import pytest

from refuge.people.cells import parse_birth_year, parse_disclosure, parse_row, parse_sex


def test_it_reads_full_width_digits_as_a_year() -> None:
    assert parse_birth_year("１９８７", current_year=2024) == 1987


@pytest.mark.parametrize("value", ["198", "19870", "1987.0", "-1987", "١٩٨٧", "abcd"])
def test_it_refuses_anything_but_four_ascii_or_full_width_digits(value: str) -> None:
    assert parse_birth_year(value, current_year=2024) == "birth_year is not a four-digit year"


def test_it_allows_the_bounds_of_the_birth_year_range() -> None:
    assert parse_birth_year("1900", current_year=2024) == 1900
    assert parse_birth_year("2024", current_year=2024) == 2024
    assert parse_birth_year("", current_year=2024) is None


@pytest.mark.parametrize("value", ["Q", "femme", "F M", "여남"])
def test_it_refuses_an_unknown_sex(value: str) -> None:
    assert parse_sex(value) is None


def test_it_refuses_an_unknown_disclosure_level() -> None:
    assert parse_disclosure("private") is None
    assert parse_disclosure("organisations") is None


def test_it_fills_columns_the_file_does_not_have_with_defaults() -> None:
    row = parse_row({"name_ko": "김"}, row_number=7, current_year=2024)
    assert not isinstance(row, list)
    assert (row.row_number, row.external_id, row.name_ko, row.sex) == (7, "", "김", "")
    assert (row.birth_year, row.disclosure) == (None, "team")
