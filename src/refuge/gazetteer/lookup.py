"""Finding places by name: every candidate, never a silent pick.

A name can belong to several places ("Jilin" is a province and a city; "Yushu" is a city in
Jilin and one in Qinghai). ``Gazetteer.lookup`` returns all of them; ``Gazetteer.resolve``
returns one only when the name and the filters leave exactly one, and otherwise raises
with the candidates, so that the caller (a reviewer, the extraction rules) decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from refuge.errors import GazetteerError
from refuge.gazetteer.countries import ISO_3166_ALPHA2
from refuge.gazetteer.model import KINDS, Place
from refuge.gazetteer.normalise import normalise_name, short_cjk_form, strip_generic_suffix


class Gazetteer:
    """An immutable, indexed collection of places.

    Build one with ``load_gazetteer`` (which validates a CSV) or ``default_gazetteer``.
    Candidates always come in the order of the rows they were read from, so results are
    deterministic.
    """

    def __init__(self, places: Iterable[Place]) -> None:
        self._places: dict[str, Place] = {}
        self._by_key: dict[str, list[str]] = {}
        self._by_stem: dict[str, list[str]] = {}
        for place in places:
            if place.id in self._places:
                raise GazetteerError(
                    f"duplicate place id {place.id!r}; give every place its own id",
                    code="R023",
                )
            self._places[place.id] = place
            for name in place.names:
                key = normalise_name(name)
                _add(self._by_key, key, place.id)
                _add(self._by_stem, strip_generic_suffix(key)[0], place.id)

    def __iter__(self) -> Iterator[Place]:
        return iter(self._places.values())

    def __len__(self) -> int:
        return len(self._places)

    def __contains__(self, place_id: object) -> bool:
        return place_id in self._places

    def get(self, place_id: str) -> Place:
        """The place with this id; GazetteerError R021 if there is none."""
        try:
            return self._places[place_id]
        except KeyError:
            raise GazetteerError(
                f"no place with id {place_id!r}; ids are listed in refuge/gazetteer/places.csv",
                code="R021",
            ) from None

    def lookup(self, name: str) -> list[Place]:
        """Every place with a name or variant matching ``name`` after normalisation.

        The full form is tried first. Only when it matches nothing is a generic suffix
        ("City", "Province", 市, 省, 군...) removed from both sides; places of the kind the
        suffix names are then preferred ("Jilin Province" -> the province, not Jilin City).
        Returns [] for an unknown name.
        """
        key = normalise_name(name)
        if not key:
            return []
        ids = self._by_key.get(key)
        if ids:
            return [self._places[i] for i in ids]
        stem, kinds = strip_generic_suffix(key)
        found = [self._places[i] for i in self._by_stem.get(stem, ())]
        if kinds is not None:
            preferred = [p for p in found if p.kind in kinds]
            if preferred:
                return preferred
        return found

    def resolve(self, name: str, country: str | None = None, kind: str | None = None) -> Place:
        """The one place that ``name`` names, optionally within a country and of a kind.

        GazetteerError R021 when nothing matches, R022 (listing the candidates' ids) when
        more than one place does, R025 when ``country`` or ``kind`` is not a valid value.
        """
        if kind is not None and kind not in KINDS:
            raise GazetteerError(
                f"unknown place kind {kind!r}; use one of {', '.join(sorted(KINDS))}",
                code="R025",
            )
        if country is not None and country.upper() not in ISO_3166_ALPHA2:
            raise GazetteerError(
                f"{country!r} is not an ISO 3166-1 alpha-2 country code; use e.g. CN or KP",
                code="R025",
            )
        candidates = self.lookup(name)
        matching = [
            p
            for p in candidates
            if (country is None or p.country == country.upper())
            and (kind is None or p.kind == kind)
        ]
        if len(matching) == 1:
            return matching[0]
        if matching:
            raise GazetteerError(
                f"{name!r} is ambiguous: {_ids(matching)}; "
                "pass country= or kind=, or choose one by id",
                code="R022",
            )
        if candidates:
            raise GazetteerError(
                f"no place named {name!r} with {_filters(country, kind)} "
                f"(other places of that name: {_ids(candidates)}); relax the filter",
                code="R021",
            )
        raise GazetteerError(
            f"no place named {name!r}; check the spelling or add the place to places.csv",
            code="R021",
        )

    def surface_forms(self) -> Iterator[tuple[str, str]]:
        """(surface form, place id) for every name and variant of every place, as written.

        A Chinese or Korean name with an administrative suffix also yields its short form
        (图们 for 图们市, 지린 for 지린성), since texts write both. One form may come with
        several ids: that is an ambiguous name, which the consumer must keep.
        """
        for place in self._places.values():
            seen: set[str] = set()
            for name in place.names:
                for form in (name, short_cjk_form(name)):
                    if form is not None and form not in seen:
                        seen.add(form)
                        yield form, place.id


def _add(index: dict[str, list[str]], key: str, place_id: str) -> None:
    ids = index.setdefault(key, [])
    if place_id not in ids:
        ids.append(place_id)


def _ids(places: Iterable[Place]) -> str:
    return ", ".join(p.id for p in places)


def _filters(country: str | None, kind: str | None) -> str:
    parts = [f"country={country.upper()}" if country else "", f"kind={kind}" if kind else ""]
    return " and ".join(p for p in parts if p)
