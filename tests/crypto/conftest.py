"""A fresh random keyring per test: no test depends on a fixed key."""

from __future__ import annotations

import pytest

from refuge.crypto import Keyring


@pytest.fixture
def keyring() -> Keyring:
    return Keyring.generate()
