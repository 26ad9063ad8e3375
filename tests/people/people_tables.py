"""Builders for person lists in memory (CSV in a chosen encoding, XLSX through openpyxl)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import openpyxl


def csv_bytes(rows: Sequence[Sequence[object]], *, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(*sheets: Sequence[Sequence[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for index, rows in enumerate(sheets):
        sheet = workbook.create_sheet(f"Sheet{index + 1}")
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
