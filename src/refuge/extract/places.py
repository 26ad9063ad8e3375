"""Places: gazetteer names and variants found in the text, plus country names.

Matching is on lower case through a PhraseMatcher built from ``surface_forms()``, and only
where the text capitalises the name (place names are proper nouns; this keeps common words
that happen to be a variant from matching). An ambiguous name ("Jilin": province and city)
is resolved by a kind word after it or after the list it ends ("Yunnan, Liaoning and Jilin
provinces" -> provinces); without one, the larger administrative unit is chosen (province,
then city, county, region), since reports name provinces bare and cities with "city".
A place that only locates the one before it ("Tumen ... in Jilin Province, China") is
marked as a locator, not a place of its own.

Component ``refuge_places_v1`` sets ``doc._.refuge_places``.
"""

from __future__ import annotations

import bisect
import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Protocol

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from refuge.extract.lang import PlaceTables
from refuge.extract.phrases import PhraseTable, Tokenize, filter_matches
from refuge.extract.tokens import Tokens, tokens_of

_KIND_RANK = {
    "province": 0,
    "city": 1,
    "county": 2,
    "region": 3,
    "border_crossing": 4,
    "facility": 5,
    "country": 6,
}
_AREA_PRECISIONS = frozenset({"admin1", "country", "region"})
_LIST_JOINERS = frozenset({",", "and", "or", "&"})
# Kinds of place whose English names take no article.
_NO_ARTICLE = frozenset({"city", "county"})
_AFTER_RIVER = frozenset(
    {"in", "at", "to", "from", "into", "near", "and", "or", "on", "by", "for", "with", "was"}
    | {"were", "is", "are", "had", "has", "again", "twice", "river"}
)
# Nouns that refer back to a town named before ("in the city", "the capital").
_REFERENCE_NOUNS = frozenset({"city", "town", "capital"})
_REFERENCE_REACH = 80  # tokens: some three sentences of a report


class PlaceLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def precision(self) -> str: ...
    @property
    def country(self) -> str: ...
    @property
    def admin1(self) -> str | None: ...
    @property
    def lat(self) -> float | None: ...
    @property
    def lon(self) -> float | None: ...
    @property
    def parent_id(self) -> str | None: ...


class GazetteerLike(Protocol):
    def surface_forms(self) -> Iterator[tuple[str, str]]: ...
    def get(self, place_id: str) -> PlaceLike: ...


@dataclass(frozen=True, slots=True)
class PlaceMention:
    start: int
    end: int
    tok_start: int
    tok_end: int
    name: str
    kind: str
    precision: str
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    place_id: str | None
    parent_id: str | None
    locator: bool  # only says where the place before it is
    # The name as the text spells it, where that is another spelling of the gazetteer's
    # ("Tantung" for Dandong, "Sinŭiju" for Sinuiju); None where the text uses the name.
    written: str | None = None


class PlaceFinder:
    def __init__(
        self, tables: PlaceTables, gazetteer: GazetteerLike | None, tokenize: Tokenize, vocab: Vocab
    ) -> None:
        self.t = tables
        self.gazetteer = gazetteer
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        self.surfaces: dict[str, list[str]] = {}
        if gazetteer is not None:
            for form, place_id in gazetteer.surface_forms():
                key = " ".join(tokenize(form.lower()))
                if not key or not any(c.isalpha() for c in key):
                    continue
                ids = self.surfaces.setdefault(key, [])
                if place_id not in ids:
                    ids.append(place_id)
        self.countries = PhraseTable(tokenize, tables.countries)
        self._chosen: dict[tuple[str, str | None], PlaceLike | None] = {}
        for key in self.surfaces:
            self.matcher.add("G:" + key, [Doc(vocab, words=key.split(" "))])
        for phrase in tables.countries:
            words = list(tokenize(phrase))
            self.matcher.add("C:" + " ".join(words), [Doc(vocab, words=words)])

    def find(self, doc: Doc) -> list[PlaceMention]:
        toks = tokens_of(doc)
        words = toks.words
        texts = toks.texts
        strings = doc.vocab.strings
        raw = []
        for match_id, s, e in self.matcher(doc):
            if not texts[s][:1].isupper() and not texts[s][:1].isdigit():
                continue  # "the north" is a country only as "the North"
            if words[s] == "the" and e == s + 2 and not texts[s + 1][:1].isupper():
                continue
            raw.append((match_id, s, e))
        out: list[PlaceMention] = []
        # Plain (match_id, start, end) tuples: a spaCy Span per match cost more than the
        # matching itself.
        for match_id, s, e in filter_matches(raw):
            label = strings[match_id]
            start_char, end_char = toks.char_span(s, e)
            if label.startswith("C:"):
                hit = self.countries.at(words, s, e)
                if hit is None or hit[0] != e - s:
                    continue
                code = hit[1]
                out.append(
                    PlaceMention(
                        start_char,
                        end_char,
                        s,
                        e,
                        self.t.country_names.get(code, toks.text[start_char:end_char]),
                        "country",
                        "country",
                        code,
                        None,
                        None,
                        None,
                        None,
                        None,
                        False,
                    )
                )
                continue
            ids = self.surfaces.get(label[2:], [])
            hint = self._kind_hint(texts, words, e)
            if hint == "river":
                continue  # "the Tumen River", "the Tumen and Yalu rivers": not the towns
            # The gazetteer does not change while the pipeline lives: a name and a kind
            # word always choose the same place.
            key = (label, hint)
            if key in self._chosen:
                place = self._chosen[key]
            else:
                place = self._chosen[key] = self._choose(ids, hint)
            if place is None:
                continue
            if (
                place.kind in _NO_ARTICLE
                and s > 0
                and words[s - 1] == "the"
                and (e >= len(words) or not self._attributive(words[e]))
            ):
                continue  # "crossed the Tumen in January": a river; a town takes no article
            written: str | None = toks.text[start_char:end_char]
            if place.kind == "facility" and place.parent_id and self.gazetteer is not None:
                # A facility in the gazetteer stands for its town among the incident's
                # places; the facility itself is reported under ``facilities``.
                with contextlib.suppress(Exception):  # a stale parent keeps the facility
                    place = self.gazetteer.get(place.parent_id)
                    written = None
            if written is not None and self._same_name(written, place.name):
                written = None
            point = place.precision not in _AREA_PRECISIONS
            out.append(
                PlaceMention(
                    start_char,
                    end_char,
                    s,
                    e,
                    place.name,
                    place.kind,
                    place.precision,
                    place.country,
                    place.admin1,
                    round(place.lat, 2) if point and place.lat is not None else None,
                    round(place.lon, 2) if point and place.lon is not None else None,
                    place.id,
                    place.parent_id,
                    False,
                    written,
                )
            )
        out.extend(self._references(toks, out, self.t.safe_countries))
        out.sort(key=lambda m: m.tok_start)
        return self._mark_locators(doc, words, out)

    @staticmethod
    def _references(
        toks: Tokens, found: list[PlaceMention], safe: frozenset[str] = frozenset()
    ) -> list[PlaceMention]:
        """ "a police station in the city", "the city's public security bureau", "in the
        capital": the town named last, in the sentence or the few before it (not one in a
        country where the people are safe: "a woman in Seoul ... in the same city")."""
        words = toks.words
        out: list[PlaceMention] = []
        towns = sorted((p for p in found if p.kind == "city"), key=lambda p: p.tok_start)
        town_starts = [p.tok_start for p in towns]
        for k in toks.positions(_REFERENCE_NOUNS):
            if (
                k == 0
                or words[k - 1] not in ("the", "that", "same")
                or (k + 1 < len(words) and words[k + 1] == "of")
            ):
                continue  # "the city of Dandong" names it
            first = k - 2 if k >= 2 and words[k - 1] == "same" and words[k - 2] == "the" else k - 1
            lo = bisect.bisect_left(town_starts, k - _REFERENCE_REACH)
            hi = bisect.bisect_left(town_starts, first)
            named = [
                p
                for p in towns[lo:hi]
                if p.tok_end <= first
                and not toks.texts[p.tok_start].isupper()  # a dateline ("SEOUL (Wire) -")
                and words[p.tok_end : p.tok_end + 2] != ["-", "based"]  # "a Seoul-based group"
                and p.country not in safe
            ]
            if not named:
                continue
            p = named[-1]
            out.append(
                replace(
                    p,
                    start=toks.starts[first],
                    end=toks.end(k),
                    tok_start=first,
                    tok_end=k + 1,
                    locator=False,
                    written=None,
                )
            )
        return out

    @staticmethod
    def _attributive(word: str) -> bool:
        """Whether the word after "the NAME" is a noun the name modifies ("the Tumen border
        detention centre", "the Dandong bridge") rather than what follows a river's name."""
        return word.isalpha() and word not in _AFTER_RIVER

    @staticmethod
    def _same_name(written: str, name: str) -> bool:
        """Whether the text writes the gazetteer's name (in any case, or its first words:
        "Changbai" for Changbai Korean Autonomous County) rather than another spelling."""
        w, n = written.lower(), name.lower()
        return n == w or n.startswith(w + " ")

    def _kind_hint(self, texts: list[str], words: list[str], j: int) -> str | None:
        """The kind word after a name or after the list of names it belongs to."""
        k = j
        stop = min(len(words), j + 12)
        while k < stop:
            w = words[k]
            if w in self.t.kind_words:
                return self.t.kind_words[w]
            if w in _LIST_JOINERS or (texts[k][:1].isupper() and w not in ("the",)):
                k += 1
                continue
            return None
        return None

    def _choose(self, ids: Iterable[str], hint: str | None) -> PlaceLike | None:
        if self.gazetteer is None:
            return None
        places = []
        for place_id in ids:
            try:
                places.append(self.gazetteer.get(place_id))
            except Exception:  # noqa: S112 - a stale id is skipped, not fatal
                continue
        if not places:
            return None
        if hint is not None:
            fitting = [p for p in places if p.kind == hint]
            if fitting:
                places = fitting
        return min(places, key=lambda p: _KIND_RANK.get(p.kind, 9))

    def _mark_locators(
        self, doc: Doc, words: list[str], found: list[PlaceMention]
    ) -> list[PlaceMention]:
        out: list[PlaceMention] = []
        for k, p in enumerate(found):
            locator = False
            if k > 0:
                q = found[k - 1]
                # The words between, less articles and kind words; past seven the places
                # are not close, so the (often long) gap is not read further.
                between: list[str] = []
                for w in words[q.tok_end : p.tok_start]:
                    if w not in ("the", "’s", "'s") and w not in self.t.kind_words:
                        between.append(w)
                        if len(between) > 6:
                            break
                close = (
                    len(between) <= 6
                    and all(
                        w in self.t.locator_preps or w in self.t.kind_words or w.isalpha()
                        for w in between
                    )
                    and any(w in self.t.locator_preps for w in between[-2:] or [","])
                )
                if close and self._contains(p, q):
                    locator = True
                # A chain "Tumen in Jilin Province, China": China locates Tumen too.
                if close and not locator and out and out[-1].locator and k > 1:
                    locator = self._contains(p, found[k - 2])
            out.append(replace(p, locator=True) if locator else p)
        return out

    @staticmethod
    def _contains(outer: PlaceMention, inner: PlaceMention) -> bool:
        if outer.kind == "country":
            return inner.country == outer.country and inner.kind != "country"
        if outer.kind == "province":
            return (
                inner.kind != "province"
                and inner.admin1 == outer.admin1
                and inner.country == outer.country
            )
        return inner.parent_id is not None and inner.parent_id == outer.place_id
