"""Refuge: documentation of detentions and forced repatriations.

The version is written once, in pyproject.toml, and read from the installed metadata.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("refuge")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
