"""The master keyring as the web app and commands use it: loaded once, checked once.

The key lives outside the data dir (REFUGE_KEY_FILE, default under the user's config
directory, or REFUGE_MASTER_KEY); the data dir holds only a key-check value, so that a wrong
key is refused with one line instead of producing garbage or unreadable records.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from django.conf import settings

from refuge.crypto import Keyring, key_check_value, verify_key_check
from refuge.crypto.keyfile import create_key_file, default_key_path, load_keyring
from refuge.errors import ConfigurationError

KEY_CHECK_FILE = "key_check"
_lock = threading.Lock()
_cached: Keyring | None = None


def key_path() -> Path:
    """Where the key file is (or would be) when REFUGE_MASTER_KEY is not used."""
    configured = os.environ.get("REFUGE_KEY_FILE")
    return Path(configured).expanduser() if configured else default_key_path()


def _check_file() -> Path:
    return Path(settings.DATA_DIR) / KEY_CHECK_FILE


def passphrase() -> str | None:
    return os.environ.get("REFUGE_KEY_PASSPHRASE") or None


def get_keyring() -> Keyring:
    """The keyring, verified against the data dir's key-check value (cached)."""
    global _cached
    with _lock:
        if _cached is None:
            keyring = load_keyring(passphrase=passphrase(), data_dir=Path(settings.DATA_DIR))
            check = _check_file()
            if check.exists():
                verify_key_check(keyring, check.read_text(encoding="ascii"))
            else:
                raise ConfigurationError(
                    "this data dir has no key-check value; run `refuge init` (or "
                    "`refuge keys init`) first",
                    code="R007",
                )
            _cached = keyring
        return _cached


def forget_keyring() -> None:
    """Drop the cached keyring (after a rotation, and between tests)."""
    global _cached
    with _lock:
        _cached = None


def write_key_check(keyring: Keyring) -> None:
    _check_file().write_text(key_check_value(keyring) + "\n", encoding="ascii")


def keys_init() -> tuple[Keyring, bool]:
    """Create the key if there is none and bind this data dir to it; (keyring, created).

    Idempotent: an existing key is loaded and checked; a data dir without a key-check value
    gets one for the key found.
    """
    created = False
    if os.environ.get("REFUGE_MASTER_KEY") or key_path().exists():
        keyring = load_keyring(passphrase=passphrase(), data_dir=Path(settings.DATA_DIR))
    else:
        if key_path().resolve().is_relative_to(Path(settings.DATA_DIR).resolve()):
            raise ConfigurationError(
                "REFUGE_KEY_FILE points inside the data dir; the key must be kept apart "
                "from the data",
                code="R072",
            )
        keyring = create_key_file(key_path(), passphrase=passphrase())
        created = True
    check = _check_file()
    if check.exists():
        verify_key_check(keyring, check.read_text(encoding="ascii"))
    write_key_check(keyring)
    forget_keyring()
    return keyring, created
