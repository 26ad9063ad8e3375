"""The publication store: one SQLite file per audience, holding only what that audience sees.

``build_store`` writes the generalised incidents and the audited aggregate tables of one
audience to a new file beside the target, syncs it and renames it over the old one, so a
reader sees the old store or the new one, never half of either. ``StoreReader`` opens the
file read-only (``file:...?mode=ro``) through a connection that can only read: SQLite is
told the file is read-only, ``query_only`` is on, and an authorizer refuses every statement
that would write, attach another database or change a setting. The public side of Refuge
reads nothing else, so it cannot reach the confidential database (DESIGN.md principle 1).

A store that does not exist yet reads as empty (the site works before the first
``refuge publish``). The schema is private to this module: everything else uses the reader
and the records of ``refuge.publish.records``.

Error codes (PublicationError): R153 the tables fail the disclosure audit, R154 the store
cannot be built (contents that break a rule, or a file that cannot be written), R155 a file
at the store's path is not a store this version can read, R156 an invalid argument (unknown
audience, negative offset or limit).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sqlite3
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Final

from refuge.errors import PublicationError
from refuge.publish.records import (
    AUDIENCES,
    Audience,
    PublishedCount,
    PublishedEvent,
    PublishedIncident,
    PublishedPlace,
    PublishedTable,
)
from refuge.publish.sdc_audit import check_tables

SCHEMA_VERSION: Final = 1
_SCHEMA: Final = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE incident (
    position INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    country_key TEXT NOT NULL,
    province_key TEXT NOT NULL,
    year_start INTEGER,
    year_end INTEGER,
    minors_involved INTEGER NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX incident_country ON incident (country_key, province_key);
CREATE INDEX incident_year ON incident (year_start, year_end);
CREATE TABLE incident_event_type (
    type TEXT NOT NULL,
    position INTEGER NOT NULL REFERENCES incident (position),
    PRIMARY KEY (type, position)
) WITHOUT ROWID;
CREATE TABLE aggregate (
    position INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    record TEXT NOT NULL
);
"""


def store_path(audience: Audience, data_dir: str | os.PathLike[str]) -> Path:
    """``<data_dir>/publication/<audience>.sqlite3``: never the main database."""
    _check_audience(audience)
    return Path(data_dir) / "publication" / f"{audience}.sqlite3"


@dataclass(frozen=True, slots=True)
class StoreSummary:
    """What ``build_store`` wrote."""

    path: Path
    audience: Audience
    incidents: int
    tables: int
    generated_at: datetime
    sha256: str
    size: int  # bytes


@dataclass(frozen=True, slots=True)
class StoreMeta:
    """What a store says about itself; ``available`` is False before the first build."""

    available: bool
    audience: str  # "" when not available
    generated_at: datetime | None
    incidents: int
    tables: int
    threshold: int | None  # the k of its aggregate tables
    schema_version: int | None


@dataclass(frozen=True, slots=True)
class StoreFilters:
    """Filters of ``StoreReader.count`` / ``incidents``; None (or "") means any.

    ``event_type``: one of the incident's event types; ``country`` (ISO alpha-2) and
    ``province`` (admin1): of the incident's published place, compared without regard to
    case; ``year``: the incident's published period overlaps that year (incidents without a
    date never match); ``minors_involved``: the published figures show a minor or not.
    """

    event_type: str | None = None
    country: str | None = None
    province: str | None = None
    year: int | None = None
    minors_involved: bool | None = None


def build_store(
    path: str | os.PathLike[str],
    audience: Audience,
    incidents: Sequence[PublishedIncident],
    tables: Sequence[PublishedTable],
    *,
    generated_at: datetime,
) -> StoreSummary:
    """Write a new store of ``audience`` at ``path``, replacing any old one atomically.

    Refuses (R153) tables that fail the disclosure audit at their threshold, and (R154)
    incidents of another audience, a public id twice, times without a time zone, or
    coordinates that are not finite numbers.
    """
    _check_audience(audience)
    _check_contents(audience, incidents, tables, generated_at)
    threshold = max((t.threshold for t in tables), default=None)
    if threshold is not None:
        check_tables(tables, threshold)
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
        )
        os.close(handle)
    except OSError as exc:
        raise _build_error(target, exc) from None
    try:
        _write(Path(temporary), audience, incidents, tables, generated_at, threshold)
        digest, size = _sync_and_hash(Path(temporary))
        os.replace(temporary, target)
        _sync_directory(target.parent)
    except (OSError, sqlite3.Error) as exc:
        Path(temporary).unlink(missing_ok=True)
        raise _build_error(target, exc) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return StoreSummary(target, audience, len(incidents), len(tables), generated_at, digest, size)


def _check_contents(
    audience: Audience,
    incidents: Sequence[PublishedIncident],
    tables: Sequence[PublishedTable],
    generated_at: datetime,
) -> None:
    if generated_at.tzinfo is None:
        raise PublicationError("generated_at needs a time zone (UTC)", code="R154")
    seen: set[str] = set()
    for incident in incidents:
        if incident.audience != audience:
            raise PublicationError(
                f"incident {incident.public_id} is for {incident.audience}, not {audience}",
                code="R154",
            )
        if incident.public_id in seen:
            raise PublicationError(f"incident {incident.public_id} is given twice", code="R154")
        seen.add(incident.public_id)
        if incident.released_at.tzinfo is None:
            raise PublicationError(
                f"incident {incident.public_id}: released_at needs a time zone (UTC)",
                code="R154",
            )
        places = [incident.place, *(e.place for e in incident.events)]
        for place in places:
            if place is None:
                continue
            for value in (place.lat, place.lon):
                if value is not None and not math.isfinite(value):
                    raise PublicationError(
                        f"incident {incident.public_id}: a coordinate is not a finite number",
                        code="R154",
                    )
    names = [t.name for t in tables]
    if len(set(names)) != len(names):
        raise PublicationError("two aggregate tables have the same name", code="R154")


def _write(
    path: Path,
    audience: Audience,
    incidents: Sequence[PublishedIncident],
    tables: Sequence[PublishedTable],
    generated_at: datetime,
    threshold: int | None,
) -> None:
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, readable read-only
        # The temporary file is synced once, whole, before the rename; until then a crash
        # only leaves a stray temporary file, so SQLite's own syncs would buy nothing.
        db.execute("PRAGMA synchronous=OFF")
        db.executescript(_SCHEMA)
        # One transaction for speed; atomicity comes from the rename, not from it.
        db.execute("BEGIN")
        meta = {
            "schema_version": str(SCHEMA_VERSION),
            "audience": audience,
            "generated_at": generated_at.isoformat(),
            "incidents": str(len(incidents)),
            "tables": str(len(tables)),
            "threshold": "" if threshold is None else str(threshold),
        }
        db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        for position, incident in enumerate(sorted(incidents, key=_newest_first)):
            place = incident.place
            years = _years(incident)
            db.execute(
                "INSERT INTO incident VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    position,
                    incident.public_id,
                    (place.country if place else "").casefold(),
                    (place.admin1 if place else "").casefold(),
                    years[0],
                    years[1],
                    int(incident.minors_involved),
                    _dumps(_incident_json(incident)),
                ),
            )
            types = set(incident.event_types) | {e.type for e in incident.events}
            db.executemany(
                "INSERT INTO incident_event_type VALUES (?, ?)", [(t, position) for t in types]
            )
        for position, table in enumerate(tables):
            db.execute(
                "INSERT INTO aggregate VALUES (?, ?, ?)",
                (position, table.name, _dumps(_table_json(table))),
            )
        db.execute("COMMIT")


def _newest_first(incident: PublishedIncident) -> tuple[bool, int, str]:
    """Newest period first, undated last; public id breaks ties, so pages are stable."""
    start = incident.date_start or incident.date_end
    return (start is None, -(start.toordinal() if start else 0), incident.public_id)


def _years(incident: PublishedIncident) -> tuple[int | None, int | None]:
    first = incident.date_start or incident.date_end
    last = incident.date_end or incident.date_start
    return (first.year if first else None, last.year if last else None)


def _sync_and_hash(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())
        handle.seek(0)
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
        size = handle.tell()
    return digest.hexdigest(), size


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where directories cannot be opened."""
    try:
        handle = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


class StoreReader:
    """Read one audience's publication store, and nothing else.

    Safe to share between threads. Each call sees the store as last built: when
    ``refuge publish`` replaces the file, the next call opens the new one.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._identity: tuple[int, int, int, int] | None = None

    def __enter__(self) -> StoreReader:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            self._close()

    def meta(self) -> StoreMeta:
        with self._query() as db:
            if db is None:
                return StoreMeta(False, "", None, 0, 0, None, None)
            values = dict(db.execute("SELECT key, value FROM meta").fetchall())
        try:
            return StoreMeta(
                available=True,
                audience=values["audience"],
                generated_at=datetime.fromisoformat(values["generated_at"]),
                incidents=int(values["incidents"]),
                tables=int(values["tables"]),
                threshold=int(values["threshold"]) if values["threshold"] else None,
                schema_version=int(values["schema_version"]),
            )
        except (KeyError, ValueError) as exc:
            raise self._unreadable(exc) from None

    def count(self, filters: StoreFilters | None = None) -> int:
        where, params = _where(filters or StoreFilters())
        with self._query() as db:
            if db is None:
                return 0
            # ``where`` is made of constant clauses only; the values are bound parameters.
            query = f"SELECT count(*) FROM incident WHERE {where}"  # noqa: S608
            row = db.execute(query, params).fetchone()
        return int(row[0])

    def incidents(
        self, filters: StoreFilters | None = None, offset: int = 0, limit: int = 50
    ) -> list[PublishedIncident]:
        """A page of incidents, newest first (undated last, then by public id)."""
        if offset < 0 or limit < 0:
            raise PublicationError("offset and limit must be >= 0", code="R156")
        where, params = _where(filters or StoreFilters())
        with self._query() as db:
            if db is None:
                return []
            # ``where`` is made of constant clauses only; the values are bound parameters.
            query = f"SELECT record FROM incident WHERE {where} ORDER BY position"  # noqa: S608
            rows = db.execute(query + " LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()
        return [_incident_from_json(json.loads(record)) for (record,) in rows]

    def incident(self, public_id: str) -> PublishedIncident | None:
        with self._query() as db:
            if db is None:
                return None
            row = db.execute(
                "SELECT record FROM incident WHERE public_id = ?", (public_id,)
            ).fetchone()
        return None if row is None else _incident_from_json(json.loads(row[0]))

    def tables(self) -> list[PublishedTable]:
        with self._query() as db:
            if db is None:
                return []
            rows = db.execute("SELECT record FROM aggregate ORDER BY position").fetchall()
        return [_table_from_json(json.loads(record)) for (record,) in rows]

    def table(self, name: str) -> PublishedTable | None:
        with self._query() as db:
            if db is None:
                return None
            row = db.execute("SELECT record FROM aggregate WHERE name = ?", (name,)).fetchone()
        return None if row is None else _table_from_json(json.loads(row[0]))

    @contextmanager
    def _query(self) -> Iterator[sqlite3.Connection | None]:
        with self._lock:
            db = self._connection()
            try:
                yield db
            except sqlite3.DatabaseError as exc:
                self._close()
                raise self._unreadable(exc) from None

    def _connection(self) -> sqlite3.Connection | None:
        """The open read-only connection to the current file, None if there is none."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            self._close()
            return None
        identity = (stat.st_dev, stat.st_ino, stat.st_mtime_ns, stat.st_size)
        if self._db is not None and identity == self._identity:
            return self._db
        self._close()
        uri = self.path.resolve().as_uri() + "?mode=ro"
        try:
            db = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
        except sqlite3.Error as exc:
            if not self.path.exists():  # removed between stat and open
                return None
            raise self._unreadable(exc) from None
        try:
            db.execute("PRAGMA query_only = ON")
            row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if row is None or row[0] != str(SCHEMA_VERSION):
                raise sqlite3.DatabaseError(f"schema version {row and row[0]}")
        except sqlite3.DatabaseError as exc:
            db.close()
            raise self._unreadable(exc) from None
        db.set_authorizer(_read_only)
        self._db, self._identity = db, identity
        return db

    def _close(self) -> None:
        if self._db is not None:
            self._db.close()
        self._db, self._identity = None, None

    def _unreadable(self, exc: Exception) -> PublicationError:
        return PublicationError(
            f"{self.path} is not a publication store this version can read ({exc}); "
            "run `refuge publish` to rebuild it",
            code="R155",
        )


# What a reader's statements may do: read tables, call functions (count). Everything else,
# writes, ATTACH, PRAGMA, transactions included, is refused before it runs.
_ALLOWED_ACTIONS: Final = frozenset(
    {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION}
)


def _read_only(action: int, *_: str | None) -> int:
    return sqlite3.SQLITE_OK if action in _ALLOWED_ACTIONS else sqlite3.SQLITE_DENY


def _where(filters: StoreFilters) -> tuple[str, list[Any]]:
    clauses: list[str] = ["1 = 1"]
    params: list[Any] = []
    if filters.event_type:
        clauses.append("position IN (SELECT position FROM incident_event_type WHERE type = ?)")
        params.append(filters.event_type)
    if filters.country:
        clauses.append("country_key = ?")
        params.append(filters.country.casefold())
    if filters.province:
        clauses.append("province_key = ?")
        params.append(filters.province.casefold())
    if filters.year is not None:
        clauses.append("year_start <= ? AND year_end >= ?")
        params += [filters.year, filters.year]
    if filters.minors_involved is not None:
        clauses.append("minors_involved = ?")
        params.append(int(filters.minors_involved))
    return " AND ".join(clauses), params


# JSON forms. Private: the file format may change with SCHEMA_VERSION; nothing outside
# this module reads them.


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _undate(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _count_json(count: PublishedCount) -> list[Any]:
    return [count.low, count.high, count.approx]


def _count_from_json(value: list[Any]) -> PublishedCount:
    return PublishedCount(value[0], value[1], approx=bool(value[2]))


def _place_json(place: PublishedPlace | None) -> dict[str, Any] | None:
    if place is None:
        return None
    return {
        "name": place.name,
        "name_ko": place.name_ko,
        "gazetteer_id": place.gazetteer_id,
        "country": place.country,
        "admin1": place.admin1,
        "precision": place.precision,
        "lat": place.lat,
        "lon": place.lon,
    }


def _place_from_json(value: dict[str, Any] | None) -> PublishedPlace | None:
    return None if value is None else PublishedPlace(**value)


def _incident_json(incident: PublishedIncident) -> dict[str, Any]:
    return {
        "public_id": incident.public_id,
        "audience": incident.audience,
        "title": incident.title,
        "summary": incident.summary,
        "status": incident.status,
        "event_types": list(incident.event_types),
        "date_start": _day(incident.date_start),
        "date_end": _day(incident.date_end),
        "date_precision": incident.date_precision,
        "place": _place_json(incident.place),
        "nationality": incident.nationality,
        "total": _count_json(incident.total),
        "adults": _count_json(incident.adults),
        "minors": _count_json(incident.minors),
        "women": _count_json(incident.women),
        "men": _count_json(incident.men),
        "events": [
            {
                "order": e.order,
                "type": e.type,
                "date_start": _day(e.date_start),
                "date_end": _day(e.date_end),
                "date_precision": e.date_precision,
                "place": _place_json(e.place),
            }
            for e in incident.events
        ],
        "released_at": incident.released_at.isoformat(),
    }


def _incident_from_json(value: dict[str, Any]) -> PublishedIncident:
    return PublishedIncident(
        public_id=value["public_id"],
        audience=value["audience"],
        title=value["title"],
        summary=value["summary"],
        status=value["status"],
        event_types=tuple(value["event_types"]),
        date_start=_undate(value["date_start"]),
        date_end=_undate(value["date_end"]),
        date_precision=value["date_precision"],
        place=_place_from_json(value["place"]),
        nationality=value["nationality"],
        total=_count_from_json(value["total"]),
        adults=_count_from_json(value["adults"]),
        minors=_count_from_json(value["minors"]),
        women=_count_from_json(value["women"]),
        men=_count_from_json(value["men"]),
        events=tuple(
            PublishedEvent(
                order=e["order"],
                type=e["type"],
                date_start=_undate(e["date_start"]),
                date_end=_undate(e["date_end"]),
                date_precision=e["date_precision"],
                place=_place_from_json(e["place"]),
            )
            for e in value["events"]
        ),
        released_at=datetime.fromisoformat(value["released_at"]),
    )


def _table_json(table: PublishedTable) -> dict[str, Any]:
    return {
        "name": table.name,
        "dimensions": list(table.dimensions),
        "rows": [[list(key), count] for key, count in table.rows],
        "threshold": table.threshold,
    }


def _table_from_json(value: dict[str, Any]) -> PublishedTable:
    return PublishedTable(
        name=value["name"],
        dimensions=tuple(value["dimensions"]),
        rows=tuple((tuple(key), count) for key, count in value["rows"]),
        threshold=value["threshold"],
    )


def _check_audience(audience: str) -> None:
    if audience not in AUDIENCES:
        raise PublicationError(
            f"unknown audience {audience!r}; use public or partners", code="R156"
        )


def _build_error(target: Path, exc: Exception) -> PublicationError:
    return PublicationError(f"cannot write the publication store {target}: {exc}", code="R154")


__all__ = [
    "SCHEMA_VERSION",
    "StoreFilters",
    "StoreMeta",
    "StoreReader",
    "StoreSummary",
    "build_store",
    "store_path",
]
