"""The keyring: versioned 32-byte master keys and the purpose keys derived from them.

One master secret per version; every use gets its own key derived with HKDF-SHA256 and the
purpose as context, so a key that leaks through one use (say, the blind index handed to a
search service) reveals nothing about the others, and no key is ever used for two jobs.
Versions let a rotation proceed row by row: new data uses ``current``, old data is read with
the version written beside it until re-encryption is complete and the version is retired.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Literal, get_args

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from refuge.crypto.errors import CryptoError

KEY_BYTES = 32

Purpose = Literal[
    "field",  # AES-GCM of identifying fields (fields.py)
    "blob-key",  # wraps the per-file data keys of evidence (blobs.py)
    "blob-name",  # HMAC naming stored evidence files (blobs.py)
    "blind-index",  # truncated HMACs of name keys (blind_index.py)
    "audit-mac",  # MACs over audit entries (the audit app)
    "backup",  # encrypts backups (refuge backup)
    "key-check",  # the key-check value kept in the data dir (keycheck.py)
]
PURPOSES: tuple[str, ...] = get_args(Purpose)


@lru_cache(maxsize=256)
def _derive(master: bytes, purpose: str) -> bytes:
    # Cached: field decryption of a page of records would otherwise run HKDF per value.
    hkdf = HKDF(
        algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=b"refuge/" + purpose.encode()
    )
    return hkdf.derive(master)


@dataclass(frozen=True, slots=True)
class Keyring:
    """Master keys by version (1, 2, ...) and the version new data is written with."""

    keys: Mapping[int, bytes] = field(repr=False)
    current: int

    def __post_init__(self) -> None:
        if not self.keys:
            raise CryptoError("the key file holds no key; restore it from its backup", code="R073")
        for version, key in self.keys.items():
            if not isinstance(version, int) or version < 1:
                raise CryptoError(f"key version {version!r} is not a positive integer", code="R073")
            if len(key) != KEY_BYTES:
                raise CryptoError(
                    f"key version {version} is {len(key)} bytes, not {KEY_BYTES}; "
                    "restore the key file from its backup",
                    code="R073",
                )
        if self.current not in self.keys:
            raise CryptoError(
                f"the current key version {self.current} is not in the key file", code="R073"
            )
        object.__setattr__(self, "keys", MappingProxyType(dict(self.keys)))

    @classmethod
    def generate(cls) -> Keyring:
        """A new keyring with one random key, version 1."""
        return cls(keys={1: secrets.token_bytes(KEY_BYTES)}, current=1)

    @property
    def versions(self) -> tuple[int, ...]:
        """Every version held, oldest first."""
        return tuple(sorted(self.keys))

    def has_version(self, version: int) -> bool:
        """Whether data written with ``version`` can still be read."""
        return version in self.keys

    def subkey(self, purpose: Purpose, version: int | None = None) -> bytes:
        """The 32-byte key for ``purpose`` under ``version`` (default: current)."""
        if purpose not in PURPOSES:
            raise ValueError(f"unknown key purpose {purpose!r}")
        chosen = self.current if version is None else version
        master = self.keys.get(chosen)
        if master is None:
            raise CryptoError(
                f"this data needs key version {chosen}, which the key file does not hold; "
                "use the key file from before that version was retired",
                code="R078",
            )
        return _derive(master, purpose)

    def with_new_version(self) -> Keyring:
        """A keyring with one more random key, made current; older ones kept for reading."""
        version = max(self.keys) + 1
        return Keyring(keys={**self.keys, version: secrets.token_bytes(KEY_BYTES)}, current=version)

    def without_version(self, version: int) -> Keyring:
        """A keyring that no longer holds ``version`` (which must not be current)."""
        if version == self.current:
            raise CryptoError(
                f"key version {version} is current and cannot be retired; rotate first",
                code="R079",
            )
        if version not in self.keys:
            raise CryptoError(f"key version {version} is not in the key file", code="R079")
        return Keyring(
            keys={v: k for v, k in self.keys.items() if v != version}, current=self.current
        )


__all__ = ["KEY_BYTES", "PURPOSES", "Keyring", "Purpose"]
