"""`refuge keys`: a wrong key refused in one line; rotation of 10,000 values, killed and resumed."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from clirun import REFUGE, cli_env, run_cli

pytestmark = pytest.mark.slow

MAKE = """
from refuge.web.accounts.models import Team
from refuge.web.incidents.models import Person
team = Team.objects.create(name="T", slug="t")
Person.objects.bulk_create([
    Person(public_id=f"P-{i:05d}", team=team, name=f"Name {i}", name_ko=f"이름{i}",
           hometown=f"Town {i}", notes=f"Note {i}", family=f"Family {i}")
    for i in range(2000)
], batch_size=500)
"""
CHECK = """
from refuge.web.incidents.models import Person
bad = [p.public_id for p in Person.objects.order_by("public_id")
       if (p.name, p.name_ko, p.hometown, p.notes, p.family) != (
           f"Name {int(p.public_id[2:])}", f"이름{int(p.public_id[2:])}",
           f"Town {int(p.public_id[2:])}", f"Note {int(p.public_id[2:])}",
           f"Family {int(p.public_id[2:])}")]
print("BAD", len(bad), "OF", Person.objects.count())
"""


def _versions(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT name, name_ko, hometown, notes, family FROM incidents_person")
        counts: dict[str, int] = {}
        for row in rows:
            for value in row:
                counts[value.split(":", 1)[0]] = counts.get(value.split(":", 1)[0], 0) + 1
    return counts


def test_a_wrong_key_is_refused_in_one_line(tmp_path: Path) -> None:
    env = cli_env(tmp_path / "data")
    assert run_cli("init", env=env).returncode == 0
    other = dict(env, REFUGE_KEY_FILE=str(tmp_path / "other" / "master.key"))
    assert (
        run_cli("keys", "init", env=dict(other, REFUGE_DATA_DIR=str(tmp_path / "d2"))).returncode
        == 0
    )
    refused = run_cli("keys", "check", env=other)
    assert refused.returncode == 2
    assert "[R075]" in refused.stderr
    assert refused.stderr.count("\n") == 1
    missing = run_cli("status", env=dict(env, REFUGE_KEY_FILE=str(tmp_path / "none.key")))
    assert missing.returncode == 0  # reading counts needs no key
    assert (
        run_cli(
            "keys", "check", env=dict(env, REFUGE_KEY_FILE=str(tmp_path / "none.key"))
        ).returncode
        == 2
    )


def test_rotating_10000_values_survives_a_kill_and_completes(tmp_path: Path) -> None:
    env = cli_env(tmp_path / "data")
    database = tmp_path / "data" / "refuge.sqlite3"
    assert run_cli("init", env=env).returncode == 0
    made = run_cli("manage", "shell", "-c", MAKE, env=env)
    assert made.returncode == 0, made.stderr
    assert _versions(database) == {"v1": 10_000}
    rotation = subprocess.Popen(
        [REFUGE, "keys", "rotate"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 120
    while _versions(database).get("v2", 0) < 500:
        assert rotation.poll() is None, "the rotation ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    rotation.send_signal(signal.SIGKILL)
    rotation.wait()
    midway = _versions(database)
    assert midway.get("v1", 0) > 0 and midway.get("v2", 0) > 0  # killed mid-way
    resumed = run_cli("keys", "rotate", env=env, timeout=600)
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "resumed rotation to key version 2" in resumed.stdout
    assert "verified" in resumed.stdout
    assert _versions(database) == {"v2": 10_000}
    checked = run_cli("manage", "shell", "-c", CHECK, env=env)
    assert checked.stdout.strip().splitlines()[-1] == "BAD 0 OF 2000"
