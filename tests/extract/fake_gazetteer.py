"""Shared helpers for the extraction tests: a small fake gazetteer written for these tests
and a function that runs the whole pipeline with it.

A module of its own, not conftest.py: test modules import it by name, and "conftest" is a
name every test folder holds, so which one an import found depended on the folders run."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from refuge.extract import Extraction, extract


@dataclass(frozen=True)
class FakePlace:
    id: str
    name: str
    kind: str
    precision: str
    country: str
    admin1: str | None
    lat: float | None
    lon: float | None
    parent_id: str | None
    variants: tuple[str, ...] = ()


PLACES = [
    FakePlace("cn-jl", "Jilin", "province", "admin1", "CN", "Jilin", None, None, None),
    FakePlace("cn-jl-jilin", "Jilin", "city", "city", "CN", "Jilin", 43.84, 126.55, "cn-jl"),
    FakePlace("cn-ln", "Liaoning", "province", "admin1", "CN", "Liaoning", None, None, None),
    FakePlace("cn-yn", "Yunnan", "province", "admin1", "CN", "Yunnan", None, None, None),
    FakePlace("cn-jl-tumen", "Tumen", "city", "city", "CN", "Jilin", 42.968, 129.844, "cn-jl"),
    FakePlace(
        "cn-ln-shenyang",
        "Shenyang",
        "city",
        "city",
        "CN",
        "Liaoning",
        41.797,
        123.429,
        "cn-ln",
        ("Shenyang City",),
    ),
    FakePlace(
        "cn-ln-dandong", "Dandong", "city", "city", "CN", "Liaoning", 40.124, 124.383, "cn-ln"
    ),
    FakePlace("cn", "China", "country", "country", "CN", None, None, None, None),
]


class FakeGazetteer:
    def surface_forms(self) -> Iterator[tuple[str, str]]:
        for p in PLACES:
            yield p.name, p.id
            for v in p.variants:
                yield v, p.id

    def get(self, place_id: str) -> FakePlace:
        return next(p for p in PLACES if p.id == place_id)


GAZETTEER = FakeGazetteer()
PUBLISHED = date(2017, 7, 26)


def run(text: str, published: date | None = PUBLISHED) -> Extraction:
    return extract(text, published=published, language="en", gazetteer=GAZETTEER)
