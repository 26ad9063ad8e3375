"""Field encryption: one identifying value -> one self-describing text token.

``v<version>:<base64url(nonce || ciphertext)>``. AES-256-GCM under the keyring's "field" key
of that version, a fresh random 96-bit nonce per value (2**32 values per key keep the
collision risk below 2**-32, far beyond any Refuge database), and as associated data the
version, table, field and record UUID: a token copied into another row, another column or
another table no longer decrypts, so someone with write access to the database cannot make
the app show a victim's name as another record's harmless field.

The plaintext is padded to a multiple of 16 bytes (one 0x80 byte, then zeros) before
encryption, so a token tells the length of a name only to within 16 bytes (five Hangul
syllables): short names, the ones a length could betray, all look alike.

Rotation is resumable: :func:`reencrypt_field` returns a token under the current version
(unchanged when it already is), so re-running a half-finished rotation only touches the
values still under an older version.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
import struct
from functools import lru_cache
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from refuge.crypto.errors import CryptoError
from refuge.crypto.keys import Keyring

_NONCE = 12
_TAG = 16
_BLOCK = 16
_TOKEN = re.compile(r"v([1-9][0-9]{0,8}):([A-Za-z0-9_-]+)")
_MIN_RAW = _NONCE + _BLOCK + _TAG


@lru_cache(maxsize=64)
def _aead(key: bytes) -> AESGCM:
    return AESGCM(key)


def _part(text: str) -> bytes:
    data = text.encode("utf-8")
    return struct.pack(">I", len(data)) + data


def _associated(version: int, table: str, field: str, record_uuid: UUID) -> bytes:
    # Length-prefixed so that ("ab", "c") and ("a", "bc") cannot give the same bytes.
    return (
        b"refuge-field/1"
        + struct.pack(">I", version)
        + _part(table)
        + _part(field)
        + record_uuid.bytes
    )


def _pad(data: bytes) -> bytes:
    padded = data + b"\x80"
    return padded + b"\x00" * (-len(padded) % _BLOCK)


def _unpad(data: bytes) -> bytes | None:
    stripped = data.rstrip(b"\x00")
    if not stripped.endswith(b"\x80"):
        return None
    return stripped[:-1]


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def is_token(value: object) -> bool:
    """Whether ``value`` has the shape of a field token (it may still fail to decrypt)."""
    if not isinstance(value, str):
        return False
    match = _TOKEN.fullmatch(value)
    if match is None:
        return False
    try:
        raw = _b64decode(match.group(2))
    except (binascii.Error, ValueError):
        return False
    return len(raw) >= _MIN_RAW and (len(raw) - _NONCE - _TAG) % _BLOCK == 0


def token_version(token: str) -> int:
    """The key version a token was written with; ``CryptoError`` R076 if it is no token."""
    match = _TOKEN.fullmatch(token) if isinstance(token, str) else None
    if match is None:
        raise CryptoError(
            "an encrypted field is malformed (not a Refuge token); restore it from a backup",
            code="R076",
        )
    return int(match.group(1))


def encrypt_field(
    keyring: Keyring, plaintext: str, *, table: str, field: str, record_uuid: UUID
) -> str:
    """Encrypt ``plaintext`` for one field of one record under the current key version."""
    version = keyring.current
    nonce = secrets.token_bytes(_NONCE)
    associated = _associated(version, table, field, record_uuid)
    ciphertext = _aead(keyring.subkey("field", version)).encrypt(
        nonce, _pad(plaintext.encode("utf-8")), associated
    )
    return f"v{version}:{_b64encode(nonce + ciphertext)}"


def decrypt_field(
    keyring: Keyring, token: str, *, table: str, field: str, record_uuid: UUID
) -> str:
    """The plaintext of a token written for exactly this table, field and record.

    A wrong key, a token moved from elsewhere and any altered character all raise
    ``CryptoError`` R076, whose message names the field and record, never the content.
    """
    failure = CryptoError(
        f"the encrypted field {table}.{field} of record {record_uuid} cannot be decrypted "
        "(wrong key, value moved from another record, or tampering); restore it from a backup",
        code="R076",
    )
    if not is_token(token):
        raise failure
    version = token_version(token)
    key = keyring.subkey("field", version)  # R078 when the version was retired
    raw = _b64decode(token.partition(":")[2])
    try:
        padded = _aead(key).decrypt(
            raw[:_NONCE], raw[_NONCE:], _associated(version, table, field, record_uuid)
        )
    except InvalidTag:
        raise failure from None
    data = _unpad(padded)
    if data is None:
        raise failure
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise failure from None


def needs_reencryption(keyring: Keyring, token: str) -> bool:
    """Whether ``token`` was written under a version older than the current one."""
    return token_version(token) != keyring.current


def reencrypt_field(
    keyring: Keyring, token: str, *, table: str, field: str, record_uuid: UUID
) -> str:
    """``token`` under the current key version (the same token if it already is)."""
    if not needs_reencryption(keyring, token):
        return token
    plaintext = decrypt_field(keyring, token, table=table, field=field, record_uuid=record_uuid)
    return encrypt_field(keyring, plaintext, table=table, field=field, record_uuid=record_uuid)


__all__ = [
    "decrypt_field",
    "encrypt_field",
    "is_token",
    "needs_reencryption",
    "reencrypt_field",
    "token_version",
]
