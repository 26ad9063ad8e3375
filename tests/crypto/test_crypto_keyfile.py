"""Key file: creation, permissions, passphrase wrapping, environment, rotation on disk."""

from __future__ import annotations

import base64
import json
import os
import stat
from pathlib import Path

import pytest

from refuge.crypto import (
    CryptoError,
    create_key_file,
    is_passphrase_protected,
    load_keyring,
    retire_version,
    rotate_key_file,
)
from refuge.crypto.keyfile import default_key_path

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def _code(excinfo: pytest.ExceptionInfo[CryptoError]) -> str:
    return excinfo.value.code


@posix_only
def test_a_new_key_file_is_owner_only_and_loads_back(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "master.key"
    created = create_key_file(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    loaded = load_keyring(path)
    assert loaded.keys == created.keys and loaded.current == 1


def test_creating_never_overwrites_an_existing_key(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    create_key_file(path)
    before = path.read_bytes()
    with pytest.raises(CryptoError) as caught:
        create_key_file(path)
    assert _code(caught) == "R079"
    assert path.read_bytes() == before


@posix_only
def test_a_key_file_readable_by_others_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    create_key_file(path)
    path.chmod(0o644)
    with pytest.raises(CryptoError) as caught:
        load_keyring(path)
    assert _code(caught) == "R072"
    assert "chmod 600" in str(caught.value) and "\n" not in str(caught.value)


def test_a_missing_key_file_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(CryptoError) as caught:
        load_keyring(tmp_path / "absent.key")
    assert _code(caught) == "R071"
    assert "refuge keys init" in str(caught.value)


def test_a_key_file_inside_the_data_dir_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "var"
    data.mkdir()
    path = data / "master.key"
    create_key_file(path)
    with pytest.raises(CryptoError) as caught:
        load_keyring(path, data_dir=data)
    assert _code(caught) == "R072"
    assert load_keyring(path, data_dir=tmp_path / "elsewhere").current == 1


def test_a_passphrase_protects_the_keys_and_a_wrong_one_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    created = create_key_file(path, passphrase="correct horse battery staple")
    assert is_passphrase_protected(path)
    stored = path.read_text()
    assert base64.b64encode(created.keys[1]).decode() not in stored
    assert load_keyring(path, passphrase="correct horse battery staple").keys == created.keys
    with pytest.raises(CryptoError) as wrong:
        load_keyring(path, passphrase="incorrect horse")
    assert _code(wrong) == "R074"
    with pytest.raises(CryptoError) as missing:
        load_keyring(path)
    assert _code(missing) == "R074"


def test_a_malformed_key_file_is_named_not_crashed_on(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    path.write_text("not json")
    path.chmod(0o600)
    with pytest.raises(CryptoError) as caught:
        load_keyring(path)
    assert _code(caught) == "R073"


def test_an_unknown_format_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    create_key_file(path)
    document = json.loads(path.read_text())
    document["format_version"] = 99
    path.write_text(json.dumps(document))
    with pytest.raises(CryptoError) as caught:
        load_keyring(path)
    assert _code(caught) == "R073" and "99" in str(caught.value)


def test_refuge_master_key_in_the_environment_is_used(tmp_path: Path) -> None:
    key = os.urandom(32)
    keyring = load_keyring(environ={"REFUGE_MASTER_KEY": base64.b64encode(key).decode()})
    assert keyring.keys == {1: key}


def test_refuge_master_key_may_list_several_versions_the_highest_current() -> None:
    old, new = os.urandom(32), os.urandom(32)
    value = f"2:{base64.b64encode(new).decode()},1:{base64.b64encode(old).decode()}"
    keyring = load_keyring(environ={"REFUGE_MASTER_KEY": value})
    assert keyring.current == 2 and keyring.keys[1] == old


def test_a_short_master_key_in_the_environment_is_refused() -> None:
    with pytest.raises(CryptoError) as caught:
        load_keyring(environ={"REFUGE_MASTER_KEY": base64.b64encode(b"short").decode()})
    assert _code(caught) == "R073"


def test_refuge_key_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "elsewhere.key"
    created = create_key_file(path)
    assert load_keyring(environ={"REFUGE_KEY_FILE": str(path)}).keys == created.keys


def test_setting_both_variables_is_refused(tmp_path: Path) -> None:
    environ = {
        "REFUGE_MASTER_KEY": base64.b64encode(os.urandom(32)).decode(),
        "REFUGE_KEY_FILE": str(tmp_path / "master.key"),
    }
    with pytest.raises(CryptoError) as caught:
        load_keyring(environ=environ)
    assert _code(caught) == "R071"


def test_the_default_key_lives_in_the_user_config_directory() -> None:
    path = default_key_path()
    assert path.name == "master.key" and "refuge" in path.parts


@posix_only
def test_rotation_on_disk_keeps_old_versions_and_the_file_private(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    first = create_key_file(path)
    rotated = rotate_key_file(path)
    assert rotated.current == 2 and rotated.keys[1] == first.keys[1]
    assert load_keyring(path).keys == rotated.keys
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind
    assert retire_version(path, 1).versions == (2,)
    assert load_keyring(path).versions == (2,)


def test_rotation_keeps_a_passphrase_protected_file_protected(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    create_key_file(path, passphrase="pass phrase")
    rotate_key_file(path, passphrase="pass phrase")
    assert is_passphrase_protected(path)
    assert load_keyring(path, passphrase="pass phrase").versions == (1, 2)
