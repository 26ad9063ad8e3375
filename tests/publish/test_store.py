"""The publication store (refuge.publish.store): built atomically, read read-only, empty
before the first build.

Property tests draw incidents from ``publishkit.incidents`` (any Unicode text, every kind of
count, places with and without coordinates, release times in several offsets).
"""

from __future__ import annotations

import dataclasses
import hashlib
import sqlite3
import tempfile
import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from publishkit import CHINA, GENERATED_AT, incident, incident_lists, one_way, total

from refuge.errors import PublicationError
from refuge.publish.records import (
    PublishedCount,
    PublishedEvent,
    PublishedIncident,
    PublishedTable,
)
from refuge.publish.sdc import build_tables
from refuge.publish.store import (
    StoreFilters,
    StoreReader,
    build_store,
    store_path,
)

SAFE_TABLES = [total(30), one_way("by_sex", "sex", {"women": 12, "men": 18})]


def _build(
    path: Path, incidents: list[PublishedIncident], tables: list[PublishedTable] = SAFE_TABLES
) -> None:
    build_store(path, "public", incidents, tables, generated_at=GENERATED_AT)


def test_each_audience_has_its_own_file_under_publication(tmp_path: Path) -> None:
    assert store_path("public", tmp_path) == tmp_path / "publication" / "public.sqlite3"
    assert store_path("partners", tmp_path) == tmp_path / "publication" / "partners.sqlite3"
    with pytest.raises(PublicationError, match="R156"):
        store_path("everyone", tmp_path)  # type: ignore[arg-type]


def test_a_missing_store_reads_as_empty(tmp_path: Path) -> None:
    reader = StoreReader(tmp_path / "publication" / "public.sqlite3")
    meta = reader.meta()
    assert (meta.available, meta.incidents, meta.generated_at) == (False, 0, None)
    assert reader.count() == 0
    assert reader.incidents() == []
    assert reader.incident("R-1") is None
    assert reader.tables() == []
    assert reader.table("total") is None
    assert not (tmp_path / "publication").exists()  # reading creates nothing


def test_a_built_store_gives_back_its_records_and_tables(tmp_path: Path) -> None:
    path = store_path("public", tmp_path)
    records = [incident("R-1"), incident("R-2", date_start=date(2023, 1, 1))]
    summary = build_store(path, "public", records, SAFE_TABLES, generated_at=GENERATED_AT)
    assert summary.incidents == 2 and summary.tables == 2
    assert summary.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert summary.size == path.stat().st_size
    with StoreReader(path) as reader:
        meta = reader.meta()
        assert (meta.available, meta.audience, meta.generated_at) == (True, "public", GENERATED_AT)
        assert (meta.incidents, meta.tables, meta.threshold) == (2, 2, 5)
        assert reader.incident("R-1") == records[0]
        assert reader.incident("R-3") is None
        assert reader.tables() == SAFE_TABLES
        assert reader.table("by_sex") == SAFE_TABLES[1]


def test_incidents_come_newest_first_undated_last_in_stable_pages(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    records = [
        incident("R-3", date_start=date(2022, 1, 1), date_end=date(2022, 1, 31)),
        incident("R-1", date_start=None, date_end=None, date_precision=""),
        incident("R-2", date_start=date(2024, 1, 1), date_end=date(2024, 1, 31)),
        incident("R-4", date_start=date(2024, 1, 1), date_end=date(2024, 1, 31)),
    ]
    _build(path, records)
    reader = StoreReader(path)
    assert [i.public_id for i in reader.incidents()] == ["R-2", "R-4", "R-3", "R-1"]
    assert [i.public_id for i in reader.incidents(None, 1, 2)] == ["R-4", "R-3"]
    assert reader.incidents(offset=10) == []
    assert reader.incidents(limit=0) == []
    with pytest.raises(PublicationError, match="R156"):
        reader.incidents(offset=-1)


def test_filters_select_by_event_type_place_year_and_minors(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    repatriation = PublishedEvent(2, "repatriation", None, None, "", None)
    records = [
        incident("J-2024", minors=PublishedCount(1, 4)),
        incident(
            "CN-2017",
            place=CHINA,
            event_types=("detention",),
            events=(repatriation,),
            date_start=date(2017, 1, 1),
            date_end=date(2018, 12, 31),
            date_precision="year",
        ),
        incident("undated", place=None, date_start=None, date_end=None, date_precision=""),
    ]
    _build(path, records)
    reader = StoreReader(path)

    def ids(**filters: object) -> list[str]:
        f = StoreFilters(**filters)  # type: ignore[arg-type]
        found = [i.public_id for i in reader.incidents(f, 0, 100)]
        assert reader.count(f) == len(found)
        return sorted(found)

    assert ids() == ["CN-2017", "J-2024", "undated"]
    assert ids(event_type="repatriation") == ["CN-2017"]  # an event's type counts too
    assert ids(event_type="arrest") == ["J-2024", "undated"]
    assert ids(country="cn") == ["CN-2017", "J-2024"]
    assert ids(country="CN", province="JILIN") == ["J-2024"]
    assert ids(year=2018) == ["CN-2017"]
    assert ids(year=2024) == ["J-2024"]
    assert ids(minors_involved=True) == ["J-2024"]
    assert ids(minors_involved=False) == ["CN-2017", "undated"]
    assert ids(country="", province="", event_type="") == ["CN-2017", "J-2024", "undated"]


def test_a_rebuild_replaces_the_store_and_open_readers_see_it(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    _build(path, [incident("R-1"), incident("R-2")])
    reader = StoreReader(path)
    assert reader.count() == 2
    _build(path, [incident("R-2")])  # R-1 withdrawn
    assert reader.incident("R-1") is None
    assert [i.public_id for i in reader.incidents()] == ["R-2"]
    path.unlink()
    assert reader.count() == 0  # removed: empty again, no error


def test_a_failed_build_leaves_the_old_store_and_no_stray_file(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    _build(path, [incident("R-1")])
    before = path.read_bytes()
    leaky = [total(23), one_way("by_sex", "sex", {"women": None, "men": 20, "unknown": 0})]
    with pytest.raises(PublicationError, match="R153"):
        _build(path, [incident("R-2")], tables=leaky)
    with pytest.raises(PublicationError, match=r"R154.*twice"):
        _build(path, [incident("R-2"), incident("R-2")])
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.sqlite3"]


def test_a_store_refuses_records_that_break_its_rules(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with pytest.raises(PublicationError, match=r"R154.*partners"):
        build_store(path, "partners", [incident("R-1")], [], generated_at=GENERATED_AT)
    naive = incident("R-1", released_at=datetime(2024, 5, 1))
    with pytest.raises(PublicationError, match=r"R154.*time zone"):
        _build(path, [naive])
    with pytest.raises(PublicationError, match=r"R154.*time zone"):
        build_store(path, "public", [], [], generated_at=datetime(2024, 5, 1))
    far = dataclasses.replace(CHINA, lat=float("nan"))
    with pytest.raises(PublicationError, match=r"R154.*finite"):
        _build(path, [incident("R-1", place=far)])
    with pytest.raises(PublicationError, match=r"R154.*same name"):
        _build(path, [], tables=[total(30), total(30)])
    assert not path.exists()


def test_a_store_that_cannot_be_written_says_so(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(PublicationError, match=r"R154.*cannot write"):
        _build(blocker / "s.sqlite3", [])


def test_a_file_that_is_not_a_store_is_reported_not_served(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(PublicationError, match=r"R155.*refuge publish"):
        StoreReader(path).count()
    path.unlink()
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE meta (key TEXT, value TEXT)")
        db.execute("INSERT INTO meta VALUES ('schema_version', '99')")
    db.close()
    with pytest.raises(PublicationError, match="R155"):
        StoreReader(path).meta()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '1'")  # the right version, but nothing else
    db.close()
    with pytest.raises(PublicationError, match="R155"):
        StoreReader(path).meta()


def test_the_reader_cannot_write_attach_or_change_settings(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    _build(path, [incident("R-1")])
    before = path.read_bytes()
    reader = StoreReader(path)
    assert reader.count() == 1
    db = reader._connection()  # private on purpose: nothing outside store.py gets it
    assert db is not None
    confidential = tmp_path / "main.sqlite3"
    sqlite3.connect(confidential).close()
    for statement in (
        "DELETE FROM incident",
        "INSERT INTO meta VALUES ('x', 'y')",
        "UPDATE incident SET record = '{}'",
        "DROP TABLE incident",
        "CREATE TABLE leak (x)",
        f"ATTACH DATABASE '{confidential}' AS main2",
        "PRAGMA query_only = OFF",
        "PRAGMA journal_mode = WAL",
    ):
        with pytest.raises(sqlite3.DatabaseError):
            db.execute(statement)
    assert reader.incident("R-1") == incident("R-1")
    assert path.read_bytes() == before


def test_a_reader_can_be_shared_between_threads(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    _build(path, [incident(f"R-{i}") for i in range(20)])
    reader = StoreReader(path)
    errors: list[BaseException] = []

    def read() -> None:
        try:
            for _ in range(30):
                assert reader.count() == 20
                assert len(reader.incidents(limit=5)) == 5
        except BaseException as exc:  # handed to the main thread
            errors.append(exc)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_built_tables_from_the_sdc_round_trip(tmp_path: Path) -> None:
    from refuge.publish.records import AggregateInput

    inputs = [
        AggregateInput("a", "2024-01", "CN", "Jilin", "", 12, 9, 3, None, None),
        AggregateInput("b", "2024-02", "CN", "Jilin", "", 20, 20, 0, None, None),
    ]
    tables = build_tables(inputs)
    path = tmp_path / "s.sqlite3"
    build_store(path, "public", [], tables, generated_at=GENERATED_AT)
    assert StoreReader(path).tables() == tables


# --- properties --------------------------------------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(incident_lists("public"), st.sampled_from(["public", "partners"]))
def test_the_store_round_trips_every_incident_exactly(
    records: list[PublishedIncident], audience: str
) -> None:
    records = [dataclasses.replace(r, audience=audience) for r in records]  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory() as directory:
        path = store_path(audience, directory)  # type: ignore[arg-type]
        build_store(path, audience, records, SAFE_TABLES, generated_at=GENERATED_AT)  # type: ignore[arg-type]
        reader = StoreReader(path)
        for record in records:
            assert reader.incident(record.public_id) == record
        everything = reader.incidents(limit=len(records) + 1)
        assert sorted(everything, key=lambda r: r.public_id) == sorted(
            records, key=lambda r: r.public_id
        )
        assert reader.count() == len(records)
        reader.close()


def _matches(record: PublishedIncident, f: StoreFilters) -> bool:
    """The filters' documented meaning, written out independently of the SQL."""
    types = set(record.event_types) | {e.type for e in record.events}
    place = record.place
    first = record.date_start or record.date_end
    last = record.date_end or record.date_start
    return (
        (not f.event_type or f.event_type in types)
        and (
            not f.country
            or (place is not None and place.country.casefold() == f.country.casefold())
        )
        and (
            not f.province
            or (place is not None and place.admin1.casefold() == f.province.casefold())
        )
        and (
            f.year is None
            or (first is not None and last is not None and first.year <= f.year <= last.year)
        )
        and (f.minors_involved is None or record.minors_involved == f.minors_involved)
    )


_filters = st.builds(
    StoreFilters,
    event_type=st.none() | st.sampled_from(["arrest", "detention", "repatriation"]),
    country=st.none() | st.sampled_from(["CN", "kp", ""]),
    province=st.none() | st.sampled_from(["Jilin", "liaoning"]),
    year=st.none() | st.integers(1995, 2030),
    minors_involved=st.none() | st.booleans(),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(incident_lists("public"), _filters, st.integers(0, 5), st.integers(0, 6))
def test_filtered_pages_are_the_matching_records_newest_first(
    records: list[PublishedIncident], filters: StoreFilters, offset: int, limit: int
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "public.sqlite3"
        build_store(path, "public", records, [], generated_at=GENERATED_AT)
        reader = StoreReader(path)
        expected = [r for r in records if _matches(r, filters)]
        assert reader.count(filters) == len(expected)
        every = reader.incidents(filters, 0, len(records) + 1)
        assert {r.public_id for r in every} == {r.public_id for r in expected}
        starts = [r.date_start or r.date_end for r in every]
        dated = [s for s in starts if s is not None]
        assert dated == sorted(dated, reverse=True)
        assert starts == dated + [None] * (len(starts) - len(dated))
        assert reader.incidents(filters, offset, limit) == every[offset : offset + limit]
        reader.close()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(
        [
            "DELETE FROM incident",
            "INSERT INTO incident_event_type VALUES ('arrest', 99)",
            "UPDATE meta SET value = 'partners' WHERE key = 'audience'",
            "DROP INDEX incident_year",
            "CREATE TEMP TABLE t (x)",
            "ALTER TABLE incident ADD COLUMN x",
            "VACUUM",
            "BEGIN IMMEDIATE",
            "REINDEX",
        ]
    ),
    incident_lists("public"),
)
def test_no_statement_through_the_readers_connection_changes_the_store(
    statement: str, records: list[PublishedIncident]
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "public.sqlite3"
        build_store(path, "public", records, [], generated_at=GENERATED_AT)
        before = path.read_bytes()
        reader = StoreReader(path)
        db = reader._connection()  # private on purpose: nothing outside store.py gets it
        assert db is not None
        with pytest.raises(sqlite3.DatabaseError):
            db.execute(statement)
        assert reader.count() == len(records)
        reader.close()
        assert path.read_bytes() == before


def test_released_at_keeps_its_instant_and_offset(tmp_path: Path) -> None:
    from datetime import timedelta, timezone

    seoul = datetime(2024, 5, 1, 21, tzinfo=timezone(timedelta(hours=9)))
    path = tmp_path / "s.sqlite3"
    _build(path, [incident("R-1", released_at=seoul)])
    got = StoreReader(path).incident("R-1")
    assert got is not None
    assert got.released_at == seoul == datetime(2024, 5, 1, 12, tzinfo=UTC)
    assert got.released_at.utcoffset() == timedelta(hours=9)
