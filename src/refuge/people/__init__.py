"""Reading lists of persons for ``refuge import persons`` (shared/contracts/import.md).

Pure: a CSV or XLSX file becomes ``PersonRow`` values and ``RowError`` reasons; storing them
(encrypted, idempotent by ``external_id``) is the web layer's job. See docs/import.md.

Error codes (``ImportFileError``, a ``RefugeError``; the file cannot be read at all, so
nothing is imported):
- R100: the file does not exist, is not a regular file, or cannot be opened.
- R101: the file is larger than 20 MB, or an XLSX unpacks to more than 256 MB.
- R102: the file is neither CSV nor XLSX (old .xls, password-protected workbook, ODS, DOCX,
  PDF, HTML, other binary data).
- R103: a CSV is neither UTF-8 (with or without BOM, or UTF-16 with BOM) nor CP949/EUC-KR.
- R104: an XLSX workbook is damaged, or a file named .xlsx is not one.
- R105: there is no header row: the file is empty or holds only blank rows.
- R106: the header row names no known column.
- R107: the file has more than 100,000 non-blank data rows.
- R108: the header names a known column twice.
- R109: the CSV is malformed (a cell longer than the csv module's limit, broken quoting).

Messages and row reasons name columns and problems, never cell contents: they reach logs and
screens, and cells hold names.
"""

from refuge.people.columns import COLUMNS, IDENTIFYING_COLUMNS
from refuge.people.errors import ImportFileError
from refuge.people.reading import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    read_person_rows,
    read_person_rows_bytes,
)
from refuge.people.records import ImportReading, PersonRow, RowError

__all__ = [
    "COLUMNS",
    "IDENTIFYING_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "ImportFileError",
    "ImportReading",
    "PersonRow",
    "RowError",
    "read_person_rows",
    "read_person_rows_bytes",
]
