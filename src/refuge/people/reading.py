"""Reading a whole list of persons: limits, header, each row kept or refused with a reason."""

from __future__ import annotations

from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Final

from refuge.people.cells import clean_text, parse_row
from refuge.people.columns import read_header
from refuge.people.errors import ImportFileError
from refuge.people.records import ImportReading, PersonRow, RowError
from refuge.people.sheets import open_sheet

MAX_FILE_BYTES: Final = 20 * 1024 * 1024
MAX_ROWS: Final = 100_000


def read_person_rows(path: Path, *, current_year: int | None = None) -> ImportReading:
    """Read a CSV or XLSX list of persons from disk (see ``read_person_rows_bytes``)."""
    try:
        if not path.is_file():
            raise ImportFileError(
                "the file does not exist or is not a regular file; check the path", code="R100"
            )
        if path.stat().st_size > MAX_FILE_BYTES:
            raise _too_large()
        with path.open("rb") as handle:
            # One byte more than allowed tells a file that grew since stat() from one that fits.
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ImportFileError(
            f"the file cannot be opened ({error.strerror or 'read error'}); check its permissions",
            code="R100",
        ) from None
    return read_person_rows_bytes(data, filename=path.name, current_year=current_year)


def read_person_rows_bytes(
    data: bytes, *, filename: str, current_year: int | None = None
) -> ImportReading:
    """Read an uploaded list of persons; rows with errors are reported and left out.

    ``filename`` only sharpens messages; the format comes from the bytes. ``current_year``
    bounds birth years (default: this year; tests pass a fixed one).
    """
    if len(data) > MAX_FILE_BYTES:
        raise _too_large()
    year = current_year if current_year is not None else date.today().year
    sheet = open_sheet(data, filename=filename)
    kept: list[PersonRow] = []
    errors: list[RowError] = []
    first_row_of_id: dict[str, int] = {}
    used_unnamed: set[int] = set()
    with closing(sheet.rows) as rows:
        header = None
        for _, cells in rows:
            if any(cell.strip() for cell in cells):
                header = read_header(cells)
                break
        if header is None:
            raise ImportFileError(
                "the file has no header row (it is empty); the first row must name the columns",
                code="R105",
            )
        count = 0
        for number, cells in rows:
            if not any(cell.strip() for cell in cells):
                continue
            count += 1
            if count > MAX_ROWS:
                raise ImportFileError(
                    f"the file has more than {MAX_ROWS:,} rows; split it into smaller files",
                    code="R107",
                )
            used_unnamed.update(
                index for index in header.unnamed if index < len(cells) and cells[index].strip()
            )
            values = {
                column: clean_text(cells[index]) if index < len(cells) else ""
                for column, index in header.positions.items()
            }
            result = parse_row(values, row_number=number, current_year=year)
            reasons = result if isinstance(result, list) else []
            external_id = values.get("external_id", "")
            if external_id:
                # The first row to name an id owns it even if that row is refused: importing
                # a later row instead would silently pick one of two conflicting records.
                if external_id in first_row_of_id:
                    reasons.append(f"external_id repeats row {first_row_of_id[external_id]}")
                else:
                    first_row_of_id[external_id] = number
            if reasons:
                errors.append(RowError(row_number=number, reason="; ".join(reasons)))
            elif isinstance(result, PersonRow):
                kept.append(result)
    return ImportReading(
        rows=tuple(kept),
        errors=tuple(errors),
        unknown_columns=header.unknown_labels(used_unnamed),
        encoding=sheet.encoding,
        format=sheet.format,
    )


def _too_large() -> ImportFileError:
    return ImportFileError(
        f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split it into "
        "smaller files",
        code="R101",
    )


__all__ = ["MAX_FILE_BYTES", "MAX_ROWS", "read_person_rows", "read_person_rows_bytes"]
