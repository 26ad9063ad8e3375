"""Publishing fixtures: a second editor for the four-eyes rule, stores of the test's own.

- erin: a second editor of alice's team; approves what alice proposes.
- an admin (ada) approves too; neither may approve their own proposal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _own_stores(master_key: None, settings: Any, tmp_path: Path) -> None:
    """Publication stores in the test's own folder: what one test publishes stays there."""
    import shutil

    from refuge.web.keys import KEY_CHECK_FILE

    own = tmp_path / "data"
    own.mkdir()
    # The run's key binds to its data dir by the key-check value: the new dir gets a copy.
    shutil.copy(Path(settings.DATA_DIR) / KEY_CHECK_FILE, own / KEY_CHECK_FILE)
    settings.DATA_DIR = own


def _user(username: str, role: str, team: Any) -> Any:
    from refuge.web.accounts.models import User

    user = User(username=username, role=role, team=team)
    user.set_password("correct horse battery staple")
    user.save()
    return user


@pytest.fixture
def erin(team: Any) -> Any:
    return _user("erin", "editor", team)


@pytest.fixture
def ada(team: Any) -> Any:
    return _user("ada", "admin", team)


@pytest.fixture
def reader() -> Any:
    """A reader of a publication store, as the public side and the exports read it."""
    from refuge.publish.store import StoreFilters, StoreReader
    from refuge.web.disclosure.snapshot import store_file

    def read(audience: str) -> list[Any]:
        with StoreReader(store_file(audience)) as store:  # type: ignore[arg-type]
            return list(store.incidents(StoreFilters(), offset=0, limit=1000))

    return read
