"""Checking one row's cells and turning them into a ``PersonRow``.

Reasons name the column and the problem, never the value: they reach logs and screens, and
the value may be a name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Final

from refuge.people.columns import NAME_COLUMNS
from refuge.people.records import Disclosure, PersonRow, Sex

FIRST_BIRTH_YEAR: Final = 1900

# Lists from Korean and Chinese organisations write the sex in their own language.
_SEXES: Final[dict[str, Sex]] = {
    "f": "F",
    "female": "F",
    "woman": "F",
    "여": "F",
    "여성": "F",
    "여자": "F",
    "女": "F",
    "m": "M",
    "male": "M",
    "man": "M",
    "남": "M",
    "남성": "M",
    "남자": "M",
    "男": "M",
    "x": "X",
}
_DISCLOSURES: Final[dict[str, Disclosure]] = {
    "team": "team",
    "organisation": "organisation",
    "organization": "organisation",
    "partners": "partners",
    "public": "public",
}
_YEAR = re.compile(r"[0-9]{4}")


def clean_text(value: str) -> str:
    """Trimmed and NFC-composed, so that Hangul typed on any system compares equal."""
    return unicodedata.normalize("NFC", value).strip()


def parse_sex(value: str) -> Sex | None:
    """F, M, X or "" for a recognised value, None for anything else."""
    if not value:
        return ""
    return _SEXES.get(value.casefold())


def parse_disclosure(value: str) -> Disclosure | None:
    """The disclosure level ("team" when empty), None for an unknown one."""
    if not value:
        return "team"
    return _DISCLOSURES.get(value.casefold())


def parse_birth_year(value: str, *, current_year: int) -> int | str | None:
    """The year, None when empty, or the reason it is refused."""
    if not value:
        return None
    # Full-width digits come from East Asian input methods; NFKC makes them ASCII.
    if not _YEAR.fullmatch(unicodedata.normalize("NFKC", value)):
        return "birth_year is not a four-digit year"
    year = int(unicodedata.normalize("NFKC", value))
    if not FIRST_BIRTH_YEAR <= year <= current_year:
        return f"birth_year is not between {FIRST_BIRTH_YEAR} and {current_year}"
    return year


def parse_row(
    values: Mapping[str, str], *, row_number: int, current_year: int
) -> PersonRow | list[str]:
    """A valid row, or the reasons it is refused (all of them, so one fix round suffices)."""
    reasons: list[str] = []
    external_id = values.get("external_id", "")
    if not external_id and not any(values.get(column, "") for column in NAME_COLUMNS):
        reasons.append("neither external_id nor a name (name, name_ko, name_zh) is given")
    sex = parse_sex(values.get("sex", ""))
    if sex is None:
        reasons.append("sex is not F, M, X or empty")
    birth_year = parse_birth_year(values.get("birth_year", ""), current_year=current_year)
    if isinstance(birth_year, str):
        reasons.append(birth_year)
    disclosure = parse_disclosure(values.get("disclosure", ""))
    if disclosure is None:
        reasons.append("disclosure is not team, organisation, partners or public")
    if reasons or sex is None or disclosure is None or isinstance(birth_year, str):
        return reasons
    return PersonRow(
        row_number=row_number,
        external_id=external_id,
        name=values.get("name", ""),
        name_ko=values.get("name_ko", ""),
        name_zh=values.get("name_zh", ""),
        sex=sex,
        birth_year=birth_year,
        hometown=values.get("hometown", ""),
        notes=values.get("notes", ""),
        disclosure=disclosure,
    )


__all__ = [
    "FIRST_BIRTH_YEAR",
    "clean_text",
    "parse_birth_year",
    "parse_disclosure",
    "parse_row",
    "parse_sex",
]
