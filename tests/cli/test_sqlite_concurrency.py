"""SQLite under a running server and CLI writers at once: no "database is locked".

The server handles sign-ins (each writes a session row and the user's last_login) while two
CLI processes run transactions that read and then write: the pattern that fails at once
under SQLite's default DEFERRED transactions whatever the busy timeout, and that the
IMMEDIATE transactions and WAL of refuge.web.database make safe.
"""

from __future__ import annotations

import http.cookiejar
import re
import socket
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from clirun import REFUGE, cli_env, run_cli

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]

PASSWORD = "concurrency test password"
WRITER = """
import os, time
from django.db import transaction
from refuge.web.accounts.models import Team
time.sleep(max(0.0, {start} - time.time()))  # all writers begin together
for i in range({n}):
    with transaction.atomic():
        seen = Team.objects.count()          # read first...
        Team.objects.create(name=f"w{tag}-{{i}}-{{seen}}", slug=f"w{tag}-{{i}}")  # ...then write
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _sign_in(base: str) -> int:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    body = urllib.parse.urlencode(
        {"username": "editor", "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
    ).encode()
    request = urllib.request.Request(
        f"{base}/login/", data=body, headers={"Referer": f"{base}/login/"}
    )
    response = opener.open(request, timeout=30)
    # Signed in when the redirect lands on the incident list.
    return 200 if response.geturl().endswith("/incidents/") else response.status


def test_cli_writes_beside_a_running_server_never_fail_with_database_locked(
    tmp_path: Path,
) -> None:
    # Demo mode: the demo editor signs in with a password alone, as `make run` allows.
    env = cli_env(tmp_path, REFUGE_DEMO_PASSWORD=PASSWORD, REFUGE_DEMO="1")
    assert run_cli("init", env=env).returncode == 0
    assert run_cli("load-sample", "--demo-users", env=env).returncode == 0
    port = _free_port()
    server = subprocess.Popen(
        [REFUGE, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2).read()
                break
            except OSError:
                assert time.monotonic() < deadline, "server did not start"
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                time.sleep(0.2)
        results: list[int] = []
        errors: list[BaseException] = []

        def client() -> None:
            for _ in range(8):
                try:
                    results.append(_sign_in(base))
                except BaseException as exc:  # collected and asserted below
                    errors.append(exc)

        writers = _writers(env, n=150)
        clients = [threading.Thread(target=client) for _ in range(4)]
        for thread in clients:
            thread.start()
        outcomes = [(*w.communicate(timeout=300), w.returncode) for w in writers]
        for thread in clients:
            thread.join(timeout=300)
    finally:
        server.terminate()
        server.wait(timeout=30)
    for _out, err, code in outcomes:
        assert "database is locked" not in err
        assert code == 0, err
    assert errors == []
    assert results == [200] * 32
    count = run_cli(
        "manage",
        "shell",
        "-c",
        "from refuge.web.accounts.models import Team;"
        "print(Team.objects.filter(slug__startswith='w').count())",
        env=env,
    )
    assert count.stdout.strip().splitlines()[-1] == "300"


def _writers(env: dict[str, str], *, n: int) -> list[subprocess.Popen[str]]:
    start = time.time() + 4  # after both processes have started Django
    return [
        subprocess.Popen(
            [REFUGE, "manage", "shell", "-c", WRITER.format(n=n, tag=tag, start=start)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("a", "b")
    ]


def test_the_same_writers_fail_under_sqlite_s_default_deferred_transactions(
    tmp_path: Path,
) -> None:
    """The control: without IMMEDIATE, this workload does hit "database is locked"."""
    env = cli_env(tmp_path)
    assert run_cli("init", env=env).returncode == 0
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'refuge.sqlite3'}?transaction_mode=DEFERRED"
    outcomes = [w.communicate(timeout=300) for w in _writers(env, n=300)]
    assert any("[R006] database is locked" in err for _out, err in outcomes)
