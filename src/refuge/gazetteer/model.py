"""The Place record and the vocabularies its fields are checked against.

The vocabularies are those of the extraction contract (shared/contracts/extraction.md):
extraction copies ``kind``, ``precision``, ``country``, ``admin1`` and the coordinates of a
place straight into its output, so a value outside them would break that contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

KINDS: Final = frozenset(
    {"facility", "city", "county", "province", "country", "border_crossing", "region"}
)
PRECISIONS: Final = frozenset({"facility", "city", "county", "admin1", "country", "region"})

# Which precisions a kind may carry; a border crossing is a facility (a port, a bridge) or,
# where only the town is known, a city.
PRECISIONS_BY_KIND: Final[dict[str, frozenset[str]]] = {
    "facility": frozenset({"facility"}),
    "city": frozenset({"city"}),
    "county": frozenset({"county"}),
    "province": frozenset({"admin1"}),
    "country": frozenset({"country"}),
    "border_crossing": frozenset({"facility", "city"}),
    "region": frozenset({"region"}),
}

# Areas have no point: giving a province its capital's coordinates would put every
# province-level fact on a map pin in one city, which is precision the source never gave.
AREA_PRECISIONS: Final = frozenset({"admin1", "country", "region"})


@dataclass(frozen=True, slots=True)
class Place:
    """One place of the gazetteer.

    ``id`` is a stable slug ("cn-jl-tumen"); ``admin1`` is the English name of the
    first-level division the place lies in (for a province, its own name; for a country,
    None). ``lat``/``lon`` are set only for points (see ``AREA_PRECISIONS``).
    """

    id: str
    name: str
    name_ko: str | None
    name_zh: str | None
    variants: tuple[str, ...]
    kind: str
    precision: str
    country: str
    admin1: str | None
    lat: float | None
    lon: float | None
    parent_id: str | None
    source: str

    @property
    def names(self) -> tuple[str, ...]:
        """Every name of the place in every script, primary names first."""
        primary = (self.name, self.name_ko, self.name_zh)
        return tuple(n for n in primary if n) + self.variants

    @property
    def is_point(self) -> bool:
        return self.lat is not None and self.lon is not None
