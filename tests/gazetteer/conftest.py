"""Fixtures that write small gazetteer CSVs for the gazetteer tests."""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from refuge.gazetteer.load import COLUMNS

# A tiny, valid world: one country, one province, one city in it. Tests start from it and
# break one thing at a time, so each failure has exactly one cause.
COUNTRY = {
    "id": "cn",
    "name": "China",
    "kind": "country",
    "precision": "country",
    "country": "CN",
    "source": "test",
}
PROVINCE = {
    "id": "cn-jl",
    "name": "Jilin",
    "name_zh": "吉林省",
    "kind": "province",
    "precision": "admin1",
    "country": "CN",
    "admin1": "Jilin",
    "parent": "cn",
    "source": "test",
}
CITY = {
    "id": "cn-jl-tumen",
    "name": "Tumen",
    "name_ko": "투먼",
    "name_zh": "图们市",
    "variants": "도문|Tumen City",
    "kind": "city",
    "precision": "city",
    "country": "CN",
    "admin1": "Jilin",
    "lat": "42.968",
    "lon": "129.844",
    "parent": "cn-jl",
    "source": "test",
}

WriteCsv = Callable[..., Path]
Row = dict[str, str]


@pytest.fixture
def country() -> Row:
    return dict(COUNTRY)


@pytest.fixture
def province() -> Row:
    return dict(PROVINCE)


@pytest.fixture
def city() -> Row:
    return dict(CITY)


@pytest.fixture
def write_csv(tmp_path: Path) -> WriteCsv:
    """Write rows (dicts; missing columns are empty) under the standard header."""

    def write(*rows: Mapping[str, str], name: str = "places.csv") -> Path:
        path = tmp_path / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            for row in rows:
                writer.writerow([row.get(column, "") for column in COLUMNS])
        return path

    return write
