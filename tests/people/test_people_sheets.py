"""Turning spreadsheet cells into the text a person sees in them."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pytest

from refuge.people.sheets import cell_text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (1990, "1990"),
        (1990.0, "1990"),
        (1990.5, "1990.5"),
        (-3.0, "-3"),
        (True, "TRUE"),
        (Decimal("12"), "12"),
        (datetime(1990, 5, 1), "1990-05-01"),
        (datetime(1990, 5, 1, 8, 30), "1990-05-01T08:30:00"),
        (date(1990, 5, 1), "1990-05-01"),
        (time(8, 30), "08:30:00"),
        ("김철수", "김철수"),
    ],
)
def test_it_shows_cells_as_text(value: object, text: str) -> None:
    assert cell_text(value) == text
