from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _isolated(master_key: None, own_evidence_store: None) -> None:
    """Every web test: the run's master key, and an evidence folder of its own."""


# --- Publication store (tests/web/public, tests/web/api) -----------------------------------


@pytest.fixture
def public_store(settings: Any) -> Iterator[Any]:
    """``public_store(incidents, tables)`` builds the store in the test run's data dir, where
    the public pages and the public API read it; the test starts and ends with none."""
    from datetime import UTC, datetime
    from pathlib import Path

    from refuge.publish.records import AUDIENCES
    from refuge.publish.store import build_store, store_path

    paths = [store_path(audience, Path(settings.DATA_DIR)) for audience in AUDIENCES]
    for path in paths:
        path.unlink(missing_ok=True)

    def build(incidents: Any = (), tables: Any = (), *, audience: Any = "public") -> Path:
        path = store_path(audience, Path(settings.DATA_DIR))
        build_store(
            path,
            audience,
            list(incidents),
            list(tables),
            generated_at=datetime(2024, 6, 1, 12, 0, tzinfo=UTC),
        )
        return path

    yield build
    for path in paths:
        path.unlink(missing_ok=True)


@pytest.fixture
def published_incident() -> Any:
    """A generalised, released incident as the snapshot would make it; override any field."""
    import dataclasses
    from datetime import UTC, date, datetime

    from refuge.publish.records import (
        PublishedCount,
        PublishedEvent,
        PublishedIncident,
        PublishedPlace,
    )

    jilin = PublishedPlace("Jilin", "지린", "cn-jl", "CN", "Jilin", "admin1", 43.7, 126.2)

    def make(public_id: str = "I-PUBLIC01", **changes: Any) -> PublishedIncident:
        incident = PublishedIncident(
            public_id=public_id,
            audience="public",
            title=f"Arrests in Jilin ({public_id})",
            summary="A public summary written at release.",
            status="repatriated",
            event_types=("arrest", "repatriation"),
            date_start=date(2024, 4, 1),
            date_end=date(2024, 4, 30),
            date_precision="month",
            place=jilin,
            nationality="KP",
            total=PublishedCount.of(12),
            adults=PublishedCount.of(10),
            minors=PublishedCount(1, 4),
            women=PublishedCount(5, 5),
            men=PublishedCount.unknown(),
            events=(
                PublishedEvent(1, "arrest", date(2024, 4, 1), date(2024, 4, 30), "month", jilin),
                PublishedEvent(
                    2, "repatriation", date(2024, 5, 1), date(2024, 5, 31), "month", None
                ),
            ),
            released_at=datetime(2024, 5, 20, 9, 0, tzinfo=UTC),
        )
        return dataclasses.replace(incident, **changes)

    return make
