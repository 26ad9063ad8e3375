"""Field tokens: round trips, context binding, tampering, versions and rotation."""

from __future__ import annotations

import base64
from typing import TypedDict
from uuid import UUID, uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refuge.crypto import (
    CryptoError,
    Keyring,
    decrypt_field,
    encrypt_field,
    is_token,
    needs_reencryption,
    reencrypt_field,
    token_version,
)

KEYRING = Keyring.generate()  # hypothesis tests cannot take function-scoped fixtures
RECORD = UUID("8c7e3f7a-8f4e-4b5e-9a53-3f6f0c2a1d10")


class _Context(TypedDict):
    table: str
    field: str
    record_uuid: UUID


CONTEXT: _Context = {"table": "incidents_person", "field": "name", "record_uuid": RECORD}

identifiers = st.text(min_size=1, max_size=30)


@settings(max_examples=200, deadline=None)
@given(plaintext=st.text(max_size=300), table=identifiers, field=identifiers, uuid=st.uuids())
def test_every_text_survives_the_round_trip(
    plaintext: str, table: str, field: str, uuid: UUID
) -> None:
    token = encrypt_field(KEYRING, plaintext, table=table, field=field, record_uuid=uuid)
    assert is_token(token)
    assert decrypt_field(KEYRING, token, table=table, field=field, record_uuid=uuid) == plaintext


def test_encrypting_twice_gives_different_tokens(keyring: Keyring) -> None:
    first = encrypt_field(keyring, "김정은", **CONTEXT)
    second = encrypt_field(keyring, "김정은", **CONTEXT)
    assert first != second


def test_the_token_does_not_contain_the_plaintext(keyring: Keyring) -> None:
    token = encrypt_field(keyring, "Kim Jong-un", **CONTEXT)
    assert "Kim" not in token and token.startswith("v1:")


def test_short_names_of_different_lengths_give_tokens_of_one_length(keyring: Keyring) -> None:
    lengths = {
        len(encrypt_field(keyring, name, **CONTEXT)) for name in ("이", "김정은", "Ri Sol Ju")
    }
    assert len(lengths) == 1


@pytest.mark.parametrize(
    "moved",
    [
        {"table": "incidents_source"},
        {"field": "birth_place"},
        {"record_uuid": uuid4()},
    ],
)
def test_a_token_moved_to_another_table_field_or_record_fails(
    keyring: Keyring, moved: dict[str, object]
) -> None:
    token = encrypt_field(keyring, "Lee Seol-ju", **CONTEXT)
    context = {**CONTEXT, **moved}
    with pytest.raises(CryptoError) as caught:
        decrypt_field(keyring, token, **context)  # type: ignore[arg-type]
    assert caught.value.code == "R076"
    assert "Lee" not in str(caught.value) and "\n" not in str(caught.value)


def test_a_wrong_key_fails_cleanly(keyring: Keyring) -> None:
    token = encrypt_field(keyring, "secret", **CONTEXT)
    with pytest.raises(CryptoError) as caught:
        decrypt_field(Keyring.generate(), token, **CONTEXT)
    assert caught.value.code == "R076"


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_any_flipped_bit_is_detected(data: st.DataObject) -> None:
    token = encrypt_field(KEYRING, "Park Chol", **CONTEXT)
    raw = bytearray(base64.urlsafe_b64decode(token[3:] + "=" * (-len(token[3:]) % 4)))
    position = data.draw(st.integers(0, len(raw) * 8 - 1))
    raw[position // 8] ^= 1 << (position % 8)
    tampered = "v1:" + base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    with pytest.raises(CryptoError) as caught:
        decrypt_field(KEYRING, tampered, **CONTEXT)
    assert caught.value.code == "R076"


def test_a_truncated_token_is_not_a_token(keyring: Keyring) -> None:
    token = encrypt_field(keyring, "Choe", **CONTEXT)
    assert not is_token(token[:-8])
    with pytest.raises(CryptoError):
        decrypt_field(keyring, token[:-8], **CONTEXT)


@pytest.mark.parametrize("value", ["", "Kim", "v1:", "v0:AAAA", "1:abc", None, 17])
def test_plain_values_are_not_tokens(value: object) -> None:
    assert not is_token(value)


def test_rotation_keeps_old_tokens_readable_and_new_ones_use_the_new_version(
    keyring: Keyring,
) -> None:
    old = encrypt_field(keyring, "김정은", **CONTEXT)
    rotated = keyring.with_new_version()
    new = encrypt_field(rotated, "김정은", **CONTEXT)
    assert token_version(old) == 1 and token_version(new) == 2
    assert decrypt_field(rotated, old, **CONTEXT) == "김정은"
    assert decrypt_field(rotated, new, **CONTEXT) == "김정은"


def test_reencryption_moves_old_tokens_and_leaves_current_ones(keyring: Keyring) -> None:
    old = encrypt_field(keyring, "Ryu Kyong", **CONTEXT)
    rotated = keyring.with_new_version()
    moved = reencrypt_field(rotated, old, **CONTEXT)
    assert needs_reencryption(rotated, old) and not needs_reencryption(rotated, moved)
    assert reencrypt_field(rotated, moved, **CONTEXT) == moved  # a resumed run changes nothing
    retired = rotated.without_version(1)
    assert decrypt_field(retired, moved, **CONTEXT) == "Ryu Kyong"
    with pytest.raises(CryptoError) as caught:
        decrypt_field(retired, old, **CONTEXT)
    assert caught.value.code == "R078"


def test_changing_the_version_prefix_does_not_help_a_forger(keyring: Keyring) -> None:
    rotated = keyring.with_new_version()
    token = encrypt_field(rotated, "Han", **CONTEXT)
    with pytest.raises(CryptoError):
        decrypt_field(rotated, "v1:" + token.partition(":")[2], **CONTEXT)
