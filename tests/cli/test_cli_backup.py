"""`refuge backup` and `refuge restore` on SQLite and PostgreSQL, compared record by record."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from clirun import cli_env, run_cli

pytestmark = pytest.mark.slow

DUMP = ("manage", "dumpdata", "accounts", "sources", "incidents", "--natural-foreign")
TESTIMONY = "Interview notes: Backupcanary Kim saw 4 women held in Hunchun.\n"


def _ok(*args: str, env: dict[str, str]) -> str:
    result = run_cli(*args, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _records(env: dict[str, str]) -> list[dict[str, Any]]:
    rows = json.loads(_ok(*DUMP, env=env).strip().splitlines()[-1])
    return sorted(rows, key=lambda r: (r["model"], str(r.get("pk"))))


def _same_records(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> list[str]:
    """Differences between two dumps, named by model, pk and field (empty when equal)."""
    left = {(r["model"], str(r.get("pk"))): r["fields"] for r in a}
    right = {(r["model"], str(r.get("pk"))): r["fields"] for r in b}
    out = [f"{key} only on one side" for key in sorted(set(left) ^ set(right))]
    for key in sorted(set(left) & set(right)):
        out += [f"{key}.{f}" for f in left[key] if left[key][f] != right[key].get(f)]
    return out


def _evidence(env: dict[str, str]) -> dict[str, str]:
    root = Path(env["REFUGE_DATA_DIR"]) / "evidence"
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file() and "tmp" not in p.parts
    }


def _populated(tmp_path: Path, name: str, **extra: str) -> dict[str, str]:
    env = cli_env(
        tmp_path / name,
        REFUGE_DEMO_PASSWORD="a demo password 12",
        REFUGE_KEY_FILE=str(tmp_path / "keys" / "master.key"),
        **extra,
    )
    _ok("init", env=env)
    _ok("load-sample", "--demo-users", env=env)
    testimony = tmp_path / "testimony.txt"
    testimony.write_text(TESTIMONY, encoding="utf-8")
    _ok("ingest", "--content-class", "confidential", str(testimony), env=env)
    return env


def _fresh(tmp_path: Path, name: str, **extra: str) -> dict[str, str]:
    env = cli_env(tmp_path / name, REFUGE_KEY_FILE=str(tmp_path / "keys" / "master.key"), **extra)
    _ok("init", env=env)
    return env


def test_a_backup_restores_the_same_records_and_evidence_on_sqlite(tmp_path: Path) -> None:
    source = _populated(tmp_path, "a")
    backup = tmp_path / "refuge.backup"
    written = _ok("backup", "--out", str(backup), env=source)
    assert "NOT in the backup" in written
    assert b"Backupcanary" not in backup.read_bytes()  # the archive itself is encrypted
    target = _fresh(tmp_path, "b")
    restored = _ok("restore", str(backup), env=target)
    assert "verified" in restored
    assert _same_records(_records(target), _records(source)) == []
    assert _evidence(target) == _evidence(source)
    with sqlite3.connect(Path(target["REFUGE_DATA_DIR"]) / "refuge.sqlite3") as db:
        for row in db.execute(
            "SELECT name, name_ko, birth_year, hometown, notes FROM incidents_person"
        ):
            assert all(v == "" or str(v).startswith("v1:") for v in row), "plaintext restored"
    shown = _ok(
        "manage",
        "shell",
        "-c",
        "from refuge.web.sources.models import Source;"
        "print([s.text for s in Source.objects.filter(content_class='confidential')])",
        env=target,
    )
    assert "Backupcanary" in shown
    again = run_cli("restore", str(backup), env=target)
    assert again.returncode == 2
    assert "[R022]" in again.stderr


def test_a_backup_cannot_be_restored_with_another_key(tmp_path: Path) -> None:
    source = _populated(tmp_path, "a")
    backup = tmp_path / "refuge.backup"
    _ok("backup", "--out", str(backup), env=source)
    stranger = cli_env(tmp_path / "c")  # its own, different key
    _ok("init", env=stranger)
    refused = run_cli("restore", str(backup), env=stranger)
    assert refused.returncode == 2
    assert "[R023]" in refused.stderr
    assert refused.stderr.count("\n") == 1


def test_backups_move_between_sqlite_and_postgresql(tmp_path: Path) -> None:
    import psycopg

    try:
        admin = psycopg.connect(
            host="127.0.0.1", user="postgres", dbname="postgres", autocommit=True, connect_timeout=3
        )
    except psycopg.Error:
        if os.environ.get("REFUGE_REQUIRE_POSTGRES") == "1":
            raise
        pytest.skip("PostgreSQL is not reachable")
    name = f"refuge_backup_{secrets.token_hex(4)}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        sqlite_env = _populated(tmp_path, "a")
        first = tmp_path / "from-sqlite.backup"
        _ok("backup", "--out", str(first), env=sqlite_env)
        pg_env = _fresh(tmp_path, "pg", DATABASE_URL=f"postgres://postgres@127.0.0.1/{name}")
        _ok("restore", str(first), env=pg_env)
        assert _same_records(_records(pg_env), _records(sqlite_env)) == []
        second = tmp_path / "from-postgres.backup"
        _ok("backup", "--out", str(second), env=pg_env)
        back = _fresh(tmp_path, "back")
        _ok("restore", str(second), env=back)
        assert _same_records(_records(back), _records(sqlite_env)) == []
        assert _evidence(back) == _evidence(sqlite_env)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
