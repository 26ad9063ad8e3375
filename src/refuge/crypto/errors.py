"""The one exception type of ``refuge.crypto``; its codes are listed in the package docstring."""

from __future__ import annotations

from refuge.errors import RefugeError


class CryptoError(RefugeError):
    """A key is missing, unsafe or wrong, or encrypted data cannot be authenticated."""

    code = "R070"


__all__ = ["CryptoError"]
