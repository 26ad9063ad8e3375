"""Spreadsheet cells that cannot run: escaping text a spreadsheet would read as a formula.

A CSV or XLSX cell whose text begins with ``=``, ``+``, ``-`` or ``@`` (or with a tab, a
carriage return or a line feed, which some spreadsheets skip before looking for a formula)
can be taken as a formula when the file is opened: ``=HYPERLINK(...)`` sends data to a
stranger's server, DDE formulas start programs. The full-width forms (＝ ＋ － ＠) are treated
the same, because East Asian input set-ups turn them into their ASCII forms and our exports
are read in Korean.

Every *text* cell that begins with one of these gets one apostrophe in front, which every
spreadsheet shows as plain text. A text that already begins with an apostrophe gets one more,
so the escaping can be undone exactly: ``unescape_cell`` removes one leading apostrophe.
*Numeric* fields are never escaped; they are written as numbers, so a negative longitude
stays a number (``Cell`` keeps the two apart).

XLSX cannot hold the C0 control characters other than tab, LF and CR, nor U+FFFE and U+FFFF
(XML 1.0 forbids them):
``xlsx_text`` removes them before escaping, so a character that followed one cannot slip in
as the first character of a formula.
"""

from __future__ import annotations

import math
import re
from typing import Final

# A cell as the tabular exports hold it: text (escaped on writing), a number (never escaped),
# or nothing.
Cell = str | int | float | None

FORMULA_TRIGGERS: Final = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
ESCAPE: Final = "'"

# XML 1.0 forbids these characters (its Char production); openpyxl and lxml refuse them.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def needs_escape(text: str) -> bool:
    """Whether ``text`` would be read as a formula, or begins with the escape character."""
    return bool(text) and (text[0] in FORMULA_TRIGGERS or text[0] == ESCAPE)


def escape_cell(text: str) -> str:
    """``text`` made safe to put in a spreadsheet cell (see the module docstring)."""
    return ESCAPE + text if needs_escape(text) else text


def unescape_cell(text: str) -> str:
    """The text ``escape_cell`` was given."""
    return text[1:] if text.startswith(ESCAPE) else text


def is_safe_text(text: str) -> bool:
    """Whether a written text cell cannot start a formula."""
    return not text or text[0] not in FORMULA_TRIGGERS


def xlsx_text(text: str) -> str:
    """``text`` without the characters XLSX cannot hold, then escaped."""
    return escape_cell(_XML_ILLEGAL.sub("", text))


def safe_cell(value: Cell, *, xlsx: bool = False) -> Cell:
    """A cell ready to write: text escaped, numbers as they are, non-finite floats empty.

    ``bool`` is refused: it is an ``int`` to Python but a different type to a spreadsheet, and
    no export column holds one.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError("a spreadsheet cell is text or a number, never a bool")
    if isinstance(value, str):
        return xlsx_text(value) if xlsx else escape_cell(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, int | float):
        return value
    raise TypeError(f"a spreadsheet cell is text or a number, not {type(value).__name__}")


__all__ = [
    "ESCAPE",
    "FORMULA_TRIGGERS",
    "Cell",
    "escape_cell",
    "is_safe_text",
    "needs_escape",
    "safe_cell",
    "unescape_cell",
    "xlsx_text",
]
