"""Settings for the test suite: a throwaway data dir, a fast password hasher.

Set before the real settings are read, so no test ever writes to the developer's ``var/``.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

if "REFUGE_DATA_DIR" not in os.environ:
    _tmp = tempfile.mkdtemp(prefix="refuge-test-")
    os.environ["REFUGE_DATA_DIR"] = _tmp
    atexit.register(shutil.rmtree, _tmp, True)

from refuge.web.settings import *  # noqa: F403

# Real hashing costs a tenth of a second per login; tests only need it to be a hash.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_AUTOREFRESH = True
