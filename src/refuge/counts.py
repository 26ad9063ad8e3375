"""Counts of people known as a range with a qualifier ("about 60", "50 to 60", "over 500").

Conflicting figures are kept side by side as min / best / max (DESIGN.md principle 2); this
module holds the rules every stored count obeys.
"""

from __future__ import annotations

from refuge.errors import DomainValidationError
from refuge.vocabulary import COUNT_QUALIFIERS


def check_count(
    minimum: int | None, best: int | None, maximum: int | None, qualifier: str | None
) -> None:
    """Raise DomainValidationError (R056/R057) unless min <= best <= max and the qualifier fits."""
    values = {"min": minimum, "best": best, "max": maximum}
    for name, value in values.items():
        if value is not None and value < 0:
            raise DomainValidationError(f"the {name} count is negative ({value})", code="R056")
    known = [v for v in (minimum, best, maximum) if v is not None]
    if known != sorted(known):
        raise DomainValidationError(
            f"counts must satisfy min <= best <= max (got {minimum}, {best}, {maximum})",
            code="R056",
        )
    if qualifier is None or qualifier == "":
        if known:
            raise DomainValidationError("a count needs a qualifier", code="R057")
        return
    if qualifier not in COUNT_QUALIFIERS:
        raise DomainValidationError(
            f"unknown count qualifier {qualifier!r}; use one of {', '.join(COUNT_QUALIFIERS)}",
            code="R057",
        )
    if best is None and not known:
        raise DomainValidationError("a qualified count needs at least one figure", code="R057")
    if qualifier == "exact" and len(set(known)) > 1:
        raise DomainValidationError(
            f"an exact count has one value (got {minimum}, {best}, {maximum})", code="R057"
        )
    if qualifier == "range" and (minimum is None or maximum is None or minimum == maximum):
        raise DomainValidationError("a range needs a distinct min and max", code="R057")


__all__ = ["check_count"]
