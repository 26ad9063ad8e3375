"""The data directory: where the SQLite database, evidence and logs live.

``REFUGE_DATA_DIR`` (default ``var/`` under the current directory). It is created on first
use and checked for writing at once, so that an unwritable directory is reported in one line
at start-up instead of as a database error in the middle of a batch.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from refuge.env import env_str
from refuge.errors import ConfigurationError

DEFAULT_DATA_DIR = "var"
SECRET_KEY_FILE = "secret_key"  # noqa: S105 (a file name, not a secret)


def data_dir(*, environ: Mapping[str, str] | None = None, create: bool = True) -> Path:
    """The data directory as an absolute path, created and proven writable."""
    raw = env_str("REFUGE_DATA_DIR", DEFAULT_DATA_DIR, environ=environ) or DEFAULT_DATA_DIR
    path = Path(raw).expanduser().resolve()
    if not create:
        return path
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigurationError(
            f"data directory {str(path)!r} cannot be created ({exc.strerror}); "
            "set REFUGE_DATA_DIR to a writable folder",
            code="R002",
        ) from None
    if not path.is_dir() or not os.access(path, os.W_OK | os.X_OK):
        raise ConfigurationError(
            f"data directory {str(path)!r} is not a writable folder; "
            "set REFUGE_DATA_DIR to a writable folder",
            code="R002",
        )
    return path


def load_or_create_secret_key(directory: Path) -> str:
    """Django's secret key, generated into the data dir on first run (never committed).

    The key is written to a private temporary file and then hard-linked into place: the link
    fails if the file exists, so two processes starting together agree on one complete key,
    and no reader ever sees a half-written one. Mode 0600: no other user can read it.
    """
    key_path = directory / SECRET_KEY_FILE
    if not key_path.exists():
        tmp = directory / f".{SECRET_KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_urlsafe(50))
                handle.flush()
                os.fsync(handle.fileno())
            # Another process may have won the race: then its key is the one to use.
            with contextlib.suppress(FileExistsError):
                os.link(tmp, key_path)
        except OSError as exc:
            raise ConfigurationError(
                f"cannot create {str(key_path)!r}: {exc.strerror}", code="R002"
            ) from None
        finally:
            tmp.unlink(missing_ok=True)
    try:
        key = key_path.read_text(encoding="ascii").strip()
    except OSError as exc:
        raise ConfigurationError(
            f"cannot read {str(key_path)!r}: {exc.strerror}", code="R002"
        ) from None
    if len(key) < 32:
        raise ConfigurationError(
            f"{str(key_path)!r} holds a key shorter than 32 characters; delete it to "
            "have a new one generated",
            code="R002",
        )
    return key


__all__ = ["DEFAULT_DATA_DIR", "data_dir", "load_or_create_secret_key"]
