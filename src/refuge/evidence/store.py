"""The content-addressed evidence store: originals kept once, by SHA-256, never changed.

Callers speak only in *content ids* (the SHA-256 of the plaintext, as received). How a blob is
named where it is kept is the store's business: its *storage key*. Today they coincide up to a
folder prefix; when evidence is encrypted, the storage key becomes a keyed HMAC of the content
id and the bytes on disk are ciphertext, while the content id, ``put``/``open``/``get``/
``verify`` and every caller stay as they are. An S3-compatible backend implements the same
``EvidenceStore`` protocol.

Layout of ``LocalEvidenceStore`` (one folder, one filesystem)::

    root/objects/ab/cd/abcd…(64 hex)   read-only blobs, named by content id
    root/tmp/put-*.part                 uploads in progress; nothing else lives here

A put streams into a temp file in ``root/tmp``, hashing as it goes, fsyncs it, then links it
into place (a hard link cannot overwrite, so two writers of the same content cannot both
believe they created it) and fsyncs the folder. Filesystems without hard links fall back to
``os.replace``. The temp file is removed on every path, success or failure; only a killed
process can leave one behind, and ``sweep_temp`` removes those on the next start.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol, runtime_checkable

from refuge.errors import EvidenceError
from refuge.evidence.hashing import CHUNK_SIZE, is_sha256, require_sha256, sha256_stream

# Errors from os.link that mean "this filesystem has no hard links", not "something is wrong".
_NO_HARD_LINKS = frozenset({errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS})

# Folders are private to the account running Refuge: blobs are read-only (0o444) so that no
# process of ours can rewrite them, and the 0o700 folder keeps other accounts out.
_DIR_MODE = 0o700
_FILE_MODE = 0o444


@dataclass(frozen=True, slots=True)
class StoredBlob:
    """What a ``put`` stored: the content id, its size, where it lives, and whether it is new.

    ``created`` is False when the same content was already stored (a duplicate upload).
    """

    sha256: str
    size: int
    storage_key: str
    created: bool


@runtime_checkable
class EvidenceStore(Protocol):
    """Where originals are kept. Every method takes or returns content ids (SHA-256 hex)."""

    def put(self, data: bytes | BinaryIO, *, max_bytes: int | None = None) -> StoredBlob:
        """Store ``data`` (bytes or a binary stream read to its end); R031 over ``max_bytes``."""
        ...

    def open(self, sha256: str) -> BinaryIO:
        """A binary stream of the stored original; R032 if there is none."""
        ...

    def get(self, sha256: str) -> bytes:
        """The stored original, whole; R032 if there is none."""
        ...

    def exists(self, sha256: str) -> bool:
        """Whether an original with this content id is stored."""
        ...

    def verify(self, sha256: str) -> bool:
        """Whether what is stored still hashes to ``sha256`` (False if altered or missing)."""
        ...

    def iter_ids(self) -> Iterator[str]:
        """Every stored content id, in sorted order."""
        ...


class LocalEvidenceStore:
    """An ``EvidenceStore`` on a local folder (see the module docstring for the layout)."""

    __slots__ = ("_objects", "_root", "_tmp")

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self._root = Path(root)
        self._objects = self._root / "objects"
        self._tmp = self._root / "tmp"
        for folder in (self._root, self._objects, self._tmp):
            folder.mkdir(mode=_DIR_MODE, parents=True, exist_ok=True)

    @property
    def root(self) -> Path:
        return self._root

    def __repr__(self) -> str:
        return f"LocalEvidenceStore({str(self._root)!r})"

    def storage_key(self, sha256: str) -> str:
        """Where the blob with this content id lives, relative to the root (POSIX separators).

        The one place that maps content ids to names: a keyed naming scheme changes only this.
        """
        sha256 = require_sha256(sha256)
        return f"objects/{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def put(self, data: bytes | BinaryIO, *, max_bytes: int | None = None) -> StoredBlob:
        if max_bytes is not None and max_bytes < 0:
            raise ValueError("max_bytes must be zero or more")
        stream: BinaryIO = (
            io.BytesIO(data) if isinstance(data, bytes | bytearray | memoryview) else data
        )
        # The writer's pid is in the name, so a later sweep can tell a dead writer's leftover
        # from a live writer's upload in progress, whatever their ages.
        fd, tmp_name = tempfile.mkstemp(dir=self._tmp, prefix=f"put-{os.getpid()}-", suffix=".part")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                sha256, size = _copy_hashing(stream, out, max_bytes)
                out.flush()
                os.fchmod(out.fileno(), _FILE_MODE)
                os.fsync(out.fileno())
            created = self._commit(tmp, self._path(sha256))
        finally:
            tmp.unlink(missing_ok=True)
        return StoredBlob(
            sha256=sha256, size=size, storage_key=self.storage_key(sha256), created=created
        )

    def open(self, sha256: str) -> BinaryIO:
        path = self._path(sha256)
        try:
            return open(path, "rb")  # the caller owns and closes the stream
        except FileNotFoundError:
            raise EvidenceError(
                f"no evidence is stored under {sha256}; check the id, or restore the evidence "
                "folder from a backup",
                code="R032",
            ) from None

    def get(self, sha256: str) -> bytes:
        with self.open(sha256) as stream:
            return stream.read()

    def exists(self, sha256: str) -> bool:
        return self._path(sha256).is_file()

    def verify(self, sha256: str) -> bool:
        path = self._path(sha256)
        try:
            with open(path, "rb") as stream:
                return sha256_stream(stream) == sha256
        except FileNotFoundError:
            return False

    def iter_ids(self) -> Iterator[str]:
        # Only names in their right place count: a file copied into the wrong folder is not a
        # stored blob (open() would never find it), and stray files are not ids at all.
        for first in _sorted_dirs(self._objects):
            for second in _sorted_dirs(first):
                for blob in sorted(second.iterdir()):
                    name = blob.name
                    if (
                        is_sha256(name)
                        and name[:2] == first.name
                        and name[2:4] == second.name
                        and blob.is_file()
                    ):
                        yield name

    def sweep_temp(self, older_than_seconds: float = 3600.0, *, now: float | None = None) -> int:
        """Remove leftover temp files; return how many.

        Only a process killed during a put leaves one. A file is removed when the process named
        in it is gone (on this machine), or when it was last written more than
        ``older_than_seconds`` ago (a store shared between machines, or an unknown name); each
        chunk a running put writes refreshes the mtime, so live uploads are spared.
        """
        cutoff = (time.time() if now is None else now) - older_than_seconds
        removed = 0
        for entry in os.scandir(self._tmp):
            if not entry.is_file(follow_symlinks=False):
                continue
            if _writer_gone(entry.name) or entry.stat().st_mtime < cutoff:
                Path(entry.path).unlink(missing_ok=True)
                removed += 1
        return removed

    def _path(self, sha256: str) -> Path:
        # storage_key validates the id, so nothing unvalidated ever reaches the filesystem.
        return self._root / self.storage_key(sha256)

    def _commit(self, tmp: Path, target: Path) -> bool:
        """Put ``tmp`` at ``target`` unless something is already there; True if it was new."""
        self._make_dirs(target.parent)
        try:
            os.link(tmp, target)
        except FileExistsError:
            return False
        except OSError as error:
            if error.errno not in _NO_HARD_LINKS:
                raise
            # Without hard links there is no atomic "create if absent"; the race only lets two
            # writers of identical bytes (same name = same hash) both report created=True.
            if target.exists():
                return False
            os.replace(tmp, target)
        _fsync_dir(target.parent)
        return True

    def _make_dirs(self, folder: Path) -> None:
        """Create ``folder`` (under ``objects``) and make each new link to it durable."""
        missing: list[Path] = []
        current = folder
        while current != self._objects and not current.is_dir():
            missing.append(current)
            current = current.parent
        for new in reversed(missing):
            new.mkdir(mode=_DIR_MODE, exist_ok=True)
            _fsync_dir(new.parent)


def _copy_hashing(stream: BinaryIO, out: BinaryIO, max_bytes: int | None) -> tuple[str, int]:
    hasher = hashlib.sha256()
    size = 0
    while chunk := stream.read(CHUNK_SIZE):
        size += len(chunk)
        if max_bytes is not None and size > max_bytes:
            raise EvidenceError(
                f"the file is larger than the limit of {max_bytes} bytes; send a smaller file "
                "or ask an administrator to raise the limit",
                code="R031",
            )
        hasher.update(chunk)
        out.write(chunk)
    return hasher.hexdigest(), size


def _sorted_dirs(folder: Path) -> list[Path]:
    return sorted(
        child
        for child in folder.iterdir()
        if len(child.name) == 2 and child.is_dir() and not child.is_symlink()
    )


def _fsync_dir(folder: Path) -> None:
    """Flush a folder's entries so a new name survives a power cut, not only the file's bytes."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _writer_gone(name: str) -> bool:
    """True when ``put-<pid>-….part`` names a process that no longer runs here."""
    parts = name.split("-", 2)
    if len(parts) < 3 or parts[0] != "put" or not parts[1].isdigit():
        return False
    pid = int(parts[1])
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, owned by another user
        return False
    return False
