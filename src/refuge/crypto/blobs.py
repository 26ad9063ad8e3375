"""Evidence encryption: streamed envelope encryption of files, and keyed file names.

Layout of an encrypted file (all integers big-endian)::

    magic "RFGB" | format 1 (1 byte) | key version (4) | chunk size (4) | nonce prefix (8)
    | wrap nonce (12) | wrapped data key (32 + 16 tag)
    | chunk 0 | chunk 1 | ... | final chunk          (each: ciphertext + 16-byte tag)

Each file gets a random 256-bit data key, wrapped (AES-GCM) by the keyring's "blob-key" key
of the current version, with the header's fixed fields and the caller's ``aad`` as associated
data. Rotation re-wraps that one small key (:func:`rewrap_stream`) instead of rewriting gigabytes
under a new key, and a stolen wrapped key is useless without the master key.

The plaintext is cut into chunks of ``chunk_size`` bytes (1 MiB), so neither side ever holds
more than two chunks: a 50 MB video is encrypted and decrypted in a few megabytes. Chunk
``i`` is sealed with nonce ``prefix || i`` and, as associated data, ``i``, a flag saying
whether it is the last chunk, and the caller's ``aad``. Hence a reordered chunk fails
(wrong index), a truncated file fails (its new last chunk was not sealed as last), an
appended chunk fails (the real last chunk is no longer last), and any flipped bit fails.

Decryption writes each chunk only after its tag checks, but a file cut short is detected
only at its end: callers write to a temporary file and discard it on ``CryptoError``.

Stored files are named by :func:`blob_name`, an HMAC of the plaintext's SHA-256 under the
"blob-name" key: someone holding a copy of the store cannot hash a file they know and look
for it, while Refuge (which holds the key) still finds a file by its content id and
de-duplicates. The SHA-256 itself goes into the (encrypted) metadata for integrity checks.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import struct
from dataclasses import dataclass
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from refuge.crypto.errors import CryptoError
from refuge.crypto.keys import KEY_BYTES, Keyring

MAGIC = b"RFGB"
FORMAT = 1
DEFAULT_CHUNK_SIZE = 1024 * 1024
MIN_CHUNK_SIZE = 16
# Bounds memory when reading a file whose header says otherwise (two chunks are held).
MAX_CHUNK_SIZE = 16 * 1024 * 1024
_TAG = 16
_PREFIX = 8
_FIXED = struct.Struct(">4sBII8s")  # magic, format, key version, chunk size, nonce prefix
_WRAP_NONCE = 12
_WRAPPED = KEY_BYTES + _TAG
HEADER_SIZE = _FIXED.size + _WRAP_NONCE + _WRAPPED
_MAX_CHUNKS = 2**32
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class BlobHeader:
    """What encrypting or decrypting a stream learned: the key version it is (now) under,
    its chunk size, and the plaintext's size and SHA-256 (hex), computed while streaming."""

    key_version: int
    chunk_size: int
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class _Parsed:
    fixed: bytes
    key_version: int
    chunk_size: int
    prefix: bytes
    data_key: bytes


def _corrupt(reason: str) -> CryptoError:
    return CryptoError(
        f"an encrypted evidence file cannot be decrypted ({reason}); "
        "restore it from a backup and run `refuge verify`",
        code="R077",
    )


def _aad_part(aad: bytes) -> bytes:
    return struct.pack(">I", len(aad)) + aad


def _wrap_aad(fixed: bytes, aad: bytes) -> bytes:
    return b"refuge-blob-key/1" + fixed + _aad_part(aad)


def _chunk_aad(index: int, final: bool, aad: bytes) -> bytes:
    return b"refuge-blob-chunk/1" + struct.pack(">QB", index, int(final)) + _aad_part(aad)


def _nonce(prefix: bytes, index: int) -> bytes:
    if index >= _MAX_CHUNKS:
        raise _corrupt("too many chunks")
    return prefix + struct.pack(">I", index)


def _read_exact(src: BinaryIO, size: int) -> bytes:
    """Up to ``size`` bytes; fewer only at the end of the stream (raw reads may be short)."""
    parts: list[bytes] = []
    remaining = size
    while remaining:
        part = src.read(remaining)
        if not part:
            break
        parts.append(part)
        remaining -= len(part)
    return b"".join(parts)


def _fixed_header(version: int, chunk_size: int, prefix: bytes) -> bytes:
    return _FIXED.pack(MAGIC, FORMAT, version, chunk_size, prefix)


def _write_header(
    keyring: Keyring, dst: BinaryIO, data_key: bytes, chunk_size: int, prefix: bytes, aad: bytes
) -> int:
    version = keyring.current
    fixed = _fixed_header(version, chunk_size, prefix)
    wrap_nonce = secrets.token_bytes(_WRAP_NONCE)
    wrapped = AESGCM(keyring.subkey("blob-key", version)).encrypt(
        wrap_nonce, data_key, _wrap_aad(fixed, aad)
    )
    dst.write(fixed + wrap_nonce + wrapped)
    return version


def _read_header(keyring: Keyring, src: BinaryIO, aad: bytes) -> _Parsed:
    header = _read_exact(src, HEADER_SIZE)
    if len(header) < HEADER_SIZE:
        raise _corrupt("header cut short")
    fixed = header[: _FIXED.size]
    magic, fmt, version, chunk_size, prefix = _FIXED.unpack(fixed)
    if magic != MAGIC or fmt != FORMAT:
        raise _corrupt("not a Refuge encrypted file, or an unknown format")
    if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
        raise _corrupt("chunk size out of bounds")
    key = keyring.subkey("blob-key", version)  # R078 when the version was retired
    wrap_nonce = header[_FIXED.size : _FIXED.size + _WRAP_NONCE]
    try:
        data_key = AESGCM(key).decrypt(
            wrap_nonce, header[_FIXED.size + _WRAP_NONCE :], _wrap_aad(fixed, aad)
        )
    except InvalidTag:
        raise _corrupt("wrong key, wrong record, or altered header") from None
    return _Parsed(fixed, version, chunk_size, prefix, data_key)


def blob_key_version(src: BinaryIO) -> int:
    """The key version an encrypted file's data key is wrapped under (reads the header only)."""
    fixed = _read_exact(src, _FIXED.size)
    if len(fixed) < _FIXED.size:
        raise _corrupt("header cut short")
    magic, fmt, version, _, _ = _FIXED.unpack(fixed)
    if magic != MAGIC or fmt != FORMAT:
        raise _corrupt("not a Refuge encrypted file, or an unknown format")
    return int(version)


def encrypt_stream(
    keyring: Keyring,
    src: BinaryIO,
    dst: BinaryIO,
    *,
    aad: bytes,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> BlobHeader:
    """Encrypt ``src`` into ``dst`` chunk by chunk (see the module docstring).

    ``aad`` binds the file to its context (e.g. the source's UUID): decrypting it under any
    other ``aad`` fails. Returns the plaintext's size and SHA-256.
    """
    if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
        raise ValueError(f"chunk_size must be in [{MIN_CHUNK_SIZE}, {MAX_CHUNK_SIZE}]")
    data_key = AESGCM.generate_key(bit_length=256)
    prefix = secrets.token_bytes(_PREFIX)
    version = _write_header(keyring, dst, data_key, chunk_size, prefix, aad)
    aead = AESGCM(data_key)
    digest = hashlib.sha256()
    size = 0
    index = 0
    chunk = _read_exact(src, chunk_size)
    while True:
        # Read one chunk ahead: only then is it known whether this chunk is the last.
        following = _read_exact(src, chunk_size) if len(chunk) == chunk_size else b""
        final = not following
        digest.update(chunk)
        size += len(chunk)
        dst.write(aead.encrypt(_nonce(prefix, index), chunk, _chunk_aad(index, final, aad)))
        if final:
            break
        chunk = following
        index += 1
    return BlobHeader(
        key_version=version, chunk_size=chunk_size, size=size, sha256=digest.hexdigest()
    )


def _decrypt_chunks(
    parsed: _Parsed, src: BinaryIO, dst: BinaryIO | None, aad: bytes, *, copy: BinaryIO | None
) -> BlobHeader:
    """Verify every chunk; write plaintext to ``dst`` and/or ciphertext to ``copy``."""
    aead = AESGCM(parsed.data_key)
    sealed_size = parsed.chunk_size + _TAG
    digest = hashlib.sha256()
    size = 0
    index = 0
    sealed = _read_exact(src, sealed_size)
    if not sealed:
        raise _corrupt("no content after the header")
    while True:
        following = _read_exact(src, sealed_size) if len(sealed) == sealed_size else b""
        final = not following
        try:
            plain = aead.decrypt(
                _nonce(parsed.prefix, index), sealed, _chunk_aad(index, final, aad)
            )
        except InvalidTag:
            raise _corrupt(f"chunk {index} altered, reordered, or the file cut short") from None
        digest.update(plain)
        size += len(plain)
        if dst is not None:
            dst.write(plain)
        if copy is not None:
            copy.write(sealed)
        if final:
            break
        sealed = following
        index += 1
    return BlobHeader(
        key_version=parsed.key_version,
        chunk_size=parsed.chunk_size,
        size=size,
        sha256=digest.hexdigest(),
    )


def decrypt_stream(
    keyring: Keyring,
    src: BinaryIO,
    dst: BinaryIO,
    *,
    aad: bytes,
    expected_sha256: str | None = None,
) -> BlobHeader:
    """Decrypt ``src`` into ``dst``, checking every chunk as it goes.

    With ``expected_sha256`` (from the record's metadata), a plaintext that decrypts but is
    not the file that was recorded also raises R077.
    """
    parsed = _read_header(keyring, src, aad)
    header = _decrypt_chunks(parsed, src, dst, aad, copy=None)
    if expected_sha256 is not None and not hmac.compare_digest(header.sha256, expected_sha256):
        raise _corrupt("content does not match its recorded SHA-256")
    return header


def rewrap_stream(keyring: Keyring, src: BinaryIO, dst: BinaryIO, *, aad: bytes) -> BlobHeader:
    """Copy an encrypted file with its data key re-wrapped under the current key version.

    Every chunk is verified on the way (so a rotation never blesses a damaged file); the
    chunks themselves are copied unchanged.
    """
    parsed = _read_header(keyring, src, aad)
    version = _write_header(keyring, dst, parsed.data_key, parsed.chunk_size, parsed.prefix, aad)
    # The wrap binds the fixed header, which now names the new version; the chunks do not
    # depend on it, so they stay valid under the re-wrapped key.
    header = _decrypt_chunks(parsed, src, None, aad, copy=dst)
    return BlobHeader(
        key_version=version, chunk_size=header.chunk_size, size=header.size, sha256=header.sha256
    )


def blob_name(keyring: Keyring, sha256_hex: str, *, version: int | None = None) -> str:
    """The stored file name for content ``sha256_hex``: HMAC-SHA256 hex under "blob-name".

    ``version`` defaults to current; during a rotation, look a file up under every version
    the keyring holds, and rename it when it is re-wrapped.
    """
    if not isinstance(sha256_hex, str) or _SHA256_HEX.fullmatch(sha256_hex) is None:
        raise CryptoError(
            f"{sha256_hex!r} is not a content id; give 64 lowercase hex digits", code="R070"
        )
    key = keyring.subkey("blob-name", version)
    return hmac.new(key, sha256_hex.encode("ascii"), hashlib.sha256).hexdigest()


__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "HEADER_SIZE",
    "BlobHeader",
    "blob_key_version",
    "blob_name",
    "decrypt_stream",
    "encrypt_stream",
    "rewrap_stream",
]
