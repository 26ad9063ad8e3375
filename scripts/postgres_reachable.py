"""Exit 0 when the PostgreSQL server of a database URL accepts a connection, else 1.

Connects to the server's ``postgres`` database, since the test run creates its own
(``test_<name>``) and the named one need not exist.
"""

from __future__ import annotations

import sys
from urllib.parse import urlsplit


def main(url: str) -> int:
    import psycopg

    parts = urlsplit(url)
    try:
        with psycopg.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password or None,
            dbname="postgres",
            connect_timeout=3,
        ):
            return 0
    except psycopg.Error:
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
