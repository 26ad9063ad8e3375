"""The ``DATABASES`` setting from ``DATABASE_URL``, or an SQLite file in the data dir.

SQLite serves a web server and CLI batches writing at the same time: WAL lets readers go on
while one writer writes; the busy timeout makes a second writer wait instead of failing at
once; and ``IMMEDIATE`` transactions take the write lock when a transaction starts, so two
transactions that read and then write cannot deadlock (with SQLite's default DEFERRED mode
the second would fail at once with "database is locked", whatever the timeout).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url

from refuge.errors import ConfigurationError

SQLITE_FILE = "refuge.sqlite3"
SQLITE_BUSY_TIMEOUT_SECONDS = 30
_SUPPORTED = {"sqlite", "postgres", "postgresql", "pgsql"}


def sqlite_options() -> dict[str, Any]:
    return {
        "transaction_mode": "IMMEDIATE",
        "timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
        # synchronous=NORMAL is durable across application crashes under WAL, and only a
        # power loss can lose the last transactions; foreign keys are off by default in SQLite.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }


def database_config(url: str | None, data_dir: Path) -> dict[str, Any]:
    """One Django database entry; ConfigurationError R003 for a URL that cannot work."""
    if url is None or url.strip() == "":
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(data_dir / SQLITE_FILE),
            "OPTIONS": sqlite_options(),
        }
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme not in _SUPPORTED:
        raise ConfigurationError(
            "DATABASE_URL must start with sqlite:/// or postgres:// "
            f"(got {scheme + '://' if scheme else 'no scheme'})",
            code="R003",
        )
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    except Exception as exc:  # the library raises several types for malformed URLs
        raise ConfigurationError(
            f"DATABASE_URL cannot be parsed: {type(exc).__name__}", code="R003"
        ) from None
    if config["ENGINE"].endswith("sqlite3"):
        if not config.get("NAME") or config["NAME"] == ":memory:":
            raise ConfigurationError(
                "DATABASE_URL for SQLite must name a file, e.g. sqlite:////srv/refuge/db.sqlite3",
                code="R003",
            )
        config["OPTIONS"] = {**sqlite_options(), **config.get("OPTIONS", {})}
        config["CONN_MAX_AGE"] = 0
    elif not config.get("NAME"):
        raise ConfigurationError(
            "DATABASE_URL for PostgreSQL must name a database, e.g. "
            "postgres://user@127.0.0.1:5432/refuge",
            code="R003",
        )
    return config


__all__ = ["database_config", "sqlite_options"]
