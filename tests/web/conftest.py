from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _own_evidence_store(settings: Any, tmp_path: Path) -> None:
    """Each test gets its own evidence folder: a blob one test tampers with stays there."""
    settings.EVIDENCE_DIR = tmp_path / "evidence"
