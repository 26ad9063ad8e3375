"""Starting Django from the command line, with configuration errors as one line."""

from __future__ import annotations

import os

from refuge.errors import ConfigurationError

SETTINGS_MODULE = "refuge.web.settings"


def setup_django() -> None:
    """Configure Django once; ConfigurationError (exit 2) for any bad setting."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        raise ConfigurationError(str(exc).splitlines()[0], code="R001") from None


def check_database() -> None:
    """Connect once, so an unreachable database is reported before any work starts."""
    from django.db import OperationalError, connection

    try:
        connection.ensure_connection()
    except OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigurationError(f"cannot open the database: {first}", code="R004") from None


def pending_migrations() -> list[str]:
    """Names of migrations not yet applied (empty when the database is up to date)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def require_migrated() -> None:
    check_database()
    pending = pending_migrations()
    if pending:
        raise ConfigurationError(
            f"the database is not initialised ({len(pending)} migrations pending); "
            "run `refuge init` first",
            code="R005",
        )
