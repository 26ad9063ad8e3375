"""Key-check value: a wrong key is refused in one line, rotation is not."""

from __future__ import annotations

import pytest

from refuge.crypto import CryptoError, Keyring, key_check_value, verify_key_check


def test_the_key_a_data_dir_was_made_with_passes(keyring: Keyring) -> None:
    verify_key_check(keyring, key_check_value(keyring))


def test_another_key_is_refused_with_one_clear_line(keyring: Keyring) -> None:
    stored = key_check_value(keyring)
    with pytest.raises(CryptoError) as caught:
        verify_key_check(Keyring.generate(), stored)
    assert caught.value.code == "R075"
    assert str(caught.value).startswith("[R075] the master key does not match this data dir")
    assert "\n" not in str(caught.value)


def test_a_rotated_keyring_passes_the_old_value_and_the_new_one(keyring: Keyring) -> None:
    stored = key_check_value(keyring)
    rotated = keyring.with_new_version()
    verify_key_check(rotated, stored)
    updated = key_check_value(rotated)
    verify_key_check(rotated.without_version(1), updated)


def test_a_keyring_sharing_no_version_with_the_value_is_refused(keyring: Keyring) -> None:
    stored = key_check_value(keyring)
    with pytest.raises(CryptoError):
        verify_key_check(keyring.with_new_version().without_version(1), stored)


def test_one_disagreeing_version_is_enough_to_refuse(keyring: Keyring) -> None:
    rotated = keyring.with_new_version()
    forged = Keyring(keys={1: keyring.keys[1], 2: Keyring.generate().keys[1]}, current=2)
    with pytest.raises(CryptoError):
        verify_key_check(forged, key_check_value(rotated))


def test_the_value_reveals_no_key_material(keyring: Keyring) -> None:
    value = key_check_value(keyring)
    assert keyring.keys[1].hex() not in value
    assert keyring.subkey("key-check").hex()[:32] not in value


def test_a_malformed_value_is_reported(keyring: Keyring) -> None:
    with pytest.raises(CryptoError) as caught:
        verify_key_check(keyring, "garbage")
    assert caught.value.code == "R075"
