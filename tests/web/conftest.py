from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated(master_key: None, own_evidence_store: None) -> None:
    """Every web test: the run's master key, and an evidence folder of its own."""
