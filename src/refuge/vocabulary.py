"""The controlled vocabularies of the extraction contract (../shared/contracts/extraction.md).

One list each, shared by the models, the extractor and the sample data, so that a value one
part writes is one every other part accepts. Extend, never rename: stored data and partners'
scripts use these strings.
"""

from __future__ import annotations

from typing import Final

EVENT_TYPES: Final = (
    "arrest",
    "detention",
    "transfer",
    "repatriation",
    "deportation",
    "release",
    "escape_attempt",
    "border_crossing",
    "punishment",
    "death",
    "disappearance",
)
COUNT_QUALIFIERS: Final = ("exact", "approx", "at_least", "at_most", "range")
PLACE_ROLES: Final = (
    "arrest",
    "detention",
    "transit",
    "handover",
    "destination",
    "origin",
    "other",
)
PLACE_KINDS: Final = (
    "facility",
    "city",
    "county",
    "province",
    "country",
    "border_crossing",
    "region",
)
PLACE_PRECISIONS: Final = ("facility", "city", "county", "admin1", "country", "region")
DATE_PRECISIONS: Final = ("day", "month", "year")
STATUSES: Final = (
    "arrested",
    "detained",
    "repatriation_pending",
    "repatriated",
    "released",
    "unknown",
)
LEGAL_INSTRUMENTS: Final = (
    "refugee-convention-1951",
    "refugee-protocol-1967",
    "cat-1984",
    "iccpr-1966",
    "crc-1989",
    "cn-kp-border-protocol-1986",
    "un-coi-dprk-2014",
    "kr-constitution-art3",
    "kr-nk-human-rights-act-2016",
    "kr-nk-refugees-act-1997",
    "cn-exit-entry-law-2012",
    "un-resolution",
    "un-wgad-opinion",
)
SENSITIVITY_FLAGS: Final = (
    "family_requested_non_disclosure",
    "source_anonymity",
    "minors_involved",
    "publicity_risk",
)
# Breakdowns of a victim group's total, in display order.
VICTIM_BREAKDOWNS: Final = ("adults", "minors", "women", "men")


def choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    """Django-style choices with readable labels ("escape_attempt" -> "Escape attempt")."""
    return [(v, v.replace("_", " ").capitalize()) for v in values]


__all__ = [
    "COUNT_QUALIFIERS",
    "DATE_PRECISIONS",
    "EVENT_TYPES",
    "LEGAL_INSTRUMENTS",
    "PLACE_KINDS",
    "PLACE_PRECISIONS",
    "PLACE_ROLES",
    "SENSITIVITY_FLAGS",
    "STATUSES",
    "VICTIM_BREAKDOWNS",
    "choices",
]
