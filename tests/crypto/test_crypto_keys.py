"""Keyring: versions, purpose keys, rotation and retirement in memory."""

from __future__ import annotations

import pytest

from refuge.crypto import CryptoError, Keyring
from refuge.crypto.keys import PURPOSES


def test_each_purpose_gets_its_own_key(keyring: Keyring) -> None:
    derived = {keyring.subkey(purpose) for purpose in PURPOSES}  # type: ignore[arg-type]
    assert len(derived) == len(PURPOSES)
    assert keyring.keys[1] not in derived


def test_purpose_keys_are_stable_for_one_master_and_differ_between_masters(
    keyring: Keyring,
) -> None:
    same = Keyring(keys=dict(keyring.keys), current=1)
    assert same.subkey("field") == keyring.subkey("field")
    assert Keyring.generate().subkey("field") != keyring.subkey("field")


def test_rotation_adds_a_current_version_and_keeps_the_old_one(keyring: Keyring) -> None:
    rotated = keyring.with_new_version()
    assert rotated.current == 2
    assert rotated.versions == (1, 2)
    assert rotated.subkey("field", 1) == keyring.subkey("field", 1)
    assert rotated.subkey("field") != keyring.subkey("field")


def test_retiring_drops_a_version_and_reading_it_then_fails(keyring: Keyring) -> None:
    retired = keyring.with_new_version().without_version(1)
    assert retired.versions == (2,)
    with pytest.raises(CryptoError) as caught:
        retired.subkey("field", 1)
    assert caught.value.code == "R078"


def test_the_current_version_cannot_be_retired(keyring: Keyring) -> None:
    with pytest.raises(CryptoError) as caught:
        keyring.without_version(1)
    assert caught.value.code == "R079"


def test_a_key_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(CryptoError) as caught:
        Keyring(keys={1: b"short"}, current=1)
    assert caught.value.code == "R073"


def test_the_repr_never_shows_key_material(keyring: Keyring) -> None:
    assert keyring.keys[1].hex() not in repr(keyring)
    assert repr(keyring.keys[1]) not in repr(keyring)
