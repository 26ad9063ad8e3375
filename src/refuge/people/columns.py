"""The columns a list of persons may have, and how a header row is matched to them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from refuge.people.errors import ImportFileError

COLUMNS: Final = (
    "external_id",
    "name",
    "name_ko",
    "name_zh",
    "sex",
    "birth_year",
    "hometown",
    "notes",
    "disclosure",
)
# The lead's storage encrypts exactly these (shared/contracts/import.md); keep them in step.
IDENTIFYING_COLUMNS: Final = ("name", "name_ko", "name_zh", "birth_year", "hometown", "notes")
NAME_COLUMNS: Final = ("name", "name_ko", "name_zh")

# "External ID" and "external-id" are how people type the header by hand.
_SEPARATORS = re.compile(r"[\s\-]+")


def column_key(label: str) -> str:
    """The canonical form of a header cell: no BOM, trimmed, lowercase, ``_`` between words."""
    return _SEPARATORS.sub("_", label.replace("\ufeff", "").strip()).casefold()


def column_letter(index: int) -> str:
    """The spreadsheet letter of a zero-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    number = index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True, slots=True)
class Header:
    """Where each known column sits, and the header cells that name no known column."""

    positions: dict[str, int]
    unknown: tuple[tuple[int, str], ...]
    unnamed: tuple[int, ...]

    def unknown_labels(self, used_unnamed: set[int]) -> tuple[str, ...]:
        """Unknown labels in header order, plus unnamed columns that hold data."""
        labelled = [(index, label) for index, label in self.unknown]
        labelled += [
            (index, f"(unnamed column {column_letter(index)})")
            for index in self.unnamed
            if index in used_unnamed
        ]
        return tuple(label for _, label in sorted(labelled))


def read_header(cells: Sequence[str]) -> Header:
    """Match a header row to the known columns; a known column given twice is ambiguous."""
    positions: dict[str, int] = {}
    unknown: list[tuple[int, str]] = []
    unnamed: list[int] = []
    for index, cell in enumerate(cells):
        key = column_key(cell)
        if not key:
            unnamed.append(index)
        elif key in COLUMNS:
            if key in positions:
                raise ImportFileError(
                    f"the header names the column {key} twice; keep one and import again",
                    code="R108",
                )
            positions[key] = index
        else:
            unknown.append((index, cell.replace("\ufeff", "").strip()))
    if not positions:
        raise ImportFileError(
            "the first row names no known column; it must be a header such as "
            "external_id, name, name_ko, sex, birth_year (see docs/import.md)",
            code="R106",
        )
    return Header(positions=positions, unknown=tuple(unknown), unnamed=tuple(unnamed))


def known_columns_in(cells: Sequence[str]) -> int:
    """How many distinct known columns a candidate header names (to choose a CSV delimiter)."""
    return len({column_key(cell) for cell in cells} & set(COLUMNS))


__all__ = [
    "COLUMNS",
    "IDENTIFYING_COLUMNS",
    "NAME_COLUMNS",
    "Header",
    "column_key",
    "column_letter",
    "known_columns_in",
    "read_header",
]
