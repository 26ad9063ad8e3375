"""The search package's error (codes in refuge.search's docstring)."""

from __future__ import annotations

from refuge.errors import RefugeError


class SearchError(RefugeError):
    """A search cannot run as asked: a bad filter, sort or page."""

    code = "R120"
