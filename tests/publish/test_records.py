"""The records every part of publishing exchanges (refuge.publish.records)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest

from refuge.publish import (
    AggregateInput,
    PublishedCount,
    PublishedEvent,
    PublishedIncident,
    PublishedPlace,
    PublishedTable,
)


def test_a_count_labels_itself_as_a_number_a_range_or_nothing() -> None:
    assert PublishedCount(12, 12).label() == "12"
    assert PublishedCount(1, 4).label() == "1\u20134"
    assert PublishedCount(None, None).label() == ""
    assert PublishedCount(3, None).label() == "3+"
    assert PublishedCount(None, 4).label() == "\u22644"


def test_a_count_is_exact_only_when_both_bounds_agree() -> None:
    assert PublishedCount.of(0).exact
    assert not PublishedCount(1, 4).exact
    assert not PublishedCount.unknown().exact
    assert not PublishedCount(3, None).exact


def test_a_count_refuses_negative_or_reversed_bounds() -> None:
    with pytest.raises(ValueError, match="never negative"):
        PublishedCount(-1, 2)
    with pytest.raises(ValueError, match="low <= high"):
        PublishedCount(5, 3)


def test_records_are_frozen_and_hashable() -> None:
    place = PublishedPlace("Jilin", "지린", "cn-22", "CN", "Jilin", "admin1", 43.7, 126.2)
    event = PublishedEvent(1, "arrest", date(2024, 4, 1), date(2024, 4, 30), "month", place)
    incident = PublishedIncident(
        public_id="R-0001",
        audience="public",
        title="Arrests in Jilin",
        summary="",
        status="detained",
        event_types=("arrest",),
        date_start=date(2024, 4, 1),
        date_end=date(2024, 4, 30),
        date_precision="month",
        place=place,
        nationality="KP",
        total=PublishedCount.of(7),
        adults=PublishedCount.of(7),
        minors=PublishedCount.of(0),
        women=PublishedCount(1, 4),
        men=PublishedCount(1, 4),
        events=(event,),
        released_at=datetime(2024, 5, 1, tzinfo=UTC),
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        incident.title = "changed"  # type: ignore[misc]
    assert hash(incident) == hash(dataclasses.replace(incident))
    assert not incident.minors_involved
    assert dataclasses.replace(incident, minors=PublishedCount(1, 4)).minors_involved


def test_a_table_answers_for_one_cell_and_counts_what_it_withholds() -> None:
    table = PublishedTable(
        name="by_month",
        dimensions=("month",),
        rows=((("2024-04",), 12), (("2024-05",), None), (("2024-06",), None)),
        threshold=5,
    )
    assert table.value("2024-04") == 12
    assert table.value("2024-05") is None
    assert table.suppressed == 2
    with pytest.raises(KeyError):
        table.value("2023-01")


def test_an_aggregate_input_keeps_exact_figures() -> None:
    row = AggregateInput("R-1", "2024-04", "CN", "Jilin", "", 7, 5, 2, None, None)
    assert row.total == 7 and row.women is None
