"""The public side's only data: the publication store, read through its own connection.

Public pages, the public API and public downloads call ``published()`` and nothing else.
``StoreReader`` opens the store's SQLite file read-only (never the main database, never
through the ORM), so even a bug here cannot reach a confidential table: the connection
knows no such table. A store not built yet reads as empty (the site works before the first
``refuge publish``); a store that cannot be read answers R167, never a half page, and never
the file's path or the reader's own message.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from refuge.errors import PublicationError, RefugeError
from refuge.publish.records import Audience
from refuge.publish.store import StoreReader, store_path


class PublicationUnavailable(RefugeError):
    """The publication store exists but cannot be read (R167)."""

    code = "R167"


# One reader per store file, shared by every request (it is thread-safe and reopens the
# file when `refuge publish` replaces it); the data dir is read at each request.
_readers: dict[Path, StoreReader] = {}
_readers_lock = threading.Lock()


def store_file(audience: Audience = "public") -> Path:
    """Where the store of ``audience`` lives, under the data dir."""
    return store_path(audience, Path(settings.DATA_DIR))


def _reader(path: Path) -> StoreReader:
    with _readers_lock:
        reader = _readers.get(path)
        if reader is None:
            reader = _readers[path] = StoreReader(path)
        return reader


@contextmanager
def published(audience: Audience = "public") -> Iterator[StoreReader]:
    """The reader of the publication store of ``audience``."""
    try:
        yield _reader(store_file(audience))
    except PublicationError as exc:
        if exc.code != "R155":
            raise
        # The reader's message names the file and SQLite's complaint: for the operator's
        # `refuge publish`, not for a public page.
        raise PublicationUnavailable(
            "the published data cannot be read at the moment; the operator must run "
            "`refuge publish` again"
        ) from exc
