"""Matching header cells to the known columns."""

from __future__ import annotations

import pytest

from refuge.people.columns import COLUMNS, IDENTIFYING_COLUMNS, column_key, column_letter


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("External ID", "external_id"),
        ("\ufeffname", "name"),
        (" birth-year ", "birth_year"),
        ("NAME_KO", "name_ko"),
        ("", ""),
    ],
)
def test_it_reduces_header_labels_to_column_keys(label: str, key: str) -> None:
    assert column_key(label) == key


@pytest.mark.parametrize(
    ("index", "letter"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")]
)
def test_it_names_columns_as_spreadsheets_do(index: int, letter: str) -> None:
    assert column_letter(index) == letter


def test_identifying_columns_are_all_known_and_exclude_the_id_and_settings() -> None:
    assert set(IDENTIFYING_COLUMNS) <= set(COLUMNS)
    assert {"external_id", "sex", "disclosure"}.isdisjoint(IDENTIFYING_COLUMNS)
