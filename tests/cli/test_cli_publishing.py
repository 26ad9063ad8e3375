"""`refuge publish` and `refuge export`, run as a user runs them, on the sample data."""

from __future__ import annotations

import json
from pathlib import Path

import pyrage
import pytest
from clirun import cli_env, run_cli

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A data dir with the sample loaded (which builds the stores)."""
    data = tmp_path_factory.mktemp("publishing") / "data"
    env = cli_env(data)
    for args in (("init",), ("load-sample",)):
        result = run_cli(*args, env=env, timeout=300)
        assert result.returncode == 0, result.stderr
    return env


def _one_line_error(result: object, code: str) -> None:
    stderr = result.stderr  # type: ignore[attr-defined]
    assert result.returncode == 2, stderr  # type: ignore[attr-defined]
    assert stderr.count("\n") == 1 and f"[{code}]" in stderr, stderr


def test_load_sample_builds_the_stores_and_publish_rebuilds_them(env: dict[str, str]) -> None:
    data = Path(env["REFUGE_DATA_DIR"])
    assert (data / "publication" / "public.sqlite3").is_file()
    assert (data / "publication" / "partners.sqlite3").is_file()
    result = run_cli("publish", env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    public = next(line for line in lines if " public " in f" {line} ")
    partners = next(line for line in lines if " partners " in f" {line} ")
    # The sample releases three incidents to the public and one more to partners.
    assert public.split("│")[2].strip() == "3", result.stdout
    assert partners.split("│")[2].strip() == "4", result.stdout
    assert run_cli("audit", "verify", env=env).returncode == 0


def test_a_public_export_in_every_format_holds_only_the_store(
    env: dict[str, str], tmp_path: Path
) -> None:
    for fmt in ("csv", "json", "geojson", "xlsx"):
        out = tmp_path / f"public.{fmt}"
        result = run_cli(
            "export", "--audience", "public", "--format", fmt, "--out", str(out), env=env
        )
        assert result.returncode == 0, result.stderr
        assert "exported 3 incidents" in result.stdout
        manifest = json.loads(Path(f"{out}.manifest.json").read_text(encoding="utf-8"))
        assert manifest["audience"] == "public" and manifest["format"] == fmt
        if fmt != "xlsx":
            text = out.read_text(encoding="utf-8-sig")
            assert "SAMPLE DATA" in text  # the public summaries
            assert "(fictional)" not in text  # no person's name
            assert "Testimony T-031" not in text  # the embargoed incident's internal title


def test_a_partner_export_carries_a_recipient_specific_id(
    env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "partners.json"
    result = run_cli(
        "export", "--audience", "partners", "--format", "json", "--out", str(out), env=env
    )
    assert result.returncode == 0, result.stderr
    generated = next(
        line.split()[2] for line in result.stdout.splitlines() if line.startswith("export id:")
    )
    body = json.loads(out.read_text(encoding="utf-8"))
    assert body["export_id"] == generated and len(body["incidents"]) == 4
    chosen = tmp_path / "chosen.csv"
    result = run_cli(
        "export",
        "--audience",
        "partners",
        "--format",
        "csv",
        "--out",
        str(chosen),
        "--export-id",
        "ngo-seoul-2031-01",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "ngo-seoul-2031-01" in chosen.read_text(encoding="utf-8-sig")


def test_an_export_can_be_encrypted_to_a_key_or_a_passphrase(
    env: dict[str, str], tmp_path: Path
) -> None:
    identity = pyrage.x25519.Identity.generate()
    out = tmp_path / "partners.geojson"
    result = run_cli(
        "export",
        "--audience",
        "partners",
        "--format",
        "geojson",
        "--out",
        str(out),
        "--recipient",
        str(identity.to_public()),
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert not out.exists()  # no readable copy left behind
    sealed = Path(f"{out}.age").read_bytes()
    assert json.loads(pyrage.decrypt(sealed, [identity]))["type"] == "FeatureCollection"

    secret = tmp_path / "passphrase.txt"
    secret.write_text("correct horse battery staple\n", encoding="utf-8")
    out = tmp_path / "public.csv"
    result = run_cli(
        "export",
        "--audience",
        "public",
        "--format",
        "csv",
        "--out",
        str(out),
        "--passphrase-file",
        str(secret),
        env=env,
    )
    assert result.returncode == 0, result.stderr
    plain = pyrage.passphrase.decrypt(
        Path(f"{out}.age").read_bytes(), "correct horse battery staple"
    )
    assert b"SAMPLE DATA" in plain


def test_wrong_export_options_are_one_line_and_exit_2(env: dict[str, str], tmp_path: Path) -> None:
    out = str(tmp_path / "x.csv")
    base = ("export", "--format", "csv", "--out", out)
    _one_line_error(run_cli(*base, "--audience", "everyone", env=env), "R147")
    _one_line_error(
        run_cli(
            *base,
            "--audience",
            "partners",
            "--recipient",
            "age1x",
            "--passphrase-file",
            out,
            env=env,
        ),
        "R147",
    )
    _one_line_error(run_cli(*base, "--audience", "public", "--export-id", "abcd", env=env), "R147")
    _one_line_error(
        run_cli("export", "--audience", "public", "--format", "pdf", "--out", out, env=env), "R157"
    )
