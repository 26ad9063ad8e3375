"""An evidence store whose files are encrypted and named by a keyed hash.

For confidential originals (testimony, interview notes): each file is encrypted with its
own data key wrapped by the master key (refuge.crypto.blobs, streamed in chunks), and
stored under ``blob_name``, an HMAC of its SHA-256, so that someone holding a copy of the
store cannot test whether it contains a file they already have. The content id callers keep
is that keyed name; the plain SHA-256 lives in the (encrypted) metadata and is checked at
every read and by ``verify``.

Same layout, atomic commit, temp-file sweep and interface as LocalEvidenceStore.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from refuge.crypto import Keyring, blob_name, decrypt_stream, encrypt_stream
from refuge.errors import EvidenceError
from refuge.evidence.store import LocalEvidenceStore, StoredBlob

# Binds every file to Refuge's evidence store; a file swapped with another one still
# decrypts, so reads also compare the plaintext's hash with the recorded one.
AAD = b"refuge/evidence/1"


class _Sink(io.RawIOBase):
    """Discards what is written: verify needs only the hash decrypt_stream computes."""

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        return len(data)


class SealedEvidenceStore(LocalEvidenceStore):
    def __init__(self, root: str | os.PathLike[str], keyring: Keyring) -> None:
        super().__init__(root)
        self._keyring = keyring

    def put_sealed(
        self, data: bytes | BinaryIO, *, max_bytes: int | None = None
    ) -> tuple[StoredBlob, str]:
        """Encrypt and store; (blob whose ``sha256`` is the keyed name, plain SHA-256)."""
        stream: BinaryIO = (
            io.BytesIO(data) if isinstance(data, bytes | bytearray | memoryview) else data
        )
        fd, tmp_name = tempfile.mkstemp(
            dir=self.root / "tmp", prefix=f"put-{os.getpid()}-", suffix=".part"
        )
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                header = encrypt_stream(self._keyring, stream, out, aad=AAD)
                if max_bytes is not None and header.size > max_bytes:
                    raise EvidenceError(
                        f"the file is larger than the limit of {max_bytes} bytes", code="R031"
                    )
                out.flush()
                os.fchmod(out.fileno(), 0o444)
                os.fsync(out.fileno())
            name = blob_name(self._keyring, header.sha256)
            created = self._commit(tmp, self._path(name))
        finally:
            tmp.unlink(missing_ok=True)
        blob = StoredBlob(
            sha256=name, size=header.size, storage_key=self.storage_key(name), created=created
        )
        return blob, header.sha256

    def put(self, data: bytes | BinaryIO, *, max_bytes: int | None = None) -> StoredBlob:
        return self.put_sealed(data, max_bytes=max_bytes)[0]

    def read(self, name: str, *, expected_sha256: str | None = None) -> bytes:
        """The decrypted original; EvidenceError if it is missing, altered or not the one
        recorded (``expected_sha256``)."""
        out = io.BytesIO()
        with super().open(name) as src:
            decrypt_stream(self._keyring, src, out, aad=AAD, expected_sha256=expected_sha256)
        return out.getvalue()

    def open(self, sha256: str) -> BinaryIO:
        return io.BytesIO(self.read(sha256))

    def verify(self, sha256: str) -> bool:
        """Decrypts every chunk and checks that the plaintext's keyed hash is the name."""
        try:
            with super().open(sha256) as src:
                header = decrypt_stream(self._keyring, src, _Sink(), aad=AAD)  # type: ignore[arg-type]
        except EvidenceError:
            return False
        except Exception as exc:  # CryptoError (R077) for any altered byte
            if getattr(exc, "code", "").startswith("R07"):
                return False
            raise
        return any(
            hmac.compare_digest(blob_name(self._keyring, header.sha256, version=v), sha256)
            for v in self._keyring.versions
        )


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


__all__ = ["AAD", "SealedEvidenceStore"]
