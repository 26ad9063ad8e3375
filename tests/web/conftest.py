from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _own_evidence_store(settings: Any, tmp_path: Path) -> None:
    """Each test gets its own evidence folder: a blob one test tampers with stays there."""
    settings.EVIDENCE_DIR = tmp_path / "evidence"


@pytest.fixture(autouse=True, scope="session")
def _master_key() -> None:
    """The test run's master key (REFUGE_KEY_FILE, set by test_settings) and key check."""
    from refuge.web.keys import keys_init

    keys_init()
