"""Reading person lists end to end: encodings, XLSX, row errors, whole-file errors.

Every reading passes ``current_year=2024`` unless the test is about the default, so results do
not change with the calendar.
"""

from __future__ import annotations

import io
import string
import subprocess
import sys
import unicodedata
import zipfile
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from people_tables import csv_bytes, xlsx_bytes

from refuge.errors import RefugeError
from refuge.people import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportFileError,
    ImportReading,
    PersonRow,
    RowError,
    read_person_rows,
    read_person_rows_bytes,
)
from refuge.people import reading as reading_module
from refuge.people import sheets as sheets_module

YEAR = 2024
HEADER = [
    "external_id",
    "name",
    "name_ko",
    "name_zh",
    "sex",
    "birth_year",
    "hometown",
    "notes",
    "disclosure",
]
KOREAN_ROWS = [
    HEADER,
    ["A-1", "Kim Chol-su", "김철수", "金哲洙", "M", "1987", "회령", "잡혀감", "organisation"],
    ["A-2", "Ri Son-hui", "리선희", "", "F", "", "Hyesan", "", ""],
]


def read(data: bytes, filename: str = "list.csv") -> ImportReading:
    return read_person_rows_bytes(data, filename=filename, current_year=YEAR)


def assert_korean_rows_read(reading: ImportReading) -> None:
    assert reading.errors == ()
    assert reading.unknown_columns == ()
    first, second = reading.rows
    assert (first.row_number, first.external_id, first.name, first.name_ko, first.name_zh) == (
        2,
        "A-1",
        "Kim Chol-su",
        "김철수",
        "金哲洙",
    )
    assert (first.sex, first.birth_year, first.hometown, first.notes, first.disclosure) == (
        "M",
        1987,
        "회령",
        "잡혀감",
        "organisation",
    )
    assert (second.row_number, second.name_ko, second.sex, second.birth_year) == (
        3,
        "리선희",
        "F",
        None,
    )
    assert (second.hometown, second.disclosure) == ("Hyesan", "team")


# --- encodings ---------------------------------------------------------------------------


def test_it_reads_a_utf8_csv_and_says_so() -> None:
    reading = read(csv_bytes(KOREAN_ROWS))
    assert_korean_rows_read(reading)
    assert (reading.format, reading.encoding) == ("csv", "utf-8")


def test_it_reads_a_utf8_csv_with_a_byte_order_mark() -> None:
    reading = read(csv_bytes(KOREAN_ROWS, encoding="utf-8-sig"))
    assert_korean_rows_read(reading)
    assert reading.encoding == "utf-8-sig"


@pytest.mark.parametrize("encoding", ["cp949", "euc-kr"])
def test_it_reads_a_korean_legacy_csv_as_cp949(encoding: str) -> None:
    # EUC-KR is a subset of CP949, so both are reported as the superset that decoded them.
    reading = read(csv_bytes(KOREAN_ROWS, encoding=encoding))
    assert_korean_rows_read(reading)
    assert reading.encoding == "cp949"


def test_it_reads_utf16_text_exported_by_excel_with_tabs() -> None:
    text = "\n".join("\t".join(row) for row in KOREAN_ROWS)
    reading = read(text.encode("utf-16"))
    assert_korean_rows_read(reading)
    assert reading.encoding == "utf-16"


def test_it_reads_semicolon_separated_csv() -> None:
    text = "\n".join(";".join(row) for row in KOREAN_ROWS)
    assert_korean_rows_read(read(text.encode()))


def test_it_composes_decomposed_hangul() -> None:
    decomposed = unicodedata.normalize("NFD", "김철수")
    reading = read(csv_bytes([["name_ko"], [decomposed]]))
    assert reading.rows[0].name_ko == "김철수"


# --- XLSX --------------------------------------------------------------------------------


def test_it_reads_the_first_sheet_of_an_xlsx_with_numeric_cells() -> None:
    data = xlsx_bytes(
        [
            ["External ID", "Name", "name_ko", "birth_year", "sex"],
            [123, "Kim Chol-su", "김철수", 1987, "m"],
            [None, None, None, None, None],
            ["B-7", None, "리선희", 1990.0, None],
            ["B-8", None, "박영희", 1990.5, None],
            ["B-9", None, "최은정", datetime(1990, 1, 1), None],
        ],
        [["external_id"], ["from-the-second-sheet"]],
    )
    reading = read(data, "list.xlsx")
    assert (reading.format, reading.encoding) == ("xlsx", None)
    assert [(r.row_number, r.external_id, r.name_ko, r.birth_year) for r in reading.rows] == [
        (2, "123", "김철수", 1987),
        (4, "B-7", "리선희", 1990),
    ]
    assert reading.rows[0].sex == "M"
    assert reading.errors == (
        RowError(5, "birth_year is not a four-digit year"),
        RowError(6, "birth_year is not a four-digit year"),
    )


def test_it_keeps_spreadsheet_row_numbers_when_the_header_is_not_on_row_one() -> None:
    reading = read(xlsx_bytes([[], [], ["name"], ["Kim"], [], ["Ri"]]), "list.xlsx")
    assert [row.row_number for row in reading.rows] == [4, 6]


def test_it_reads_an_xlsx_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "people.xlsx"
    path.write_bytes(xlsx_bytes(KOREAN_ROWS))
    assert_korean_rows_read(read_person_rows(path, current_year=YEAR))


def test_it_reads_a_csv_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes(KOREAN_ROWS, encoding="cp949"))
    reading = read_person_rows(path, current_year=YEAR)
    assert_korean_rows_read(reading)
    assert reading.encoding == "cp949"


# --- rows and columns --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ({"birth_year": "87"}, "birth_year is not a four-digit year"),
        ({"birth_year": "1987년"}, "birth_year is not a four-digit year"),
        ({"birth_year": "1899"}, "birth_year is not between 1900 and 2024"),
        ({"birth_year": "2025"}, "birth_year is not between 1900 and 2024"),
        ({"sex": "unknown"}, "sex is not F, M, X or empty"),
        ({"disclosure": "secret"}, "disclosure is not team, organisation, partners or public"),
        (
            {"name": "", "external_id": "", "sex": "F"},
            "neither external_id nor a name (name, name_ko, name_zh) is given",
        ),
    ],
)
def test_it_skips_a_row_with_an_error_and_keeps_the_others(
    cells: dict[str, str], reason: str
) -> None:
    columns = ["external_id", "name", "sex", "birth_year", "disclosure"]
    bad = {"external_id": "B-1", "name": "Pak", **cells}
    data = csv_bytes(
        [
            columns,
            ["A-1", "Kim", "", "", ""],
            [bad.get(c, "") for c in columns],
            ["C-1", "Ri", "", "", ""],
        ]
    )
    reading = read(data)
    assert reading.errors == (RowError(3, reason),)
    assert [row.external_id for row in reading.rows] == ["A-1", "C-1"]


def test_it_gives_every_reason_of_a_row_in_one_error() -> None:
    reading = read(csv_bytes([["name", "sex", "birth_year"], ["Kim", "?", "19"]]))
    (error,) = reading.errors
    assert error.reason == "sex is not F, M, X or empty; birth_year is not a four-digit year"


def test_it_refuses_a_repeated_external_id_and_names_the_first_row() -> None:
    reading = read(
        csv_bytes(
            [["external_id", "name"], ["A-1", "Kim"], ["A-2", "Ri"], ["A-1", "Kim C."], ["A-1", ""]]
        )
    )
    assert [row.row_number for row in reading.rows] == [2, 3]
    assert reading.errors == (
        RowError(4, "external_id repeats row 2"),
        RowError(5, "external_id repeats row 2"),
    )


def test_it_lets_a_refused_row_keep_its_external_id() -> None:
    reading = read(csv_bytes([["external_id", "birth_year"], ["A-1", "87"], ["A-1", "1987"]]))
    assert reading.rows == ()
    assert [error.row_number for error in reading.errors] == [2, 3]
    assert reading.errors[1].reason == "external_id repeats row 2"


def test_it_accepts_a_row_with_only_an_external_id_or_only_one_name() -> None:
    reading = read(
        csv_bytes(
            [
                ["external_id", "name", "name_ko", "name_zh"],
                ["A-1", "", "", ""],
                ["", "Kim", "", ""],
                ["", "", "김", ""],
                ["", "", "", "金"],
            ]
        )
    )
    assert len(reading.rows) == 4
    assert reading.errors == ()


@pytest.mark.parametrize(
    ("written", "sex"),
    [
        ("f", "F"),
        ("Female", "F"),
        ("여", "F"),
        ("여성", "F"),
        ("M", "M"),
        ("male", "M"),
        ("남", "M"),
        ("x", "X"),
        ("", ""),
    ],
)
def test_it_reads_sex_in_the_ways_lists_write_it(written: str, sex: str) -> None:
    assert read(csv_bytes([["name", "sex"], ["Kim", written]])).rows[0].sex == sex


@pytest.mark.parametrize(
    ("written", "level"),
    [
        ("", "team"),
        ("Team", "team"),
        ("ORGANISATION", "organisation"),
        ("organization", "organisation"),
        ("partners", "partners"),
        ("public", "public"),
    ],
)
def test_it_reads_disclosure_levels_with_team_as_default(written: str, level: str) -> None:
    assert read(csv_bytes([["name", "disclosure"], ["Kim", written]])).rows[0].disclosure == level


def test_it_matches_column_names_whatever_their_case_and_spacing() -> None:
    reading = read(
        csv_bytes([["\ufeff EXTERNAL_ID ", "Name_KO", "Birth Year"], ["A", "김", "1990"]])
    )
    assert (reading.rows[0].external_id, reading.rows[0].name_ko) == ("A", "김")
    assert reading.rows[0].birth_year == 1990


def test_it_reports_and_ignores_unknown_columns() -> None:
    reading = read(
        csv_bytes([["name", "Colour", "", "phone", ""], ["Kim", "red", "x", "", ""], ["Ri"]])
    )
    assert reading.unknown_columns == ("Colour", "(unnamed column C)", "phone")
    assert [row.name for row in reading.rows] == ["Kim", "Ri"]


def test_it_skips_blank_rows_silently() -> None:
    data = b"name,notes\n\nKim,\n ,  \n,,,\nRi,x\n\n"
    reading = read(data)
    assert [(row.row_number, row.name) for row in reading.rows] == [(3, "Kim"), (6, "Ri")]
    assert reading.errors == ()


def test_it_trims_cells() -> None:
    reading = read(
        csv_bytes([["external_id", "name", "birth_year"], [" A-1 ", "  Kim ", " 1990 "]])
    )
    row = reading.rows[0]
    assert (row.external_id, row.name, row.birth_year) == ("A-1", "Kim", 1990)


def test_it_bounds_birth_years_by_this_year_by_default() -> None:
    this_year = date.today().year
    data = csv_bytes([["name", "birth_year"], ["Kim", str(this_year)], ["Ri", str(this_year + 1)]])
    reading = read_person_rows_bytes(data, filename="list.csv")
    assert [row.birth_year for row in reading.rows] == [this_year]
    assert [error.row_number for error in reading.errors] == [3]


def test_it_never_puts_cell_contents_into_reasons_or_reprs() -> None:
    secret = "SECRETNAME"
    columns = [
        "external_id",
        "name",
        "name_ko",
        "name_zh",
        "sex",
        "birth_year",
        "hometown",
        "notes",
        "disclosure",
    ]
    rows = [
        [f"{secret}-1", secret, secret, secret, "F", "1980", secret, secret, "team"],
        [f"{secret}-2", secret, secret, secret, secret, secret, secret, secret, secret],
        [f"{secret}-1", secret, "", "", "", "", "", "", ""],
    ]
    reading = read(csv_bytes([columns, *rows]))
    assert len(reading.rows) == 1 and len(reading.errors) == 2
    shown = repr(reading.rows[0]).replace(f"{secret}-1", "")
    assert secret not in shown
    assert "1980" not in shown
    assert all(secret not in error.reason for error in reading.errors)


# --- whole-file errors -------------------------------------------------------------------


def assert_file_error(error: pytest.ExceptionInfo[ImportFileError], code: str) -> None:
    assert isinstance(error.value, RefugeError)
    assert error.value.code == code
    assert str(error.value).startswith(f"[{code}] ")
    assert "\n" not in str(error.value)


def test_it_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError) as error:
        read_person_rows(tmp_path / "absent.csv")
    assert_file_error(error, "R100")


def test_it_refuses_a_directory(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError) as error:
        read_person_rows(tmp_path)
    assert_file_error(error, "R100")


def test_it_refuses_a_file_larger_than_the_limit_before_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written to disk
    with pytest.raises(ImportFileError) as error:
        read_person_rows(path)
    assert_file_error(error, "R101")


def test_it_refuses_uploaded_bytes_larger_than_the_limit() -> None:
    assert MAX_FILE_BYTES == 20 * 1024 * 1024
    with pytest.raises(ImportFileError) as error:
        read(b"name\n" + b"K" * MAX_FILE_BYTES)
    assert_file_error(error, "R101")


def test_it_accepts_a_file_exactly_at_the_limit() -> None:
    data = b"name\nKim\n"
    padding = b" " * 1023 + b"\n"  # blank rows, so that no cell passes the csv module's limit
    data += padding * ((MAX_FILE_BYTES - len(data)) // len(padding))
    data += b" " * (MAX_FILE_BYTES - len(data))
    assert len(data) == MAX_FILE_BYTES
    assert [row.name for row in read(data).rows] == ["Kim"]


def test_it_refuses_a_workbook_that_unpacks_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheets_module, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(ImportFileError) as error:
        read(xlsx_bytes([["name"], ["K" * 2000]]), "list.xlsx")
    assert_file_error(error, "R101")


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "old.xls"),
        (_zip({"word/document.xml": b"<w/>"}), "letter.docx"),
        (_zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}), "list.ods"),
        (b"%PDF-1.7\n1 0 obj\n", "list.pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.png"),
        (b"<html><body><table><tr><td>name</td></tr></table></body></html>", "export.xls"),
    ],
)
def test_it_refuses_files_that_are_not_csv_or_xlsx(data: bytes, filename: str) -> None:
    with pytest.raises(ImportFileError) as error:
        read(data, filename)
    assert_file_error(error, "R102")


def test_it_refuses_text_in_no_supported_encoding() -> None:
    with pytest.raises(ImportFileError) as error:
        read(b"name\nKim \x80\xff\n")  # 0x80 starts no UTF-8 and no CP949 character
    assert_file_error(error, "R103")


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (xlsx_bytes([["name"], ["Kim"]])[:300], "cut.xlsx"),
        (_zip({"xl/workbook.xml": b"not xml at all", "[Content_Types].xml": b"<"}), "bad.xlsx"),
        (b"name\nKim\n", "renamed.xlsx"),
    ],
)
def test_it_refuses_a_damaged_workbook(data: bytes, filename: str) -> None:
    with pytest.raises(ImportFileError) as error:
        read(data, filename)
    assert_file_error(error, "R104")


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"", "empty.csv"),
        (b"\n\n , \n", "blank.csv"),
        (b"\xef\xbb\xbf", "bom.csv"),
        (xlsx_bytes([]), "empty.xlsx"),
        (xlsx_bytes([[None, None], []]), "blank.xlsx"),
    ],
)
def test_it_refuses_a_file_without_a_header_row(data: bytes, filename: str) -> None:
    with pytest.raises(ImportFileError) as error:
        read(data, filename)
    assert_file_error(error, "R105")


def test_it_refuses_a_header_naming_no_known_column() -> None:
    # A list pasted without its header: the first person becomes the "header".
    with pytest.raises(ImportFileError) as error:
        read(csv_bytes([["A-1", "Kim Chol-su", "1987"], ["A-2", "Ri Son-hui", "1990"]]))
    assert_file_error(error, "R106")
    assert "Kim" not in str(error.value)


def test_it_refuses_more_rows_than_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    assert MAX_ROWS == 100_000
    monkeypatch.setattr(reading_module, "MAX_ROWS", 3)
    assert len(read(b"name\nA\nB\n\n\nC\n").rows) == 3  # blank rows do not count
    with pytest.raises(ImportFileError) as error:
        read(b"name\nA\nB\nC\nD\n")
    assert_file_error(error, "R107")


def test_it_refuses_a_header_naming_a_column_twice() -> None:
    with pytest.raises(ImportFileError) as error:
        read(csv_bytes([["name", "Name "], ["Kim", "Ri"]]))
    assert_file_error(error, "R108")


def test_it_refuses_a_malformed_csv() -> None:
    with pytest.raises(ImportFileError) as error:
        read(b"name,notes\nKim," + b"x" * 200_000 + b"\n")
    assert_file_error(error, "R109")


# --- round trip --------------------------------------------------------------------------


def _is_clean(text: str) -> bool:
    return text == unicodedata.normalize("NFC", text).strip()


cell_text = st.text(
    st.one_of(
        st.characters(blacklist_categories=("Cs", "Cc")),
        st.sampled_from(",;\"'\n\r\t "),
    ),
    max_size=12,
).filter(_is_clean)
person = st.builds(
    PersonRow,
    row_number=st.just(0),
    external_id=st.text(string.ascii_letters + string.digits + "-_/가나", min_size=1, max_size=10),
    name=cell_text,
    name_ko=cell_text,
    name_zh=cell_text,
    sex=st.sampled_from(["F", "M", "X", ""]),
    birth_year=st.none() | st.integers(1900, YEAR),
    hometown=cell_text,
    notes=cell_text,
    disclosure=st.sampled_from(["team", "organisation", "partners", "public"]),
)


@settings(max_examples=60, deadline=None)
@given(
    people=st.lists(person, max_size=8, unique_by=lambda row: row.external_id),
    encoding=st.sampled_from(["utf-8", "utf-8-sig"]),
)
def test_valid_rows_written_to_csv_read_back_unchanged(
    people: list[PersonRow], encoding: str
) -> None:
    expected = [replace(row, row_number=number) for number, row in enumerate(people, start=2)]
    table: list[list[object]] = [list(HEADER)]
    for row in expected:
        year = "" if row.birth_year is None else row.birth_year
        table.append(
            [
                row.external_id,
                row.name,
                row.name_ko,
                row.name_zh,
                row.sex,
                year,
                row.hometown,
                row.notes,
                row.disclosure,
            ]
        )
    reading = read(csv_bytes(table, encoding=encoding))
    assert reading.errors == ()
    assert reading.rows == tuple(expected)


# --- boundary ----------------------------------------------------------------------------


@pytest.mark.slow
def test_reading_person_lists_does_not_import_django() -> None:
    code = "import sys, refuge.people; assert not any(m.startswith('django') for m in sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True)
