"""The core commands of ../shared/contracts/cli.md, run as a user runs them."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from clirun import cli_env, run_cli

from refuge import __version__

pytestmark = pytest.mark.slow


def _one_line_error(result: object, code: str) -> str:
    stderr = result.stderr  # type: ignore[attr-defined]
    assert result.returncode == 2, stderr  # type: ignore[attr-defined]
    assert stderr.count("\n") == 1, stderr
    assert "Traceback" not in stderr
    assert f"[{code}]" in stderr
    return str(stderr)


def test_version_prints_the_package_version(tmp_path: Path) -> None:
    result = run_cli("--version", env=cli_env(tmp_path))
    assert result.returncode == 0
    assert result.stdout.strip() == f"refuge {__version__}"


def test_an_unknown_command_is_one_line_and_exit_2(tmp_path: Path) -> None:
    _one_line_error(run_cli("frobnicate", env=cli_env(tmp_path)), "R010")


def test_a_bad_database_url_is_one_line_and_exit_2(tmp_path: Path) -> None:
    env = cli_env(tmp_path, DATABASE_URL="mysql://root@localhost/refuge")
    assert "DATABASE_URL" in _one_line_error(run_cli("status", env=env), "R003")
    env = cli_env(tmp_path, DATABASE_URL="postgres://u:secretpw@127.0.0.1:1/refuge")
    message = _one_line_error(run_cli("init", env=env), "R004")
    assert "secretpw" not in message  # a password in the URL never reaches the screen


def test_an_unwritable_data_dir_is_one_line_and_exit_2(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    _one_line_error(run_cli("init", env=cli_env(blocker / "data")), "R002")


def test_status_before_init_says_to_run_init(tmp_path: Path) -> None:
    assert "refuge init" in _one_line_error(run_cli("status", env=cli_env(tmp_path)), "R005")


def test_a_bad_boolean_setting_is_one_line_and_exit_2(tmp_path: Path) -> None:
    _one_line_error(run_cli("status", env=cli_env(tmp_path, REFUGE_DEBUG="maybe")), "R001")


def test_init_is_idempotent_and_honours_the_data_dir(tmp_path: Path) -> None:
    env = cli_env(tmp_path / "data")
    first = run_cli("init", env=env)
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "data" / "refuge.sqlite3").is_file()
    assert (tmp_path / "data" / "secret_key").is_file()
    second = run_cli("init", env=env)
    assert second.returncode == 0, second.stderr
    assert "0 places added, 0 updated" in second.stdout
    status = run_cli("status", env=env)
    assert status.returncode == 0
    lines = status.stdout.splitlines()
    assert [line.split(": ")[0] for line in lines] == ["sources", "claims", "incidents", "persons"]
    assert all(line.split(": ")[1].isdigit() for line in lines)


def test_load_sample_is_idempotent_and_creates_demo_users(tmp_path: Path) -> None:
    env = cli_env(tmp_path, REFUGE_DEMO_PASSWORD="a demo password for tests")
    assert run_cli("init", env=env).returncode == 0
    loaded = run_cli("load-sample", "--demo-users", env=env)
    assert loaded.returncode == 0, loaded.stderr
    assert "demo accounts: admin, editor, analyst, partner" in loaded.stdout
    assert "a demo password for tests" not in loaded.stdout  # given passwords are not echoed
    counts = dict(line.split(": ") for line in run_cli("status", env=env).stdout.splitlines())
    assert int(counts["sources"]) >= 12
    assert int(counts["incidents"]) >= 5
    assert int(counts["claims"]) > 0
    again = run_cli("load-sample", env=env)
    assert again.returncode == 0
    assert "already loaded" in again.stdout
    assert (
        dict(line.split(": ") for line in run_cli("status", env=env).stdout.splitlines()) == counts
    )


def test_a_generated_demo_password_is_printed_once(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    assert run_cli("init", env=env).returncode == 0
    result = run_cli("load-sample", "--demo-users", env=env)
    assert result.returncode == 0, result.stderr
    assert "demo password (generated, shown once): " in result.stdout


def test_a_weak_demo_password_is_refused(tmp_path: Path) -> None:
    env = cli_env(tmp_path, REFUGE_DEMO_PASSWORD="123")
    assert run_cli("init", env=env).returncode == 0
    _one_line_error(run_cli("load-sample", "--demo-users", env=env), "R013")


def test_manage_runs_django_commands_and_needs_one(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    _one_line_error(run_cli("manage", env=env), "R012")
    check = run_cli("manage", "check", env=env)
    assert check.returncode == 0, check.stderr
    assert "no issues" in check.stdout


def test_serve_on_a_taken_port_is_one_line_and_exit_2(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    assert run_cli("init", env=env).returncode == 0
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        _one_line_error(run_cli("serve", "--port", str(port), env=env), "R011")
