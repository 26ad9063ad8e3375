"""`refuge manage check --deploy` is clean when REFUGE_HTTPS=1 (what the docs promise)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from clirun import cli_env, run_cli

pytestmark = pytest.mark.slow


def test_the_deployment_check_reports_nothing_behind_https(tmp_path: Path) -> None:
    env = cli_env(tmp_path / "data", REFUGE_HTTPS="1")
    result = run_cli("manage", "check", "--deploy", env=env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert re.findall(r"\(\w+(?:\.\w+)?\.[WE]\d+\)", output) == []
    assert "no issues" in output


def test_without_https_the_check_names_what_is_missing(tmp_path: Path) -> None:
    # The same check does find problems, so the clean run above means something.
    result = run_cli("manage", "check", "--deploy", env=cli_env(tmp_path / "data"))
    output = result.stdout + result.stderr
    assert "security.W012" in output and "security.W016" in output
