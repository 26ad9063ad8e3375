from __future__ import annotations

import subprocess
import sys

import refuge.gazetteer


def test_it_exports_a_short_public_surface() -> None:
    assert sorted(refuge.gazetteer.__all__) == [
        "Gazetteer",
        "Place",
        "default_gazetteer",
        "load_gazetteer",
        "normalise_name",
    ]


def test_it_loads_without_django() -> None:
    # A fresh interpreter: this test session may have imported Django for other packages.
    code = (
        "import sys; from refuge.gazetteer import default_gazetteer; default_gazetteer(); "
        "sys.exit('django' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False)
    assert result.returncode == 0, result.stderr.decode()
