"""Encrypting an export for its recipient with age (https://age-encryption.org/v1).

A partner export leaves Refuge by e-mail or a file drop; encrypted, only its recipient can
read it. age is chosen because partners can decrypt with the standard ``age`` tool (or
rage, or pyrage) on any system, without knowing Refuge:

- to a **passphrase** (age's scrypt recipient): share the passphrase by another channel.
  ``age -d FILE.age`` asks for it.
- to a **recipient public key** (an X25519 key, ``age1…``, made by ``age-keygen``): nothing
  secret to share. ``age -d -i KEY FILE.age``.

``encrypt_file`` writes ``<path>.age`` beside the plaintext (atomically: a complete file or
none) and leaves the plaintext alone; whoever sends the file deletes the plaintext when
it is no longer needed. The output is binary age format, not ASCII armour.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pyrage

from refuge.errors import PublicationError
from refuge.publish.atomicfile import commit, discard, staged

AGE_SUFFIX: Final = ".age"
# Long enough to resist guessing at scrypt's cost even when a person makes it up; a generated
# passphrase (age-keygen, a password manager) is better still.
MIN_PASSPHRASE: Final = 12
RECIPIENT_PREFIX: Final = "age1"


class EncryptionError(PublicationError):
    """A file cannot be encrypted as asked (no or two targets, weak passphrase, bad key)."""

    code = "R158"


def parse_recipient(recipient: str) -> pyrage.x25519.Recipient:
    """The age X25519 public key in ``recipient``; ``EncryptionError`` when it is not one."""
    text = recipient.strip()
    if not text.startswith(RECIPIENT_PREFIX):
        raise EncryptionError(
            "a recipient is an age public key beginning with 'age1' (made by age-keygen)"
        )
    try:
        return pyrage.x25519.Recipient.from_str(text)
    except pyrage.RecipientError:
        # The key itself is public, but a mistyped private key pasted here is not: never echo it.
        raise EncryptionError(
            "the recipient is not a valid age public key; copy the whole 'age1…' line"
        ) from None


def encrypt_file(
    path: str | Path, *, passphrase: str | None = None, recipient: str | None = None
) -> Path:
    """Encrypt ``path`` to ``<path>.age`` for ``passphrase`` or ``recipient`` (exactly one).

    Raises ``EncryptionError`` (R158) when neither or both are given, the passphrase is
    shorter than ``MIN_PASSPHRASE`` characters, the recipient is not an age public key, or
    the file cannot be read or written.
    """
    source = Path(path)
    if (passphrase is None) == (recipient is None):
        raise EncryptionError("encrypt to either a passphrase or a recipient's public key")
    target = source.with_name(source.name + AGE_SUFFIX)
    if passphrase is not None and len(passphrase) < MIN_PASSPHRASE:
        raise EncryptionError(f"the passphrase needs at least {MIN_PASSPHRASE} characters")
    key = None if recipient is None else parse_recipient(recipient)

    temporary: Path | None = None
    try:
        temporary = staged(target)
        if key is not None:
            with source.open("rb") as reader, temporary.open("wb") as writer:
                pyrage.encrypt_io(reader, writer, [key])
        else:
            assert passphrase is not None  # checked above: exactly one of the two
            # pyrage offers scrypt only in memory; exports are small enough to hold once.
            sealed = pyrage.passphrase.encrypt(source.read_bytes(), passphrase)
            temporary.write_bytes(sealed)
        commit(temporary, target)
    except OSError as exc:
        raise EncryptionError(f"cannot encrypt {source.name!r}: {exc.strerror or exc}") from None
    except pyrage.EncryptError as exc:
        raise EncryptionError(f"cannot encrypt {source.name!r}: {exc}") from None
    finally:
        discard(temporary)
    return target


__all__ = [
    "AGE_SUFFIX",
    "MIN_PASSPHRASE",
    "EncryptionError",
    "encrypt_file",
    "parse_recipient",
]
