"""From bytes to rows of cell texts: what kind of file it is, how it is encoded, its cells.

The kind comes from the bytes, as in ``refuge.evidence.detect``; the file name only sharpens
the message when the bytes contradict it. Rows are yielded lazily with their spreadsheet row
numbers (blank rows included) so that the caller can stop at its row limit before a hostile
file is read to the end.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Generator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Final

import openpyxl

from refuge.people.columns import known_columns_in
from refuge.people.errors import ImportFileError
from refuge.people.records import FileFormat

# A 20 MB XLSX of text unpacks to well under this; a ZIP bomb does not.
MAX_UNPACKED_BYTES: Final = 256 * 1024 * 1024

_ZIP_SIGNATURES: Final = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_SIGNATURE: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_UTF16_BOMS: Final = (b"\xff\xfe", b"\xfe\xff")
_UTF8_BOM: Final = b"\xef\xbb\xbf"
# Comma first: it wins ties. Semicolons come from European Excel, tabs from "Unicode text".
_DELIMITERS: Final = (",", ";", "\t")
_SNIFF_CHARS: Final = 65536

Rows = Generator[tuple[int, list[str]], None, None]


@dataclass(frozen=True, slots=True)
class Sheet:
    """A readable table: its format, the text encoding of a CSV, and its rows (close them)."""

    format: FileFormat
    encoding: str | None
    rows: Rows


def open_sheet(data: bytes, *, filename: str) -> Sheet:
    """Recognise a CSV or XLSX file and prepare its rows; raise ImportFileError otherwise."""
    suffix = filename.rsplit(".", 1)[-1].casefold() if "." in filename else ""
    if data.startswith(_ZIP_SIGNATURES):
        _check_workbook(data)
        return Sheet(format="xlsx", encoding=None, rows=_xlsx_rows(data))
    if data.startswith(_OLE_SIGNATURE):
        raise ImportFileError(
            "the file is an old Excel (.xls) or password-protected workbook; "
            "save it as .xlsx without a password, or as CSV",
            code="R102",
        )
    if suffix in {"xlsx", "xlsm"}:
        raise ImportFileError(
            "the file is named .xlsx but is not an XLSX workbook (damaged or another format); "
            "save it again from the spreadsheet program",
            code="R104",
        )
    text, encoding = _decode(data)
    if text.lstrip()[:1] == "<":
        raise ImportFileError(
            "the file is a web page or XML, not CSV; open it in a spreadsheet program "
            "and save it as .xlsx or CSV",
            code="R102",
        )
    return Sheet(format="csv", encoding=encoding, rows=_csv_rows(text))


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise _undecodable() from None
    if data.startswith(b"%PDF-") or b"\x00" in data:
        raise ImportFileError(
            "the file is not a CSV or XLSX file; save the list as .xlsx or CSV",
            code="R102",
        )
    if data.startswith(_UTF8_BOM):
        try:
            return data[len(_UTF8_BOM) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            raise _undecodable() from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        # CP949 is a superset of EUC-KR: older Korean Excel saves CSV this way.
        return data.decode("cp949"), "cp949"
    except UnicodeDecodeError:
        raise _undecodable() from None


def _undecodable() -> ImportFileError:
    return ImportFileError(
        "the CSV text is neither UTF-8 nor CP949/EUC-KR; save it as CSV UTF-8",
        code="R103",
    )


def _csv_rows(text: str) -> Rows:
    delimiter = _choose_delimiter(text[:_SNIFF_CHARS])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error:
        raise ImportFileError(
            "the CSV file is malformed (a cell is too long or quotes do not match); "
            "save it again from the spreadsheet program",
            code="R109",
        ) from None


def _choose_delimiter(start: str) -> str:
    """The delimiter under which the first non-blank line names the most known columns."""
    best, best_count = _DELIMITERS[0], 0
    for delimiter in _DELIMITERS:
        reader = csv.reader(io.StringIO(start, newline=""), delimiter=delimiter)
        try:
            first = next((row for row in reader if any(cell.strip() for cell in row)), [])
        except csv.Error:
            continue
        count = known_columns_in(first)
        if count > best_count:
            best, best_count = delimiter, count
    return best


def _check_workbook(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _damaged() from None
    if not any(member.filename == "xl/workbook.xml" for member in members):
        raise ImportFileError(
            "the file is a ZIP archive (such as DOCX or ODS) but not an XLSX workbook; "
            "save the list as .xlsx or CSV",
            code="R102",
        )
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise ImportFileError(
            f"the workbook unpacks to more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MB; "
            "split it into smaller files",
            code="R101",
        )


def _damaged() -> ImportFileError:
    return ImportFileError(
        "the XLSX workbook is damaged and cannot be opened; save it again or export it as CSV",
        code="R104",
    )


def _xlsx_rows(data: bytes) -> Rows:
    # openpyxl raises many types (KeyError, ValueError, parse errors) for damaged parts; to
    # the user they all mean the same thing.
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise _damaged() from None
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        # Some writers record a wrong sheet size; read-only mode would cut cells to it.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        number = 0
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except Exception:
                raise _damaged() from None
            number += 1
            yield number, [cell_text(value) for value in values]
    finally:
        workbook.close()


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a person sees: 1990.0 is "1990", a date is ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time():
        return value.date().isoformat()
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


__all__ = ["MAX_UNPACKED_BYTES", "Sheet", "cell_text", "open_sheet"]
