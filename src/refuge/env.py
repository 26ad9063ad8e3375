"""Typed readers of settings from the environment that fail loudly.

A bad value stops the program with one clear line (ConfigurationError R001) instead of
being silently replaced by a default: a deployment that believes it runs with DEBUG off,
or on PostgreSQL, must not quietly run otherwise. Secrets may come from ``NAME_FILE``
(a path to a file holding the value), the usual way containers and systemd pass them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from refuge.errors import ConfigurationError

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(
    name: str,
    default: str | None = None,
    *,
    environ: Mapping[str, str] | None = None,
) -> str | None:
    """The variable's value, or ``default`` when it is unset."""
    env = os.environ if environ is None else environ
    return env.get(name, default)


def env_bool(
    name: str,
    default: bool = False,
    *,
    environ: Mapping[str, str] | None = None,
) -> bool:
    """``1/true/yes/on`` or ``0/false/no/off``; anything else is an error, not False."""
    raw = env_str(name, environ=environ)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigurationError(f"{name}={raw!r} is not a boolean; use 1 or 0", code="R001")


def env_int(
    name: str, default: int, *, minimum: int | None = None, environ: Mapping[str, str] | None = None
) -> int:
    """An integer, optionally bounded below."""
    raw = env_str(name, environ=environ)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ConfigurationError(f"{name}={raw!r} is not an integer", code="R001") from None
    if minimum is not None and value < minimum:
        raise ConfigurationError(f"{name}={value} must be at least {minimum}", code="R001")
    return value


def env_list(
    name: str,
    default: list[str],
    *,
    environ: Mapping[str, str] | None = None,
) -> list[str]:
    """A comma-separated list; empty items are dropped."""
    raw = env_str(name, environ=environ)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, *, environ: Mapping[str, str] | None = None) -> str | None:
    """``NAME`` or the content of the file named by ``NAME_FILE`` (not both)."""
    value = env_str(name, environ=environ)
    path = env_str(f"{name}_FILE", environ=environ)
    if value is not None and path is not None:
        raise ConfigurationError(f"set {name} or {name}_FILE, not both", code="R001")
    if path is None:
        return value
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigurationError(
            f"{name}_FILE={path!r} cannot be read: {exc.strerror}", code="R001"
        ) from None


__all__ = ["env_bool", "env_int", "env_list", "env_secret", "env_str"]
