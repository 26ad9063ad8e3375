"""Canary test: data stored in plaintext before encryption existed is sealed by the migration.

A pre-encryption database (migrated to the first schema only) receives identifying values
holding canary strings, Latin and Hangul, through raw SQL, as an older Refuge would have
written them: a person, a confidential testimony with its original file and custody entry,
a claim quoting it. Then `refuge init` runs the encryption migrations. Afterwards the canaries
must be nowhere: not in the database file, its WAL or free pages (SQLite), not in a pg_dump
(PostgreSQL), not in the evidence folder, the temporary folders, the logs or
django_admin_log; and the application must still show them to an editor.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sqlite3
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from clirun import cli_env, run_cli

pytestmark = pytest.mark.slow

LATIN = "Zqxcanarylatin Moonbeam"
HANGUL = "카나리아깃털"
CANARIES = (LATIN, HANGUL, "zqxcanaryfile", "zqxcanarywitness")
TESTIMONY = (
    f"Interview notes. {LATIN} ({HANGUL}) said that zqxcanarywitness saw 9 women held in Tumen.\n"
)
SHOW = """
from refuge.web.accounts.models import User
from refuge.web.disclosure import policy
from refuge.web.incidents.models import Person, Claim
from refuge.web.sources.models import Source
editor = User.objects.create(username="ed", is_superuser=True)  # sees every level
person = Person.objects.get()
print(policy.redact(editor, person)["name"], policy.redact(editor, person)["name_ko"])
source = Source.objects.get(content_class="confidential")
print(policy.redact(editor, source)["text"])
print(Claim.objects.get().plain_value)
"""


def _fill(columns: list[tuple[str, str, bool]], given: dict[str, Any]) -> dict[str, Any]:
    """Values for every NOT NULL column: the given ones, else a neutral value by type."""
    row: dict[str, Any] = {}
    for name, kind, notnull in columns:
        if name == "id":
            continue
        if name in given:
            row[name] = given[name]
        elif notnull:
            kind = kind.lower()
            if "int" in kind or "bool" in kind or "real" in kind or "double" in kind:
                row[name] = False if "bool" in kind else 0
            elif "json" in kind:
                row[name] = "{}"
            elif "time" in kind or "date" in kind:
                row[name] = datetime.now(UTC)
            elif "uuid" in kind:
                row[name] = uuid.uuid4()
            else:
                row[name] = ""
    return row


class Db:
    """Minimal access to the pre-encryption database, SQLite or PostgreSQL."""

    def __init__(self, connect: Callable[[], Any], columns_sql: str, mark: str) -> None:
        self.connection = connect()
        self.columns_sql = columns_sql
        self.mark = mark

    def columns(self, table: str) -> list[tuple[str, str, bool]]:
        cursor = self.connection.cursor()
        cursor.execute(self.columns_sql.format(table=table))
        return [(r[0], r[1], bool(r[2])) for r in cursor.fetchall()]

    def insert(self, table: str, **given: Any) -> int:
        row = _fill(self.columns(table), given)
        names = ", ".join(row)
        marks = ", ".join([self.mark] * len(row))
        cursor = self.connection.cursor()
        values = [
            v.hex if isinstance(v, uuid.UUID) and self.mark == "?" else v for v in row.values()
        ]
        cursor.execute(
            f"INSERT INTO {table} ({names}) VALUES ({marks}) RETURNING id",  # noqa: S608
            values,
        )
        new_id = int(cursor.fetchone()[0])
        self.connection.commit()
        return new_id


def _plant(db: Db, data_dir: Path) -> None:
    from refuge.evidence.chain import make_entry

    original = TESTIMONY.encode("utf-8")
    sha = hashlib.sha256(original).hexdigest()
    folder = data_dir / "evidence" / "objects" / sha[:2] / sha[2:4]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / sha).write_bytes(original)
    person_id = db.insert(
        "incidents_person",
        uuid=uuid.uuid4(),
        public_id="P-CANARY1",
        name=LATIN,
        name_ko=HANGUL,
        hometown=f"{LATIN} village",
        notes=f"notes about {HANGUL}",
        birth_year=1987,
        disclosure="team",
    )
    assert person_id
    source_uuid = uuid.uuid4()
    source_id = db.insert(
        "sources_source",
        uuid=source_uuid,
        content_class="confidential",
        kind="text",
        sha256=sha,
        size=len(original),
        text=TESTIMONY,
        text_sha256=hashlib.sha256(TESTIMONY.encode()).hexdigest(),
        original_filename="zqxcanaryfile.txt",
        title=f"Testimony of {LATIN}",
        captured_by_name="zqxcanarywitness",
        captured_at=datetime.now(UTC),
        disclosure="team",
        language="en",
        warnings="[]",
    )
    entry = make_entry(
        prev=None,
        action="captured",
        actor="cli",
        at=datetime.now(UTC),
        payload={
            "sha256": sha,
            "original_filename": "zqxcanaryfile.txt",
            "url": "",
            "size": len(original),
        },
    )
    db.insert(
        "sources_custodyentry",
        source_id=source_id,
        seq=1,
        action="captured",
        actor="cli",
        at=datetime.now(UTC),
        payload=json.dumps(dict(entry.payload)),
        prev_hash=entry.prev_hash,
        hash=entry.hash,
    )
    start = TESTIMONY.index("zqxcanarywitness")
    db.insert(
        "incidents_claim",
        uuid=uuid.uuid4(),
        source_id=source_id,
        field="incidents.0.sources.0",
        value=json.dumps({"name": "zqxcanarywitness"}),
        span_start=start,
        span_end=start + 16,
        confidence=1.0,
        spans="[]",
        extractor_version="old",
        review_status="proposed",
    )


def _files_under(root: Path) -> Iterator[Path]:
    for path in root.rglob("*"):
        if path.is_file():
            yield path


def _leaks(blob: bytes) -> list[str]:
    return [c for c in CANARIES if c.encode("utf-8") in blob]


def _assert_no_canary_in_files(paths: list[Path]) -> None:
    for path in paths:
        assert _leaks(path.read_bytes()) == [], path


def _run(*args: str, env: dict[str, str], log: list[str]) -> str:
    result = run_cli(*args, env=env)
    log.extend([result.stdout, result.stderr])
    assert result.returncode == 0, result.stderr
    return result.stdout


def _migrate_to_first_schema(env: dict[str, str], log: list[str]) -> None:
    for target in (("incidents", "0001_initial"), ("sessions",), ("admin",)):
        _run("manage", "migrate", *target, env=env, log=log)


def _check_common(
    env: dict[str, str], data_dir: Path, log: list[str], started: float, basetemp: Path
) -> None:
    _assert_no_canary_in_files(list(_files_under(data_dir / "evidence")))
    _assert_no_canary_in_files(list(_files_under(data_dir / "uploads")))
    # Temporary folders: anything written since the test began, outside pytest's own
    # folders (which hold this test's data dir).
    recent = []
    for path in _files_under(Path(tempfile.gettempdir())):
        try:
            info = path.stat()
        except OSError:
            continue
        if basetemp in path.parents or info.st_mtime < started or info.st_size > 50_000_000:
            continue
        recent.append(path)
    for path in recent:
        try:
            blob = path.read_bytes()
        except OSError:
            continue
        assert _leaks(blob) == [], path
    shown = _run("manage", "shell", "-c", SHOW, env=env, log=[])
    assert LATIN in shown and HANGUL in shown and "zqxcanarywitness" in shown
    assert _leaks("\n".join(log).encode("utf-8")) == []


def test_canaries_planted_before_encryption_are_sealed_on_sqlite(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    started = time.time()
    data_dir = tmp_path / "data"
    env = cli_env(data_dir)
    log: list[str] = []
    _migrate_to_first_schema(env, log)
    database = data_dir / "refuge.sqlite3"
    db = Db(
        lambda: sqlite3.connect(database),
        "SELECT name, type, \"notnull\" FROM pragma_table_info('{table}')",
        "?",
    )
    _plant(db, data_dir)
    db.connection.close()
    _run("init", env=env, log=log)
    files = [p for p in data_dir.iterdir() if p.name.startswith("refuge.sqlite3")]
    _assert_no_canary_in_files(files)
    with sqlite3.connect(database) as check:
        assert check.execute("PRAGMA freelist_count").fetchone()[0] == 0
        logged = check.execute("SELECT count(*) FROM django_admin_log").fetchone()[0]
        assert logged == 0
    _check_common(env, data_dir, log, started, tmp_path_factory.getbasetemp())
    verify = run_cli("verify", env=env)
    assert verify.returncode == 0, verify.stdout


def _postgres_admin() -> Any:
    import psycopg

    try:
        return psycopg.connect(
            host="127.0.0.1", user="postgres", dbname="postgres", autocommit=True, connect_timeout=3
        )
    except psycopg.Error:
        if os.environ.get("REFUGE_REQUIRE_POSTGRES") == "1":
            raise
        pytest.skip("PostgreSQL is not reachable")


def test_canaries_planted_before_encryption_are_sealed_on_postgresql(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    import psycopg

    admin = _postgres_admin()
    name = f"refuge_canary_{secrets.token_hex(4)}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        started = time.time()
        data_dir = tmp_path / "data"
        env = cli_env(data_dir, DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{name}")
        log: list[str] = []
        _migrate_to_first_schema(env, log)
        db = Db(
            lambda: psycopg.connect(host="127.0.0.1", user="postgres", dbname=name),
            "SELECT column_name, data_type, is_nullable = 'NO' FROM "
            "information_schema.columns WHERE table_name = '{table}'",
            "%s",
        )
        _plant(db, data_dir)
        db.connection.close()
        _run("init", env=env, log=log)
        dump = subprocess.run(
            ["pg_dump", "-h", "127.0.0.1", "-U", "postgres", name],
            capture_output=True,
            check=True,
            timeout=120,
        ).stdout
        assert len(dump) > 1000
        assert _leaks(dump) == []
        with psycopg.connect(host="127.0.0.1", user="postgres", dbname=name) as conn:
            assert conn.execute("SELECT count(*) FROM django_admin_log").fetchone()[0] == 0
        _check_common(env, data_dir, log, started, tmp_path_factory.getbasetemp())
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
