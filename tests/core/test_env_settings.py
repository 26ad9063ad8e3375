from __future__ import annotations

from pathlib import Path

import pytest

from refuge.datadir import data_dir, load_or_create_secret_key
from refuge.env import env_bool, env_int, env_list, env_secret
from refuge.errors import ConfigurationError


def test_a_boolean_accepts_the_usual_spellings() -> None:
    assert env_bool("X", environ={"X": "1"}) is True
    assert env_bool("X", environ={"X": "Yes"}) is True
    assert env_bool("X", environ={"X": "off"}) is False
    assert env_bool("X", True, environ={}) is True


def test_a_misspelled_boolean_fails_loudly_instead_of_meaning_false() -> None:
    with pytest.raises(ConfigurationError, match=r"\[R001\] X='ture'"):
        env_bool("X", environ={"X": "ture"})


def test_an_integer_must_be_an_integer_and_respect_its_bound() -> None:
    assert env_int("N", 5, environ={"N": " 42 "}) == 42
    with pytest.raises(ConfigurationError, match="not an integer"):
        env_int("N", 5, environ={"N": "forty"})
    with pytest.raises(ConfigurationError, match="at least 300"):
        env_int("N", 5, minimum=300, environ={"N": "10"})


def test_a_list_drops_empty_items() -> None:
    assert env_list("H", [], environ={"H": "a.org, ,b.org"}) == ["a.org", "b.org"]


def test_a_secret_can_come_from_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "s"
    secret.write_text("hunter2-but-longer\n", encoding="utf-8")
    assert env_secret("K", environ={"K_FILE": str(secret)}) == "hunter2-but-longer"


def test_a_secret_set_twice_or_unreadable_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="not both"):
        env_secret("K", environ={"K": "a", "K_FILE": "b"})
    with pytest.raises(ConfigurationError, match="cannot be read"):
        env_secret("K", environ={"K_FILE": str(tmp_path / "missing")})


def test_the_data_dir_is_created_when_missing(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b"
    assert data_dir(environ={"REFUGE_DATA_DIR": str(target)}) == target
    assert target.is_dir()


def test_an_unusable_data_dir_is_reported_in_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(ConfigurationError) as info:
        data_dir(environ={"REFUGE_DATA_DIR": str(blocker / "sub")})
    assert info.value.code == "R002"
    assert "\n" not in str(info.value)


def test_the_secret_key_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    first = load_or_create_secret_key(tmp_path)
    second = load_or_create_secret_key(tmp_path)
    assert first == second
    assert len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temporary file left
