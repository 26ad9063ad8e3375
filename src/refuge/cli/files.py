"""Reading files named on the command line, with one-line errors."""

from __future__ import annotations

from pathlib import Path

from refuge.errors import UsageError


def read_checkpoint_file(path: Path) -> str:
    """The text of a checkpoint file exported earlier; UsageError R018 if it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}", code="R018") from None
