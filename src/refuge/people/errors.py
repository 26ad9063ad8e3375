"""The one exception type of ``refuge.people``; its codes are listed in the package docstring."""

from __future__ import annotations

from refuge.errors import RefugeError


class ImportFileError(RefugeError):
    """A list of persons cannot be read at all, so nothing in it can be imported."""

    code = "R100"


__all__ = ["ImportFileError"]
