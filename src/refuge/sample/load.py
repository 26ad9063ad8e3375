"""Reading the packaged sample files (or a folder laid out the same way) into SampleData."""

from __future__ import annotations

import json
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from refuge.sample.errors import SampleDataError
from refuge.sample.model import SampleData
from refuge.sample.parse import parse_sample_data

RECORDS_FILE = "records.json"


def load_sample_data(root: Traversable | Path | None = None) -> SampleData:
    """Read and validate ``records.json`` and its reports under ``root`` (default: this package).

    Raises SampleDataError (R090-R097) naming the record and the rule it breaks.
    """
    base: Traversable | Path = files("refuge.sample") if root is None else root
    raw = _read_json(base)
    return parse_sample_data(raw, lambda file: _read_report(base, file))


def _read_json(base: Traversable | Path) -> object:
    text = _read_utf8(base.joinpath(RECORDS_FILE), RECORDS_FILE)
    try:
        return json.loads(text, object_pairs_hook=_refuse_duplicate_keys)
    except json.JSONDecodeError as error:
        raise SampleDataError(
            f"{RECORDS_FILE} is not valid JSON: {error.msg} at line {error.lineno}, "
            f"column {error.colno}",
            code="R090",
        ) from None


def _refuse_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    # json keeps the last of two equal keys without a word; in a record that hides an edit.
    result: dict[str, object] = {}
    for key, value in pairs:
        if key in result:
            raise SampleDataError(
                f"{RECORDS_FILE}: key {key!r} appears twice in one object; keep one",
                code="R091",
            )
        result[key] = value
    return result


def _read_report(base: Traversable | Path, file: str) -> str:
    parts = file.split("/")
    # Records name files relative to the data folder; nothing may reach outside it.
    if file.startswith("/") or "\\" in file or any(p in ("", ".", "..") for p in parts):
        raise SampleDataError(
            f"report path {file!r} must be relative to the sample folder, like reports/x.txt",
            code="R090",
        )
    node: Traversable | Path = base
    for part in parts:
        node = node.joinpath(part)
    # Normalised so that spans match on a checkout that rewrote line endings.
    return _read_utf8(node, file).replace("\r\n", "\n")


def _read_utf8(node: Traversable | Path, name: str) -> str:
    if not node.is_file():
        raise SampleDataError(f"sample file {name} is missing; restore it", code="R090")
    try:
        return node.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise SampleDataError(
            f"sample file {name} is not UTF-8; save it as UTF-8", code="R090"
        ) from None


__all__ = ["load_sample_data"]
