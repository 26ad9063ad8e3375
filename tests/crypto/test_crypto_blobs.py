"""Streamed evidence encryption: round trips, tampering, rotation, names and memory."""

from __future__ import annotations

import hashlib
import io
import os
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refuge.crypto import (
    BlobHeader,
    CryptoError,
    Keyring,
    blob_key_version,
    blob_name,
    decrypt_stream,
    encrypt_stream,
    rewrap_stream,
)
from refuge.crypto.blobs import HEADER_SIZE

KEYRING = Keyring.generate()
AAD = b"source:5b0e7c1e-4e0b-4c35-9a53-3f6f0c2a1d10"
SMALL = 64  # small chunks so that a few hundred bytes span several chunks
SEALED = SMALL + 16


def _encrypt(data: bytes, keyring: Keyring = KEYRING, chunk_size: int = SMALL) -> bytes:
    out = io.BytesIO()
    encrypt_stream(keyring, io.BytesIO(data), out, aad=AAD, chunk_size=chunk_size)
    return out.getvalue()


def _decrypt(blob: bytes, keyring: Keyring = KEYRING, aad: bytes = AAD) -> bytes:
    out = io.BytesIO()
    decrypt_stream(keyring, io.BytesIO(blob), out, aad=aad)
    return out.getvalue()


def _chunks(blob: bytes) -> list[bytes]:
    body = blob[HEADER_SIZE:]
    return [body[i : i + SEALED] for i in range(0, len(body), SEALED)]


def _assert_refused(blob: bytes, keyring: Keyring = KEYRING, aad: bytes = AAD) -> None:
    with pytest.raises(CryptoError) as caught:
        _decrypt(blob, keyring, aad)
    assert caught.value.code == "R077"
    assert "\n" not in str(caught.value)


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=700), chunk_size=st.sampled_from([16, 64, 100, 1024]))
def test_every_file_survives_the_round_trip(data: bytes, chunk_size: int) -> None:
    out = io.BytesIO()
    header = encrypt_stream(KEYRING, io.BytesIO(data), out, aad=AAD, chunk_size=chunk_size)
    assert header == BlobHeader(1, chunk_size, len(data), hashlib.sha256(data).hexdigest())
    plain = io.BytesIO()
    read = decrypt_stream(KEYRING, io.BytesIO(out.getvalue()), plain, aad=AAD)
    assert plain.getvalue() == data
    assert read.sha256 == header.sha256 and read.size == len(data)


def test_the_ciphertext_does_not_contain_the_plaintext() -> None:
    data = b"testimony of a woman returned through Tumen " * 20
    assert b"Tumen" not in _encrypt(data)


def test_a_flipped_byte_anywhere_is_detected() -> None:
    blob = _encrypt(os.urandom(300))
    # Magic, format, chunk size, nonce prefix, wrap nonce, wrapped key, first and last chunk.
    for position in (0, 4, 12, 16, 30, HEADER_SIZE - 1, HEADER_SIZE + 3, len(blob) - 1):
        tampered = bytearray(blob)
        tampered[position] ^= 0x01
        _assert_refused(bytes(tampered))


def test_an_altered_key_version_is_refused() -> None:
    blob = bytearray(_encrypt(os.urandom(100)))
    blob[8] ^= 0x01  # the low byte of the key version: now names version 0
    with pytest.raises(CryptoError) as caught:
        _decrypt(bytes(blob))
    assert caught.value.code in {"R077", "R078"}


def test_reordered_chunks_are_detected() -> None:
    blob = _encrypt(os.urandom(SMALL * 4 + 10))
    chunks = _chunks(blob)
    swapped = [chunks[1], chunks[0], *chunks[2:]]
    _assert_refused(blob[:HEADER_SIZE] + b"".join(swapped))


def test_a_file_cut_at_a_chunk_boundary_is_detected() -> None:
    blob = _encrypt(os.urandom(SMALL * 3))
    chunks = _chunks(blob)
    _assert_refused(blob[:HEADER_SIZE] + b"".join(chunks[:-1]))
    _assert_refused(blob[:HEADER_SIZE])


def test_a_file_cut_inside_a_chunk_is_detected() -> None:
    blob = _encrypt(os.urandom(SMALL * 3))
    _assert_refused(blob[:-5])


def test_an_appended_chunk_is_detected() -> None:
    blob = _encrypt(os.urandom(SMALL * 2 + 1))
    _assert_refused(blob + _chunks(blob)[0])


def test_a_file_under_another_context_or_key_is_refused() -> None:
    blob = _encrypt(b"evidence")
    _assert_refused(blob, aad=b"source:another")
    _assert_refused(blob, keyring=Keyring.generate())


def test_a_recorded_hash_that_does_not_match_is_refused() -> None:
    blob = _encrypt(b"evidence")
    with pytest.raises(CryptoError) as caught:
        decrypt_stream(KEYRING, io.BytesIO(blob), io.BytesIO(), aad=AAD, expected_sha256="0" * 64)
    assert caught.value.code == "R077"
    good = hashlib.sha256(b"evidence").hexdigest()
    decrypt_stream(KEYRING, io.BytesIO(blob), io.BytesIO(), aad=AAD, expected_sha256=good)


def test_rewrapping_moves_a_file_to_the_new_key_version_without_changing_it() -> None:
    keyring = Keyring.generate()
    data = os.urandom(SMALL * 3 + 7)
    blob = _encrypt(data, keyring)
    rotated = keyring.with_new_version()
    out = io.BytesIO()
    header = rewrap_stream(rotated, io.BytesIO(blob), out, aad=AAD)
    rewrapped = out.getvalue()
    assert header.key_version == 2 and header.sha256 == hashlib.sha256(data).hexdigest()
    assert blob_key_version(io.BytesIO(rewrapped)) == 2
    assert blob_key_version(io.BytesIO(blob)) == 1
    assert _decrypt(rewrapped, rotated.without_version(1)) == data
    with pytest.raises(CryptoError) as caught:
        _decrypt(blob, rotated.without_version(1))
    assert caught.value.code == "R078"


def test_rewrapping_refuses_a_damaged_file() -> None:
    blob = bytearray(_encrypt(os.urandom(SMALL * 2)))
    blob[-1] ^= 0x80
    with pytest.raises(CryptoError):
        rewrap_stream(KEYRING.with_new_version(), io.BytesIO(bytes(blob)), io.BytesIO(), aad=AAD)


def test_blob_names_are_keyed_so_a_known_file_cannot_be_looked_up() -> None:
    content_id = hashlib.sha256(b"a leaked photo").hexdigest()
    name = blob_name(KEYRING, content_id)
    assert len(name) == 64 and name != content_id
    assert name == blob_name(KEYRING, content_id)
    assert name != blob_name(Keyring.generate(), content_id)


def test_a_blob_name_needs_a_content_id() -> None:
    with pytest.raises(CryptoError) as caught:
        blob_name(KEYRING, "not-a-hash")
    assert caught.value.code == "R070"


class _Generated(io.RawIOBase):
    """``size`` deterministic bytes produced on demand: the plaintext never exists whole."""

    def __init__(self, size: int) -> None:
        self._left = size
        self._block = hashlib.sha256(b"seed").digest() * 2048  # 64 KiB pattern

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        count = min(len(buffer), self._left, len(self._block))
        buffer[:count] = self._block[:count]
        self._left -= count
        return count


class _Sink(io.RawIOBase):
    """Hashes what it is given and keeps nothing."""

    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.digest.update(data)
        self.size += len(data)
        return len(data)


def test_a_50_mb_file_is_encrypted_and_decrypted_in_bounded_memory(tmp_path: Path) -> None:
    size = 50 * 1024 * 1024
    sink = _Sink()
    tracemalloc.start()
    try:
        header = encrypt_stream(KEYRING, _Generated(size), sink, aad=AAD)  # type: ignore[arg-type]
        _, encrypt_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert header.size == size
    assert encrypt_peak < 10 * 1024 * 1024
    # Decryption: stream a real encrypted file from disk into a sink.
    path = tmp_path / "blob"
    with path.open("wb") as handle:
        encrypt_stream(KEYRING, _Generated(size), handle, aad=AAD)  # type: ignore[arg-type]
    plain = _Sink()
    tracemalloc.start()
    try:
        with path.open("rb") as handle:
            read = decrypt_stream(KEYRING, handle, plain, aad=AAD)  # type: ignore[arg-type]
        _, decrypt_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert read.sha256 == header.sha256 == plain.digest.hexdigest()
    assert decrypt_peak < 10 * 1024 * 1024
