"""The one error the sample-data parser raises, with its codes listed in the package docstring."""

from __future__ import annotations

from refuge.errors import RefugeError


class SampleDataError(RefugeError):
    """The packaged (or a hand-made) sample data set breaks one of the R09x rules."""

    code = "R090"


__all__ = ["SampleDataError"]
