"""The pure core must stay usable without Django (DESIGN.md principle 5)."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "refuge",
    "refuge.errors",
    "refuge.env",
    "refuge.datadir",
    "refuge.periods",
    "refuge.counts",
    "refuge.figures",
    "refuge.vocabulary",
    "refuge.gazetteer",
    "refuge.evidence",
    "refuge.extract",
    "refuge.sample",
]
# Packages that later issues add; imported when present so the check grows with them.
LATER = ["refuge.link", "refuge.estimate", "refuge.law", "refuge.names"]


def test_importing_every_core_package_does_not_import_django() -> None:
    code = (
        "import importlib, importlib.util, sys\n"
        f"for name in {CORE!r}:\n"
        "    importlib.import_module(name)\n"
        f"for name in {LATER!r}:\n"
        "    if importlib.util.find_spec(name) is not None:\n"
        "        importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(','.join(leaked))\n"
    )
    env = {"PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
    assert out.stdout.strip() == ""
