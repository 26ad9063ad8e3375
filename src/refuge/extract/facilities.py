"""Facilities: "Tumen's border detention center", "the border detention center in Tumen",
"a Public Security Bureau detention facility", "Longjing camp".

A facility is a head noun from the tables (detention center, prison, Public Security
Bureau, ...) with the words before it that name it: capitalised words, a place (possibly
with 's), or known modifiers (border, municipal, ...). Generic heads such as "camp",
"bridge", "crossing" count only with a name or a place before them. When the name holds no
place, "in/at/of PLACE" right after it is taken into the name and gives the place.

Component ``refuge_facilities_v1`` (after ``refuge_places_v1``) sets
``doc._.refuge_facilities``.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from refuge.extract.lang import PlaceTables
from refuge.extract.phrases import PhraseTable, Tokenize
from refuge.extract.places import PlaceMention
from refuge.extract.tokens import tokens_of

_GENERIC_HEADS = frozenset({"camp", "bridge", "crossing", "prison", "jail", "checkpoint", "lockup"})
_POSSESSIVE = frozenset({"'s", "’s"})
# Words that may stand between a facility and its place ("a temporary detention facility
# for foreign nationals in Vladivostok", "a guarded guesthouse on the edge of Ulaanbaatar").
_BRIDGING = frozenset(
    {"for", "of", "foreign", "nationals", "migrants", "illegal", "the", "on", "edge", "outskirts"}
    | {"run", "by"}
)
_MAX_BRIDGE = 5


@dataclass(frozen=True, slots=True)
class FacilityMention:
    start: int
    end: int
    tok_start: int
    tok_end: int
    name: str
    role: str  # the role its place plays: detention, handover, arrest
    place: PlaceMention | None


class FacilityFinder:
    def __init__(self, tables: PlaceTables, tokenize: Tokenize) -> None:
        self.t = tables
        self.heads = PhraseTable(tokenize, tables.facility_heads)

    def find(self, doc: Doc, places: list[PlaceMention]) -> list[FacilityMention]:
        toks = tokens_of(doc)
        words = toks.words
        texts = toks.texts
        by_end = {p.tok_end: p for p in places}
        by_start = {p.tok_start: p for p in places}
        heads: list[tuple[int, int, str]] = []
        after = 0
        for i in self.heads.starts_in(toks):
            if i < after:
                continue
            hit = self.heads.at(words, i)
            if hit is None:
                continue
            heads.append((i, i + hit[0], hit[1]))
            after = i + hit[0]
        out: list[FacilityMention] = []
        used_until = -1
        # Right to left, so that "Public Security Bureau detention facility" is one facility
        # whose name absorbs the head before it.
        merged: list[tuple[int, int, str]] = []
        for h in reversed(heads):
            if merged and h[1] == merged[-1][0]:
                right = merged.pop()
                merged.append((h[0], right[1], right[2]))
            else:
                merged.append(h)
        for start, end, role in reversed(merged):
            if start < used_until:
                continue
            first = start
            place: PlaceMention | None = None
            named = False
            k = start - 1
            while k >= 0 and start - k <= 6:
                w = words[k]
                if w.isspace():
                    break
                if w in _POSSESSIVE and (k in by_end or k - 1 >= 0):
                    k -= 1
                    continue
                if k + 1 in by_end:
                    p = by_end[k + 1]
                    place, first, named = p, p.tok_start, True
                    k = p.tok_start - 1
                    continue
                if w in self.t.facility_modifiers or (
                    texts[k][:1].isupper() and texts[k].isalpha() and not toks.is_sent_start(k)
                ):
                    first = k
                    named = named or texts[k][:1].isupper()
                    k -= 1
                    continue
                break
            last = end
            if end < len(words) and texts[end][:1].isupper() and texts[end].isalpha():
                continue  # "Open Bridge Network": a word of a longer name, not a facility
            if place is None:
                found = self._place_after(words, by_start, end)
                if found is not None:
                    place = found
                    last = place.tok_end
                    # "detention centres in Helong and Yanji": one name for the places listed.
                    while (
                        last + 1 < len(words)
                        and words[last] in (",", "and")
                        and last + 1 in by_start
                        and by_start[last + 1].kind != "country"
                    ):
                        last = by_start[last + 1].tok_end
            head_named = any(
                texts[t][:1].isupper() and not toks.is_sent_start(t) for t in range(start, end)
            )
            named = named or head_named
            if first == start and place is None and not head_named:
                continue  # a bare "detention center": not a named facility
            if words[start:end][-1] in _GENERIC_HEADS and not named and place is None:
                continue
            if words[start:end] == ["camp"] and first == start:
                continue  # "a timber camp in Amur": a workplace unless a name makes it custody
            while first < start and words[first] in _POSSESSIVE:
                first += 1
            s_char, e_char = toks.char_span(first, last)
            name = toks.text[s_char:e_char].replace("’", "'")
            out.append(FacilityMention(s_char, e_char, first, last, name, role, place))
            used_until = last
        return out

    def _place_after(
        self, words: list[str], by_start: dict[int, PlaceMention], end: int
    ) -> PlaceMention | None:
        """The place "in/at/of/near PLACE" right after a facility's head, or after a few
        words that only say more about the facility ("for foreign nationals in X")."""
        k = end
        stop = min(len(words) - 1, end + _MAX_BRIDGE + 2)
        links = self.t.facility_links
        while k < stop:
            if words[k] in links:
                j = k + 2 if words[k + 1] == "the" else k + 1
                p = by_start.get(j)
                if p is not None and p.kind != "country":
                    return p
            if words[k] not in _BRIDGING and words[k] not in links:
                return None
            k += 1
        return None
