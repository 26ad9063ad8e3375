"""Running the installed `refuge` command in a subprocess with a clean environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REFUGE = str(Path(sys.executable).with_name("refuge"))
# Variables a developer's shell may hold that would change what a test means.
_DROP = (
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by browser tests; deploy checks warn about it
    "DATABASE_URL",
    "REFUGE_DATA_DIR",
    "DJANGO_SETTINGS_MODULE",
    "REFUGE_DEMO_PASSWORD",
    "REFUGE_DEBUG",
    "REFUGE_DEMO",
    "REFUGE_TRACEBACK",
)


def cli_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _DROP}
    env["REFUGE_DATA_DIR"] = str(data_dir)
    # The master key beside, never inside, the data dir (and never the user's real one).
    env["REFUGE_KEY_FILE"] = str(data_dir.parent / f"{data_dir.name}-keys" / "master.key")
    env.update(extra)
    return env


def run_cli(
    *args: str, env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [REFUGE, *args], capture_output=True, text=True, env=env, timeout=timeout, check=False
    )
