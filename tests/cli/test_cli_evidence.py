"""Evidence commands run as a user runs them: ingest, capture, verify, bundles."""

from __future__ import annotations

import http.server
import json
import os
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from clirun import REFUGE, cli_env, run_cli

pytestmark = pytest.mark.slow


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    env = cli_env(tmp_path / "data")
    assert run_cli("init", env=env).returncode == 0
    return env


def _db(env: dict[str, str]) -> sqlite3.Connection:
    return sqlite3.connect(Path(env["REFUGE_DATA_DIR"]) / "refuge.sqlite3")


def _objects(env: dict[str, str]) -> list[Path]:
    return [
        p for p in (Path(env["REFUGE_DATA_DIR"]) / "evidence" / "objects").rglob("*") if p.is_file()
    ]


def test_a_batch_killed_mid_way_and_run_again_ends_complete_and_clean(
    env: dict[str, str], tmp_path: Path
) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    n = 400
    for i in range(n):
        (batch / f"report-{i:04d}.txt").write_text(
            f"Report {i}: {i % 90 + 2} North Koreans were detained in Tumen.\n", encoding="utf-8"
        )
    first = subprocess.Popen(
        [REFUGE, "ingest", str(batch)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while len(_objects(env)) < 40:
        assert first.poll() is None, "the batch finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    first.send_signal(signal.SIGKILL)
    first.wait()
    with _db(env) as db:
        done = db.execute("select count(*) from sources_source").fetchone()[0]
    assert 0 < done < n
    second = run_cli("ingest", str(batch), env=env, timeout=600)
    assert second.returncode == 0, second.stderr
    with _db(env) as db:
        assert db.execute("select count(*) from sources_source").fetchone()[0] == n
        assert db.execute("select count(distinct sha256) from sources_source").fetchone()[0] == n
        # Every source has exactly its one capture entry: no half-written rows.
        assert db.execute("select count(*) from sources_custodyentry").fetchone()[0] == n
    assert len(_objects(env)) == n  # no orphan file
    assert list((Path(env["REFUGE_DATA_DIR"]) / "evidence" / "tmp").iterdir()) == []
    verify = run_cli("verify", env=env)
    assert verify.returncode == 0, verify.stdout


def test_verify_exits_1_listing_each_mismatch_and_catches_truncation_with_a_checkpoint(
    env: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text("Five were arrested in Hyesan.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Nine were held in Dandong.\n", encoding="utf-8")
    assert (
        run_cli("ingest", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), env=env).returncode == 0
    )
    checkpoint = tmp_path / "checkpoint.json"
    clean = run_cli("verify", "--export-checkpoint", str(checkpoint), env=env)
    assert clean.returncode == 0
    assert "0 problems" in clean.stdout
    assert len(json.loads(checkpoint.read_text(encoding="utf-8"))) == 2
    with _db(env) as db:
        db.execute(
            "delete from sources_custodyentry where id = (select max(id) from sources_custodyentry)"
        )
    assert run_cli("verify", env=env).returncode == 0  # invisible without the checkpoint
    caught = run_cli("verify", "--checkpoint", str(checkpoint), env=env)
    assert caught.returncode == 1
    assert "truncated" in caught.stdout
    blob = _objects(env)[0]
    blob.chmod(0o644)
    blob.write_bytes(blob.read_bytes() + b"tampered")
    tampered = run_cli("verify", env=env)
    assert tampered.returncode == 1
    assert tampered.stdout.count("MISMATCH") == 1


def test_export_evidence_needs_an_editor_and_the_bundle_verifies(
    env: dict[str, str], tmp_path: Path
) -> None:
    env = {**env, "REFUGE_DEMO_PASSWORD": "a demo password for tests"}
    assert run_cli("load-sample", "--demo-users", env=env).returncode == 0
    (tmp_path / "a.txt").write_text("Seven were returned via Sinuiju.\n", encoding="utf-8")
    assert run_cli("ingest", str(tmp_path / "a.txt"), env=env).returncode == 0
    with _db(env) as db:
        uuid = db.execute(
            "select uuid from sources_source where original_filename='a.txt'"
        ).fetchone()[0]
    uuid = str(uuid)
    if len(uuid) == 32:  # SQLite stores UUIDs as 32 hex digits
        uuid = f"{uuid[:8]}-{uuid[8:12]}-{uuid[12:16]}-{uuid[16:20]}-{uuid[20:]}"
    refused = run_cli(
        "export-evidence", uuid, "--out", str(tmp_path / "b1"), "--as", "analyst", env=env
    )
    assert refused.returncode == 2
    assert "[R062]" in refused.stderr
    done = run_cli(
        "export-evidence", uuid, "--out", str(tmp_path / "b2"), "--as", "editor", env=env
    )
    assert done.returncode == 0, done.stderr
    assert run_cli("verify-bundle", str(tmp_path / "b2"), env=env).returncode == 0
    (tmp_path / "b2" / "metadata.json").write_text("{}", encoding="utf-8")
    broken = run_cli("verify-bundle", str(tmp_path / "b2"), env=env)
    assert broken.returncode == 1
    assert "metadata.json: content changed" in broken.stdout
    unknown = run_cli(
        "export-evidence", "not-a-uuid", "--out", str(tmp_path / "b3"), "--as", "editor", env=env
    )
    assert unknown.returncode == 2
    assert "[R015]" in unknown.stderr


class _Page(http.server.BaseHTTPRequestHandler):
    body = (
        b"<html><head><title>Kept page</title></head><body><article><p>"
        + b"Thirty North Koreans were arrested near Hunchun this week. " * 5
        + b"</p></article></body></html>"
    )

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def page_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/story"
    server.shutdown()


def test_capture_keeps_a_page_as_a_web_archive_source(
    env: dict[str, str], page_server: str
) -> None:
    result = run_cli("capture", page_server, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ingested:")
    with _db(env) as db:
        kind, url, text, archive = db.execute(
            "select kind, url, text, archive_record_id from sources_source"
        ).fetchone()
    assert (kind, url) == ("html", page_server)
    assert "arrested near Hunchun" in text
    assert archive
    again = run_cli("capture", page_server, env=env)
    assert again.returncode == 0
    bad = run_cli("capture", "file:///etc/passwd", env=env)
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1


def test_grade_sets_the_admiralty_grade(env: dict[str, str], tmp_path: Path) -> None:
    env = {**env, "REFUGE_DEMO_PASSWORD": "a demo password for tests"}
    assert run_cli("load-sample", "--demo-users", env=env).returncode == 0
    (tmp_path / "a.txt").write_text("Two were released in Bangkok.\n", encoding="utf-8")
    assert run_cli("ingest", str(tmp_path / "a.txt"), env=env).returncode == 0
    with _db(env) as db:
        raw = str(
            db.execute(
                "select uuid from sources_source where original_filename='a.txt'"
            ).fetchone()[0]
        )
    uuid = f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"
    result = run_cli(
        "grade", uuid, "--as", "editor", "--reliability", "b", "--credibility", "2", env=env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("B2")
    bad = run_cli("grade", uuid, "--as", "editor", "--reliability", "Q", env=env)
    assert bad.returncode == 2
    assert os.linesep not in bad.stderr.rstrip("\n")
