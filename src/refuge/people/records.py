"""What reading a list of persons yields: kept rows, rejected rows, and facts about the file.

Identifying fields are left out of ``repr`` so that a row printed by a traceback, a log line
or a failing test shows its row number and id, never a name (docs/threat-model.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Sex = Literal["F", "M", "X", ""]
Disclosure = Literal["team", "organisation", "partners", "public"]
FileFormat = Literal["csv", "xlsx"]


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One valid row; ``row_number`` is the row as a spreadsheet shows it (header = 1)."""

    row_number: int
    external_id: str
    name: str = field(default="", repr=False)
    name_ko: str = field(default="", repr=False)
    name_zh: str = field(default="", repr=False)
    sex: Sex = ""
    birth_year: int | None = field(default=None, repr=False)
    hometown: str = field(default="", repr=False)
    notes: str = field(default="", repr=False)
    disclosure: Disclosure = "team"


@dataclass(frozen=True, slots=True)
class RowError:
    """A skipped row: its number and why, naming columns and problems, never cell contents."""

    row_number: int
    reason: str


@dataclass(frozen=True, slots=True)
class ImportReading:
    """A whole file read: at most one error per skipped row, so ``len(errors)`` counts them."""

    rows: tuple[PersonRow, ...]
    errors: tuple[RowError, ...]
    unknown_columns: tuple[str, ...]
    encoding: str | None
    format: FileFormat


__all__ = ["Disclosure", "FileFormat", "ImportReading", "PersonRow", "RowError", "Sex"]
