"""Settings for the test suite: a throwaway data dir, a fast password hasher.

Set before the real settings are read, so no test ever writes to the developer's ``var/``.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

# Always a fresh folder: a developer's REFUGE_DATA_DIR must never receive test data.
_tmp = tempfile.mkdtemp(prefix="refuge-test-")
os.environ["REFUGE_DATA_DIR"] = _tmp
atexit.register(shutil.rmtree, _tmp, True)

# A master key for the test run, outside the data dir as in production.
if "REFUGE_MASTER_KEY" not in os.environ:
    _keys = tempfile.mkdtemp(prefix="refuge-test-keys-")
    atexit.register(shutil.rmtree, _keys, True)
    os.environ["REFUGE_KEY_FILE"] = os.path.join(_keys, "master.key")

from refuge.web.settings import *  # noqa: E402,F403 (the data dir must be set first)

# Real hashing costs a tenth of a second per login; tests only need it to be a hash.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_AUTOREFRESH = True

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not the in-memory default: tests with several connections (threads) then see
    # the same WAL and locking behaviour as production.
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(_tmp, "test.sqlite3")}  # noqa: F405
