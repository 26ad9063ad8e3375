"""Errors a person can cause with their account's credentials (codes R11x)."""

from __future__ import annotations

from refuge.errors import RefugeError


class AccountError(RefugeError):
    """R110 scope not allowed, R111 lifetime out of range, R112 no authenticator enrolled."""

    code = "R110"
