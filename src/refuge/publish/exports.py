"""Exports of the publication (or partner) store: CSV, JSON, GeoJSON and XLSX, each with a manifest.

``write_export`` takes records that are already generalised (``PublishedIncident``) and
aggregate tables that already passed disclosure control (``PublishedTable``); it adds nothing
and looks nothing up, so an export can only hold what the store holds. It refuses a record
generalised for partners in a public export, and a partner export without a
recipient-specific export id (written on every row and in the manifest, so a copy that
surfaces somewhere says whose it was).

Formats (the columns and keys are documented in ``docs/publishing.md``, "Exports"):

- **csv**: one row per incident, the columns of ``refuge.publish.tabular``; UTF-8 *with* a
  byte order mark, because Excel opens a CSV without one in the machine's legacy code page
  and turns Korean into mojibake (every other CSV reader skips the mark); CRLF line ends
  (RFC 4180). Text cells are escaped against formulas, numbers are not.
- **json**: ``{"schema", "audience", "export_id", "generated_at", "incidents", "tables"}``,
  incidents nested as ``refuge.publish.jsonform`` shapes them.
- **geojson**: a FeatureCollection (RFC 7946): a feature per incident, its point the
  generalised place's centroid as [longitude, latitude]; ``geometry`` null when the place has
  no coordinates. Properties are the CSV columns (lists as JSON arrays, nothing escaped).
- **xlsx**: an ``incidents`` sheet (the CSV columns), a sheet per aggregate table (a
  suppressed cell shows ``[c]``, "confidential", as UK official statistics mark them) and an
  ``about`` sheet (audience, export id, time, what ``[c]`` means, each table's threshold).

The file and its manifest are written to temporary files beside the target and renamed into
place only when both are complete: an error leaves no partial file and keeps the previous
export, if any.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import re
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from refuge.errors import PublicationError
from refuge.evidence.hashing import CHUNK_SIZE
from refuge.publish.atomicfile import commit, discard, staged
from refuge.publish.jsonform import event_dict, incident_dict, iso_utc, table_dict
from refuge.publish.manifest import (
    EXPORT_FORMATS,
    ExportFormat,
    ExportManifest,
    manifest_path,
)
from refuge.publish.records import (
    AUDIENCES,
    Audience,
    PublishedIncident,
    PublishedTable,
)
from refuge.publish.spreadsheet import Cell, safe_cell, xlsx_text
from refuge.publish.tabular import COLUMN_NAMES, LIST_SEPARATOR, incident_row

EXPORT_SCHEMA: Final = "refuge-export/1"
SUPPRESSED_MARKER: Final = "[c]"
INCIDENTS_SHEET: Final = "incidents"
ABOUT_SHEET: Final = "about"

# Letters, digits and . _ : - only, so that an id is safe in a file name, a cell and a log line.
EXPORT_ID_PATTERN: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{3,79}")

# Characters Excel refuses in a sheet title; its titles are at most 31 characters long.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_MAX = 31


class ExportError(PublicationError):
    """An export cannot be written as asked (format, audience, export id, records, target)."""

    code = "R157"


def new_export_id() -> str:
    """A fresh export id; record which recipient it was made for (the audit log does)."""
    return f"rx-{secrets.token_hex(10)}"


@dataclass(frozen=True, slots=True)
class _Meta:
    audience: Audience
    export_id: str | None
    generated_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": EXPORT_SCHEMA,
            "audience": self.audience,
            "export_id": self.export_id,
            "generated_at": iso_utc(self.generated_at),
        }


def write_export(
    incidents: Iterable[PublishedIncident],
    tables: Iterable[PublishedTable],
    *,
    fmt: str,
    out: str | Path,
    audience: str,
    export_id: str | None = None,
    generated_at: datetime,
) -> ExportManifest:
    """Write ``incidents`` (and, for json/xlsx, ``tables``) to ``out`` as ``fmt``, with a manifest.

    Raises ``ExportError`` (R157) for an unknown format or audience, a partner export without
    a valid export id, a record generalised for another audience, a malformed record or table,
    or a target that cannot be written.
    """
    fmt_ = _check_format(fmt)
    audience_ = _check_audience(audience)
    if generated_at.tzinfo is None or generated_at.utcoffset() is None:
        raise ExportError("the export's generation time must carry a time zone")
    _check_export_id(export_id, audience_)
    records = tuple(incidents)
    aggregates = tuple(tables)
    _check_records(records, audience_)
    _check_tables(aggregates)
    target = _check_target(Path(out))
    meta = _Meta(audience=audience_, export_id=export_id, generated_at=generated_at)

    data: Path | None = None
    manifest_tmp: Path | None = None
    try:
        data = staged(target)
        _WRITERS[fmt_](data, records, aggregates, meta)
        size, digest = _measure(data)
        manifest = ExportManifest(
            path=target,
            format=fmt_,
            audience=audience_,
            export_id=export_id,
            generated_at=generated_at,
            incidents=len(records),
            tables=len(aggregates) if fmt_ in ("json", "xlsx") else 0,
            size=size,
            sha256=digest,
        )
        manifest_tmp = staged(manifest.manifest_path)
        manifest_tmp.write_text(manifest.dumps(), encoding="utf-8")
        commit(data, target)
        commit(manifest_tmp, manifest.manifest_path)
    except OSError as exc:
        raise ExportError(
            f"cannot write the export {target.name!r}: {exc.strerror or exc}"
        ) from None
    finally:
        discard(data, manifest_tmp)
    return manifest


def read_manifest(export: str | Path) -> ExportManifest:
    """The manifest beside ``export``; ``ExportError`` when it is missing or malformed."""
    path = Path(export)
    try:
        data = json.loads(manifest_path(path).read_text(encoding="utf-8"))
        return ExportManifest.from_json(data, export=path)
    except OSError as exc:
        raise ExportError(f"the manifest of {path.name!r} cannot be read: {exc.strerror}") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise ExportError(f"the manifest of {path.name!r} is malformed ({exc})") from None


def verify_export(export: str | Path) -> ExportManifest:
    """The manifest of ``export`` after checking the file's size and SHA-256 against it."""
    manifest = read_manifest(export)
    try:
        size, digest = _measure(manifest.path)
    except OSError as exc:
        raise ExportError(
            f"the export {manifest.path.name!r} cannot be read: {exc.strerror}"
        ) from None
    if size != manifest.size or digest != manifest.sha256:
        raise ExportError(f"the export {manifest.path.name!r} does not match its manifest")
    return manifest


# --- checks ---------------------------------------------------------------------------


def _check_format(fmt: str) -> ExportFormat:
    for known in EXPORT_FORMATS:
        if fmt == known:
            return known
    raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")


def _check_audience(audience: str) -> Audience:
    for known in AUDIENCES:
        if audience == known:
            return known
    raise ExportError(f"unknown audience {audience!r}; choose one of {', '.join(AUDIENCES)}")


def _check_export_id(export_id: str | None, audience: Audience) -> None:
    if export_id is None or export_id == "":
        if audience == "partners":
            raise ExportError(
                "a partner export needs a recipient-specific export id; make one for each "
                "recipient and record whom it went to"
            )
        return
    if EXPORT_ID_PATTERN.fullmatch(export_id) is None:
        raise ExportError(
            "an export id is 4 to 80 letters, digits, '.', '_', ':' or '-', "
            "beginning with a letter or digit"
        )


def _check_records(records: Sequence[PublishedIncident], audience: Audience) -> None:
    seen: set[str] = set()
    for incident in records:
        # A record generalised under the partners' rules is more precise than the public may
        # see; the reverse is safe, so a partner export may carry public records.
        if audience == "public" and incident.audience != "public":
            raise ExportError(
                f"incident {incident.public_id!r} was generalised for {incident.audience}; "
                "a public export takes only records generalised for the public"
            )
        if incident.public_id in seen:
            raise ExportError(f"incident {incident.public_id!r} appears twice in the export")
        seen.add(incident.public_id)
        if incident.released_at.tzinfo is None or incident.released_at.utcoffset() is None:
            raise ExportError(f"incident {incident.public_id!r} has a release time without a zone")
        for place in (incident.place, *(event.place for event in incident.events)):
            if place is None:
                continue
            if place.lat is not None and math.isfinite(place.lat) and not -90 <= place.lat <= 90:
                raise ExportError(f"incident {incident.public_id!r} has a latitude out of range")
            if place.lon is not None and math.isfinite(place.lon) and not -180 <= place.lon <= 180:
                raise ExportError(f"incident {incident.public_id!r} has a longitude out of range")


def _check_tables(tables: Sequence[PublishedTable]) -> None:
    names: set[str] = set()
    for table in tables:
        if table.name in names:
            raise ExportError(f"the table {table.name!r} appears twice in the export")
        names.add(table.name)
        for categories, _count in table.rows:
            if len(categories) != len(table.dimensions):
                raise ExportError(
                    f"a row of table {table.name!r} has {len(categories)} categories for "
                    f"{len(table.dimensions)} dimensions"
                )


def _check_target(target: Path) -> Path:
    if target.is_dir():
        raise ExportError(f"{target.name!r} is a folder; give the export a file name")
    if not target.parent.is_dir():
        raise ExportError(f"the folder of the export {target.name!r} does not exist")
    return target


def _measure(path: Path) -> tuple[int, str]:
    hasher = hashlib.sha256()
    size = 0
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK_SIZE):
            hasher.update(chunk)
            size += len(chunk)
    return size, hasher.hexdigest()


# --- writers --------------------------------------------------------------------------


def _write_csv(
    path: Path,
    incidents: Sequence[PublishedIncident],
    tables: Sequence[PublishedTable],
    meta: _Meta,
) -> None:
    del tables  # a CSV holds one kind of row; the tables are in the JSON and XLSX exports
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream, dialect="excel", lineterminator="\r\n")
        writer.writerow(COLUMN_NAMES)
        for incident in incidents:
            writer.writerow(
                safe_cell(cell) for cell in incident_row(incident, export_id=meta.export_id)
            )


def _write_json(
    path: Path,
    incidents: Sequence[PublishedIncident],
    tables: Sequence[PublishedTable],
    meta: _Meta,
) -> None:
    document = {
        **meta.to_json(),
        "incidents": [incident_dict(incident) for incident in incidents],
        "tables": [table_dict(table) for table in tables],
    }
    with path.open("w", encoding="utf-8") as stream:
        json.dump(document, stream, ensure_ascii=False, indent=2, allow_nan=False)
        stream.write("\n")


def _feature(incident: PublishedIncident, export_id: str | None) -> dict[str, Any]:
    place = incident.place
    geometry: dict[str, Any] | None = None
    if (
        place is not None
        and place.lat is not None
        and place.lon is not None
        and math.isfinite(place.lat)
        and math.isfinite(place.lon)
    ):
        # RFC 7946 section 3.1.1: longitude first.
        geometry = {"type": "Point", "coordinates": [place.lon, place.lat]}
    properties: dict[str, Any] = dict(
        zip(COLUMN_NAMES, incident_row(incident, export_id=export_id), strict=True)
    )
    properties["event_types"] = list(incident.event_types)
    properties["events"] = [event_dict(event) for event in incident.events]
    return {
        "type": "Feature",
        "id": incident.public_id,
        "geometry": geometry,
        "properties": properties,
    }


def _write_geojson(
    path: Path,
    incidents: Sequence[PublishedIncident],
    tables: Sequence[PublishedTable],
    meta: _Meta,
) -> None:
    del tables  # aggregate tables have no place on a map; they are in the JSON and XLSX
    document = {
        "type": "FeatureCollection",
        # A foreign member (RFC 7946 section 6.1): GIS software ignores it, people can read it.
        "refuge": meta.to_json(),
        "features": [_feature(incident, meta.export_id) for incident in incidents],
    }
    with path.open("w", encoding="utf-8") as stream:
        json.dump(document, stream, ensure_ascii=False, indent=1, allow_nan=False)
        stream.write("\n")


def _put_row(sheet: Worksheet, row: int, cells: Iterable[Cell]) -> None:
    for column, value in enumerate(cells, start=1):
        safe = safe_cell(value, xlsx=True)
        cell = sheet.cell(row=row, column=column, value=safe)
        if isinstance(safe, str):
            # Text stays text even if a later edit to the escaping let a formula through.
            cell.data_type = "s"


def _sheet_title(name: str, used: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub("_", xlsx_text(name)).strip("'") or "table"
    title = base[:_SHEET_MAX]
    number = 2
    while title.casefold() in used:
        suffix = f" ({number})"
        title = base[: _SHEET_MAX - len(suffix)] + suffix
        number += 1
    used.add(title.casefold())
    return title


def _write_xlsx(
    path: Path,
    incidents: Sequence[PublishedIncident],
    tables: Sequence[PublishedTable],
    meta: _Meta,
) -> None:
    book = Workbook()
    # openpyxl would record "openpyxl" and the local clock; say what made it, and when.
    stamp = meta.generated_at.astimezone(UTC).replace(tzinfo=None)  # openpyxl writes UTC
    book.properties.creator = "Refuge"
    book.properties.lastModifiedBy = None
    book.properties.created = stamp
    book.properties.modified = stamp

    used = {INCIDENTS_SHEET, ABOUT_SHEET}
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook always has one worksheet
    sheet.title = INCIDENTS_SHEET
    sheet.freeze_panes = "A2"
    _put_row(sheet, 1, COLUMN_NAMES)
    for row, incident in enumerate(incidents, start=2):
        _put_row(sheet, row, incident_row(incident, export_id=meta.export_id))

    titles: list[str] = []
    for table in tables:
        title = _sheet_title(table.name, used)
        titles.append(title)
        table_sheet = book.create_sheet(title)
        table_sheet.freeze_panes = "A2"
        _put_row(table_sheet, 1, (*table.dimensions, "count"))
        for row, (categories, count) in enumerate(table.rows, start=2):
            _put_row(table_sheet, row, (*categories, SUPPRESSED_MARKER if count is None else count))

    about = book.create_sheet(ABOUT_SHEET)
    lines: list[tuple[Cell, ...]] = [
        ("schema", EXPORT_SCHEMA),
        ("audience", meta.audience),
        ("export_id", meta.export_id or ""),
        ("generated_at", iso_utc(meta.generated_at)),
        (
            SUPPRESSED_MARKER,
            "a suppressed cell: fewer than the table's threshold, or withheld so that "
            "it cannot be worked out from the totals",
        ),
        (),
        ("table", "sheet", "dimensions", "threshold", "cells", "suppressed"),
    ]
    for table, title in zip(tables, titles, strict=True):
        lines.append(
            (
                table.name,
                title,
                LIST_SEPARATOR.join(table.dimensions),
                table.threshold,
                len(table.rows),
                table.suppressed,
            )
        )
    for row, line in enumerate(lines, start=1):
        _put_row(about, row, line)
    book.save(path)


_Writer = Callable[[Path, Sequence[PublishedIncident], Sequence[PublishedTable], _Meta], None]
_WRITERS: Final[dict[ExportFormat, _Writer]] = {
    "csv": _write_csv,
    "json": _write_json,
    "geojson": _write_geojson,
    "xlsx": _write_xlsx,
}

__all__ = [
    "ABOUT_SHEET",
    "EXPORT_ID_PATTERN",
    "EXPORT_SCHEMA",
    "INCIDENTS_SHEET",
    "SUPPRESSED_MARKER",
    "ExportError",
    "ExportManifest",
    "new_export_id",
    "read_manifest",
    "verify_export",
    "write_export",
]
