"""``refuge extract`` (contract: ../shared/contracts/extraction.md)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the extraction commands to ``app``."""
