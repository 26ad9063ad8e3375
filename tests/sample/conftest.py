"""A writable copy of the packaged sample data, for tests that break it on purpose."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

Records = dict[str, Any]


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """tmp_path holding records.json and reports/ exactly as packaged."""
    package = files("refuge.sample")
    (tmp_path / "records.json").write_bytes(package.joinpath("records.json").read_bytes())
    (tmp_path / "reports").mkdir()
    for report in package.joinpath("reports").iterdir():
        if report.name.endswith(".txt"):
            (tmp_path / "reports" / report.name).write_bytes(report.read_bytes())
    return tmp_path


@pytest.fixture
def edit_records(sample_copy: Path) -> Callable[[Callable[[Records], object]], Path]:
    """Apply an in-place change to the copy's records.json and return the copy's folder."""

    def edit(change: Callable[[Records], object]) -> Path:
        path = sample_copy / "records.json"
        records = json.loads(path.read_text("utf-8"))
        change(records)
        path.write_text(json.dumps(records, ensure_ascii=False), "utf-8")
        return sample_copy

    return edit
