"""Figures stated by several sources, and the record's min / best / max made from them.

Sources disagree about how many people were held or sent back. Refuge keeps every source's
figure beside the record's (DESIGN.md principle 2) and proposes a default best figure the way
ACLED does for fatalities: the most conservative one, that is the lowest figure stated by a
credible source. A reviewer may choose another with a reason (refuge.web.review.figures).

A source is *credible* when its Admiralty grade says both that the source is reliable (A, B or
C: completely, usually or fairly reliable) and that the information is likely true (1, 2 or 3:
confirmed, probably or possibly true). D-F or 4-6 (not usually reliable, unreliable, cannot be
judged; doubtful, improbable, cannot be judged) and an ungraded source are not credible: their
figures are shown, never used for the default. When no credible source states a figure there
is no default, and the record keeps what a person entered.

Plain Python, no Django: the incident page, the review service and the tests share it.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from refuge.counts import check_count

# Admiralty scale: which grades make a source's figure eligible for the default best figure.
CREDIBLE_RELIABILITY: frozenset[str] = frozenset({"A", "B", "C"})
CREDIBLE_CREDIBILITY: frozenset[int] = frozenset({1, 2, 3})

Basis = Literal["credible", "none"]


@dataclass(frozen=True, slots=True)
class StatedFigure:
    """What one source says about one count: "about 600", "over 500", "50 to 60", "12".

    ``low`` and ``high`` are the bounds the words allow (``high`` is None for "over 500"),
    ``value`` the number the words give.
    """

    value: int
    low: int | None = None
    high: int | None = None
    qualifier: str = "exact"

    @property
    def conservative(self) -> int:
        """The lowest number these words support: 500 for "over 500", 50 for "50 to 60"."""
        return self.low if self.low is not None else self.value

    @property
    def largest(self) -> int:
        """The highest number these words state (an open "over 500" states 500)."""
        return self.high if self.high is not None else self.value


def stated_figure(value: Any) -> StatedFigure | None:
    """A claim's value as a figure: 60, "60", or {"value": 60, "min": .., "max": .., ...}.

    None for anything that is not a non-negative count (a reviewer's free-text edit, a
    sealed value, a name), so callers show it without using it.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return StatedFigure(value, value, value) if value >= 0 else None
    if isinstance(value, str):
        text = value.strip()
        return stated_figure(int(text)) if text.isdigit() else None
    if not isinstance(value, dict):
        return None
    number = _count(value.get("value"))
    low, high = _count(value.get("min")), _count(value.get("max"))
    qualifier = str(value.get("qualifier") or "exact")
    if number is None:
        number = low if low is not None else high
    if number is None:
        return None
    if qualifier == "at_least":
        low, high = (low if low is not None else number), None
    elif qualifier == "at_most":
        low, high = None, (high if high is not None else number)
    else:
        low = low if low is not None else number
        high = high if high is not None else number
    if (low is not None and low > number) or (high is not None and high < number):
        return None  # bounds that contradict their own value: show, never compute with it
    return StatedFigure(number, low, high, qualifier)


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and value >= 0:
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def is_credible(reliability: str | None, credibility: int | None) -> bool:
    """Whether a source with this Admiralty grade may set the default best figure."""
    if not reliability or credibility is None:
        return False
    if reliability not in CREDIBLE_RELIABILITY:
        return False
    return credibility in CREDIBLE_CREDIBILITY


@dataclass(frozen=True, slots=True)
class SourceFigure:
    """One source's figure for one count, with whether that source is credible."""

    key: Hashable  # the caller's handle on it (a claim's id)
    figure: StatedFigure
    credible: bool


@dataclass(frozen=True, slots=True)
class FigureSummary:
    """The range the sources state, and the default best figure with what it rests on."""

    minimum: int | None
    best: int | None
    maximum: int | None
    default_key: Hashable | None  # whose figure the default is (None without a default)
    basis: Basis
    conflict: bool  # the sources state different numbers
    count: int


def summarise(figures: Sequence[SourceFigure]) -> FigureSummary:
    """Min / best / max of the sources' figures; best is the lowest credible figure.

    Ties keep the first figure given, so the caller's order (oldest source first, say)
    decides which source the default is credited to.
    """
    if not figures:
        return FigureSummary(None, None, None, None, "none", False, 0)
    minimum = min(f.figure.conservative for f in figures)
    maximum = max(f.figure.largest for f in figures)
    credible = [f for f in figures if f.credible]
    default = min(credible, key=lambda f: f.figure.conservative) if credible else None
    distinct = {(f.figure.low, f.figure.value, f.figure.high) for f in figures}
    return FigureSummary(
        minimum=minimum,
        best=default.figure.conservative if default else None,
        maximum=maximum,
        default_key=default.key if default else None,
        basis="credible" if default else "none",
        conflict=len(distinct) > 1,
        count=len(figures),
    )


def apply_best(
    minimum: int | None, best: int | None, maximum: int | None, qualifier: str, new_best: int
) -> tuple[int | None, int, int | None, str]:
    """A stored count with ``new_best`` as its best figure, still obeying the count rules.

    The bounds widen to hold the new figure (never narrow: what other sources said stays in
    the range), and the qualifier follows: an exact count that now spans several numbers
    becomes a range, a range whose bounds meet becomes exact.
    """
    if new_best < 0:
        raise ValueError("a count cannot be negative")
    if minimum is None:
        # "At most 50" has no lower bound to keep; an empty count starts at the new figure.
        low = None if qualifier == "at_most" else new_best
    else:
        low = min(minimum, new_best)
    high = maximum if maximum is None else max(maximum, new_best)
    if not qualifier:
        qualifier = "exact"
    if qualifier == "exact" and len({low, new_best, high} - {None}) > 1:
        qualifier = "range"
    if qualifier == "range" and (high is None or low == high):
        qualifier = "exact" if high is not None else "at_least"
    if qualifier == "exact":
        high = new_best if high is None else high
    check_count(low, new_best, high, qualifier)
    return low, new_best, high, qualifier


__all__ = [
    "CREDIBLE_CREDIBILITY",
    "CREDIBLE_RELIABILITY",
    "FigureSummary",
    "SourceFigure",
    "StatedFigure",
    "apply_best",
    "is_credible",
    "stated_figure",
    "summarise",
]
