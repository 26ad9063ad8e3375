"""Encrypting exports with age (refuge.publish.encrypt), checked by decrypting with pyrage."""

from __future__ import annotations

from pathlib import Path

import pyrage
import pytest

from refuge.errors import PublicationError
from refuge.publish.encrypt import EncryptionError, encrypt_file, parse_recipient

PLAINTEXT = "public_id,title\r\nINC-0001,탈북민 60명 강제 북송\r\n".encode() * 200


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "incidents.csv"
    path.write_bytes(PLAINTEXT)
    return path


def test_a_file_encrypted_to_a_public_key_decrypts_with_its_identity(export: Path) -> None:
    identity = pyrage.x25519.Identity.generate()
    sealed = encrypt_file(export, recipient=str(identity.to_public()))
    assert sealed == export.with_name("incidents.csv.age")
    ciphertext = sealed.read_bytes()
    assert ciphertext.startswith(b"age-encryption.org/v1\n")
    assert "탈북민".encode() not in ciphertext and b"INC-0001" not in ciphertext
    assert pyrage.decrypt(ciphertext, [identity]) == PLAINTEXT
    assert export.read_bytes() == PLAINTEXT  # the plaintext is left for the caller


def test_another_identity_cannot_decrypt_it(export: Path) -> None:
    recipient = pyrage.x25519.Identity.generate()
    stranger = pyrage.x25519.Identity.generate()
    sealed = encrypt_file(export, recipient=str(recipient.to_public()))
    with pytest.raises(pyrage.DecryptError):
        pyrage.decrypt(sealed.read_bytes(), [stranger])


@pytest.mark.slow  # scrypt is slow on purpose: about three seconds per operation here
def test_a_file_encrypted_to_a_passphrase_decrypts_with_it_and_not_another(export: Path) -> None:
    sealed = encrypt_file(export, passphrase="correct horse battery staple")
    ciphertext = sealed.read_bytes()
    assert b"scrypt" in ciphertext.split(b"\n---")[0]  # age's passphrase stanza
    assert pyrage.passphrase.decrypt(ciphertext, "correct horse battery staple") == PLAINTEXT
    with pytest.raises(pyrage.DecryptError):
        pyrage.passphrase.decrypt(ciphertext, "wrong horse battery staple")


def test_encrypting_again_replaces_the_previous_encrypted_file(export: Path) -> None:
    first, second = (pyrage.x25519.Identity.generate() for _ in range(2))
    encrypt_file(export, recipient=str(first.to_public()))
    sealed = encrypt_file(export, recipient=str(second.to_public()))
    assert pyrage.decrypt(sealed.read_bytes(), [second]) == PLAINTEXT
    assert sorted(p.name for p in export.parent.iterdir()) == ["incidents.csv", "incidents.csv.age"]


@pytest.mark.parametrize(
    "recipient",
    [
        "age1notakeyatall",
        "age1" + "q" * 58,
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHx5 someone@example.org",
        "",
        "age1aejyskk29944pm82efqc94n0gj5xa7nnpsm47wtuyuxf55unucgszt48k7",  # one letter off
    ],
)
def test_a_bad_recipient_is_a_coded_error_and_writes_nothing(export: Path, recipient: str) -> None:
    with pytest.raises(EncryptionError, match=r"\[R158\]") as caught:
        encrypt_file(export, recipient=recipient)
    assert isinstance(caught.value, PublicationError)
    assert sorted(p.name for p in export.parent.iterdir()) == ["incidents.csv"]


def test_a_private_key_pasted_as_recipient_is_refused_without_echoing_it(export: Path) -> None:
    secret = str(pyrage.x25519.Identity.generate())
    assert secret.startswith("AGE-SECRET-KEY-1")
    with pytest.raises(EncryptionError) as caught:
        encrypt_file(export, recipient=secret)
    assert secret not in str(caught.value)
    assert secret[16:] not in str(caught.value)


def test_a_recipient_with_surrounding_whitespace_is_accepted() -> None:
    identity = pyrage.x25519.Identity.generate()
    assert str(parse_recipient(f"  {identity.to_public()}\n")) == str(identity.to_public())


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "either a passphrase or"),
        ({"passphrase": "long enough passphrase", "recipient": "age1x"}, "either a passphrase or"),
        ({"passphrase": "short"}, "at least 12 characters"),
        ({"passphrase": ""}, "at least 12 characters"),
    ],
)
def test_neither_both_or_a_weak_passphrase_are_refused(
    export: Path, kwargs: dict[str, str], message: str
) -> None:
    with pytest.raises(EncryptionError, match=message):
        encrypt_file(export, **kwargs)
    assert not export.with_name("incidents.csv.age").exists()


def test_a_missing_file_is_a_coded_error_and_leaves_no_partial_output(tmp_path: Path) -> None:
    identity = pyrage.x25519.Identity.generate()
    with pytest.raises(EncryptionError, match=r"\[R158\].*cannot encrypt"):
        encrypt_file(tmp_path / "missing.csv", recipient=str(identity.to_public()))
    assert list(tmp_path.iterdir()) == []
