"""Files that appear whole or not at all: write beside the target, fsync, rename.

A reader (a partner's download, the public export page) must never see half an export, and
an error must not leave a partial file behind. ``staged`` gives a private temporary path in
the target's folder (same filesystem, so the rename is atomic); ``commit`` fsyncs it and
renames it over the target; the caller removes the temporary file on every failure path
(``discard``). Files are created 0600: partner exports are confidential, and the public
site's process runs as the same account.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def staged(target: Path) -> Path:
    """A new, empty, private file beside ``target`` to write into before ``commit``."""
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(fd)
    return Path(name)


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def commit(temporary: Path, target: Path) -> None:
    """Make ``temporary`` durable and put it in place of ``target`` in one step."""
    fsync_file(temporary)
    os.replace(temporary, target)
    fsync_dir(target.parent)


def discard(*paths: Path | None) -> None:
    for path in paths:
        if path is not None:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


__all__ = ["commit", "discard", "fsync_dir", "fsync_file", "staged"]
