"""Every place the sample data names is one the gazetteer knows, at the precision it claims."""

from __future__ import annotations

import pytest

from refuge.gazetteer import Gazetteer, default_gazetteer
from refuge.sample import load_sample_data


def named_places() -> list[tuple[str, str, str | None]]:
    """(name, country, precision the gazetteer must give it, or None for any) of every
    event place, facility and hometown in the sample data."""
    data = load_sample_data()
    names: set[tuple[str, str, str | None]] = set()
    for incident in data.incidents:
        for event in incident.events:
            # At facility precision the event's place is the town around the facility.
            wanted = None if event.place_precision == "facility" else event.place_precision
            names.update((place.name, place.country, wanted) for place in event.places)
            if event.facility is not None:
                # A facility lies in the country of its event's place.
                names.add((event.facility, event.places[0].country, "facility"))
    # The sample persons all come from North Korea.
    names.update((p.hometown, "KP", None) for p in data.persons if p.hometown is not None)
    return sorted(names, key=str)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    try:
        return default_gazetteer()
    except FileNotFoundError:  # places.csv is being written alongside this package
        pytest.skip("refuge.gazetteer has no places.csv yet")


@pytest.mark.parametrize(("name", "country", "precision"), named_places())
def test_every_sample_place_resolves_in_the_gazetteer(
    gazetteer: Gazetteer, name: str, country: str, precision: str | None
) -> None:
    place = gazetteer.resolve(name, country=country)
    assert place.country == country
    assert precision is None or place.precision == precision
