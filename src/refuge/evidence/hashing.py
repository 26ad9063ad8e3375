"""SHA-256 of bytes, streams and files, and the check that a string is a content id.

Everything in the evidence store is named by the lowercase hex SHA-256 of its plaintext; the
check lives here so that no path is ever built from a string that was not validated first.
"""

from __future__ import annotations

import hashlib
import os
import re
from typing import BinaryIO

from refuge.errors import EvidenceError

#: Read size for streams: large enough to hash quickly, small enough to keep memory flat.
CHUNK_SIZE = 1024 * 1024

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


def is_sha256(text: object) -> bool:
    """Whether ``text`` is 64 lowercase hex digits (and nothing else, not even a newline)."""
    return isinstance(text, str) and _SHA256_HEX.fullmatch(text) is not None


def require_sha256(text: object) -> str:
    """Return ``text`` if it is a content id; raise ``EvidenceError`` R036 otherwise."""
    if not is_sha256(text):
        raise EvidenceError(
            f"{text!r} is not a content id; give the 64 lowercase hex digits of a SHA-256",
            code="R036",
        )
    assert isinstance(text, str)  # narrowed by is_sha256, for the type checker
    return text


def sha256_bytes(data: bytes | bytearray | memoryview) -> str:
    """Lowercase hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sha256_stream(stream: BinaryIO) -> str:
    """Lowercase hex SHA-256 of everything left in ``stream``, read in ``CHUNK_SIZE`` chunks."""
    hasher = hashlib.sha256()
    while chunk := stream.read(CHUNK_SIZE):
        hasher.update(chunk)
    return hasher.hexdigest()


def sha256_file(path: str | os.PathLike[str]) -> str:
    """Lowercase hex SHA-256 of the file at ``path``, without loading it whole."""
    with open(path, "rb") as stream:
        return sha256_stream(stream)
