"""The key-check value: lets Refuge refuse a wrong master key before it writes garbage.

The data dir keeps, per key version, an HMAC of a constant under that version's "key-check"
key. A keyring is accepted when it shares at least one version with the stored value and
every shared version agrees. That survives rotation (the old value still names the old
version, which the rotated keyring holds) and retirement (the caller rewrites the value after
rotating, so it names the new version too), while a different key file (a laptop's test key,
another organisation's key) shares no matching version and is refused in one line.
"""

from __future__ import annotations

import hmac
import re
from hashlib import sha256

from refuge.crypto.errors import CryptoError
from refuge.crypto.keys import Keyring

_PREFIX = "kcv1:"
_CONSTANT = b"refuge key check value"
_ENTRY = re.compile(r"v([1-9][0-9]*)=([0-9a-f]{32})")


def _check(keyring: Keyring, version: int) -> str:
    key = keyring.subkey("key-check", version)
    return hmac.new(key, _CONSTANT, sha256).hexdigest()[:32]


def key_check_value(keyring: Keyring) -> str:
    """The value to store in the data dir, e.g. ``kcv1:v1=<hex>,v2=<hex>``."""
    entries = ",".join(f"v{version}={_check(keyring, version)}" for version in keyring.versions)
    return _PREFIX + entries


def _parse(stored: str) -> dict[int, str]:
    text = stored.strip()
    if not text.startswith(_PREFIX):
        raise CryptoError(
            "the key-check value in the data dir is malformed; restore it from a backup",
            code="R075",
        )
    parsed: dict[int, str] = {}
    for entry in text[len(_PREFIX) :].split(","):
        match = _ENTRY.fullmatch(entry)
        if match is None:
            raise CryptoError(
                "the key-check value in the data dir is malformed; restore it from a backup",
                code="R075",
            )
        parsed[int(match.group(1))] = match.group(2)
    return parsed


def verify_key_check(keyring: Keyring, stored: str) -> None:
    """Raise ``CryptoError`` R075 unless ``keyring`` is the key this data dir was made with."""
    expected = _parse(stored)
    shared = [version for version in expected if keyring.has_version(version)]
    agree = all(hmac.compare_digest(_check(keyring, v), expected[v]) for v in shared)
    if not shared or not agree:
        raise CryptoError(
            "the master key does not match this data dir; point REFUGE_KEY_FILE (or "
            "REFUGE_MASTER_KEY) at the key this data dir was created with",
            code="R075",
        )


__all__ = ["key_check_value", "verify_key_check"]
