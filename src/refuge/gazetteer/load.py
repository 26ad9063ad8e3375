"""Reading and validating a gazetteer CSV.

Every row is checked before any place is used, and the first bad row stops the load with
its file, line and reason (GazetteerError R023): a wrong kind or a capital's point on a
province would otherwise flow silently into extracted incidents and published maps.
"""

from __future__ import annotations

import csv
import functools
import io
import math
import os
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Final

from refuge.errors import GazetteerError
from refuge.gazetteer.countries import ISO_3166_ALPHA2
from refuge.gazetteer.lookup import Gazetteer
from refuge.gazetteer.model import (
    AREA_PRECISIONS,
    KINDS,
    PRECISIONS,
    PRECISIONS_BY_KIND,
    Place,
)
from refuge.gazetteer.normalise import normalise_name

COLUMNS: Final = (
    "id",
    "name",
    "name_ko",
    "name_zh",
    "variants",
    "kind",
    "precision",
    "country",
    "admin1",
    "lat",
    "lon",
    "parent",
    "source",
)
VARIANT_SEPARATOR: Final = "|"
_ID_PATTERN: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_REQUIRED: Final = ("id", "name", "kind", "precision", "country", "source")


class _BadRow(Exception):
    """A row breaks a rule; carries the reason, the caller adds file and line."""


def load_gazetteer(path: str | os.PathLike[str]) -> Gazetteer:
    """Read and validate the gazetteer CSV at ``path``.

    GazetteerError R024 if the file cannot be read as UTF-8, R023 (with file, line and
    reason) on the first row that breaks a rule.
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise GazetteerError(
            f"cannot read gazetteer file {file}: {error.strerror or error}; check the path",
            code="R024",
        ) from None
    except UnicodeDecodeError:
        raise GazetteerError(
            f"gazetteer file {file} is not UTF-8 text; save it as UTF-8", code="R024"
        ) from None
    return parse_gazetteer(text, origin=str(file))


@functools.cache
def default_gazetteer() -> Gazetteer:
    """The gazetteer shipped with Refuge (refuge/gazetteer/places.csv), loaded once."""
    text = (
        resources.files("refuge.gazetteer").joinpath("places.csv").read_text(encoding="utf-8-sig")
    )
    return parse_gazetteer(text, origin="refuge/gazetteer/places.csv")


def parse_gazetteer(text: str, *, origin: str) -> Gazetteer:
    """Validate gazetteer CSV ``text``; ``origin`` names it in error messages."""
    places: list[Place] = []
    lines: dict[str, int] = {}
    for line, row in _rows(text, origin):
        try:
            place = _place(row)
            if place.id in lines:
                raise _BadRow(f"duplicate id {place.id!r} (first used on line {lines[place.id]})")
        except _BadRow as bad:
            raise _row_error(origin, line, str(bad)) from None
        lines[place.id] = line
        places.append(place)
    _check_parents(places, lines, origin)
    return Gazetteer(places)


def _rows(text: str, origin: str) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header) != COLUMNS:
        raise _row_error(origin, 1, f"the header must be {','.join(COLUMNS)}")
    for fields in reader:
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(COLUMNS):
            raise _row_error(
                origin, reader.line_num, f"{len(fields)} fields, expected {len(COLUMNS)}"
            )
        yield reader.line_num, {c: f.strip() for c, f in zip(COLUMNS, fields, strict=True)}


def _place(row: dict[str, str]) -> Place:
    for column in _REQUIRED:
        if not row[column]:
            raise _BadRow(f"{column} is empty")
    place_id, kind, precision, country = row["id"], row["kind"], row["precision"], row["country"]
    if not _ID_PATTERN.fullmatch(place_id):
        raise _BadRow(f"id {place_id!r} is not a lowercase slug like 'cn-jl-tumen'")
    if kind not in KINDS:
        raise _BadRow(f"unknown kind {kind!r}; use one of {', '.join(sorted(KINDS))}")
    if precision not in PRECISIONS:
        raise _BadRow(
            f"unknown precision {precision!r}; use one of {', '.join(sorted(PRECISIONS))}"
        )
    if precision not in PRECISIONS_BY_KIND[kind]:
        allowed = ", ".join(sorted(PRECISIONS_BY_KIND[kind]))
        raise _BadRow(f"precision {precision!r} does not fit kind {kind!r} (use {allowed})")
    if country not in ISO_3166_ALPHA2:
        raise _BadRow(f"country {country!r} is not an ISO 3166-1 alpha-2 code such as CN")
    admin1 = row["admin1"] or None
    if kind == "province" and admin1 != row["name"]:
        raise _BadRow(f"a province's admin1 must be its own name {row['name']!r}")
    if kind == "country" and admin1 is not None:
        raise _BadRow("a country has no admin1")
    lat, lon = _coordinates(row["lat"], row["lon"], precision)
    variants = tuple(v.strip() for v in row["variants"].split(VARIANT_SEPARATOR) if v.strip())
    place = Place(
        id=place_id,
        name=row["name"],
        name_ko=row["name_ko"] or None,
        name_zh=row["name_zh"] or None,
        variants=variants,
        kind=kind,
        precision=precision,
        country=country,
        admin1=admin1,
        lat=lat,
        lon=lon,
        parent_id=row["parent"] or None,
        source=row["source"],
    )
    for name in place.names:
        if not normalise_name(name):
            raise _BadRow(f"name {name!r} has no letters to match on")
    return place


def _coordinates(lat_text: str, lon_text: str, precision: str) -> tuple[float | None, float | None]:
    if not lat_text and not lon_text:
        return None, None
    if not lat_text or not lon_text:
        raise _BadRow("give both lat and lon, or neither")
    if precision in AREA_PRECISIONS:
        raise _BadRow(
            f"a place of precision {precision!r} is an area and has no coordinates "
            "(never its capital's); leave lat and lon empty"
        )
    try:
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        raise _BadRow(f"lat/lon {lat_text!r}/{lon_text!r} are not decimal degrees") from None
    if not (math.isfinite(lat) and -90.0 <= lat <= 90.0):
        raise _BadRow(f"lat {lat_text} is outside -90..90")
    if not (math.isfinite(lon) and -180.0 <= lon <= 180.0):
        raise _BadRow(f"lon {lon_text} is outside -180..180")
    return lat, lon


def _check_parents(places: list[Place], lines: dict[str, int], origin: str) -> None:
    parents = {p.id: p.parent_id for p in places}
    for place in places:
        if place.parent_id is None:
            continue
        if place.parent_id not in parents:
            raise _row_error(
                origin, lines[place.id], f"unknown parent {place.parent_id!r}; add it first"
            )
        seen = {place.id}
        ancestor: str | None = place.parent_id
        while ancestor is not None:
            if ancestor in seen:
                raise _row_error(origin, lines[place.id], f"parent chain of {place.id!r} loops")
            seen.add(ancestor)
            ancestor = parents[ancestor]


def _row_error(origin: str, line: int, reason: str) -> GazetteerError:
    return GazetteerError(f"{origin}, line {line}: {reason}", code="R023")
