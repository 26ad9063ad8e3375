"""Event triggers with their tense and modality.

"were repatriated", "sent back to North Korea" -> a repatriation that happened (``fact``);
"face repatriation", "are at risk of being sent back" -> ``pending``; "were not
repatriated" -> ``negated`` (no event); "should stop repatriating", "the detained refugees",
"forced repatriation" as a topic -> not events. A nominal trigger is a fact only when the
text says it happened ("the repatriation ... has been completed").

Component ``refuge_events_v3`` sets ``doc._.refuge_events`` to a list of EventMention.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.tokens import Doc
from spacy.vocab import Vocab

from refuge.extract.lang import EventTables
from refuge.extract.phrases import PhraseTable, Tokenize, longest_first, sentence_bounds
from refuge.extract.tokens import Tokens, tokens_of

_CLAUSE_BREAKS = frozenset(
    {";", ":", "(", ")", "—", "–", "“", "”", '"', "but", "while", "whereas", "although", "though"}
)
# Verbs that need a passive or a place after them to mean custody ("held a briefing").
_NOT_CUSTODY_OBJECTS = frozenset(
    {
        "a",
        "an",
        "talks",
        "meetings",
        "meeting",
        "discussions",
        "elections",
        "office",
        "power",
        "responsible",
        "onto",
        "hands",
        "place",
        "part",
        "care",
        "note",
        "notice",
    }
)
_NEEDS_PASSIVE = frozenset({"held", "kept", "moved", "taken", "picked", "released"})
# "returned" alone is a repatriation only as a passive ("were returned"), not "she returned".
_PASSIVE_ONLY = frozenset({"returned", "handed", "sent"})
_SPLIT_PARTICLES = {
    ("sent", "back"): "repatriation",
    ("send", "back"): "repatriation",
    ("sending", "back"): "repatriation",
    ("handed", "back"): "repatriation",
    ("handed", "over"): "repatriation",
    ("forced", "back"): "repatriation",
    ("pushed", "back"): "repatriation",
    ("taken", "back"): "repatriation",
    ("driven", "back"): "repatriation",
    ("flown", "back"): "repatriation",
    ("sent", "home"): "repatriation",
    ("flown", "home"): "repatriation",
    ("hands", "back"): "repatriation",
    ("returned", "to"): "repatriation",
    ("returned", "back"): "repatriation",
    ("handed", "to"): "repatriation",
    ("hands", "to"): "repatriation",
}
_SPLIT_VERBS = frozenset(v for v, _ in _SPLIT_PARTICLES)
# Nationality adjectives after "handed ... to": whose officers received the group.
_RECEIVERS = {"north": "KP", "state": "KP", "chinese": "CN", "south": "KR", "lao": "LA"}
_OBJECT_STARTS = frozenset(
    {"them", "him", "her", "the", "about", "some", "around", "nearly", "more", "at", "all"}
    | {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}
    | {"eleven", "twelve", "twenty", "thirty", "forty", "fifty", "sixty", "dozens"}
)
# Words that end the object between a verb and its particle ("returned 20 people held at").
_OBJECT_STOPS = frozenset(
    {".", ";", ",", "who", "that", "which", "held", "detained", "arrested", "caught", "in"}
    | {"at", "from", "on", "after", "before", "since", "and"}
)
_PASSIVE_AUX = frozenset({"was", "were", "been", "being", "be", "is", "are", "got", "get"})
_PLACE_PREPS = frozenset(
    {
        "in",
        "at",
        "by",
        "near",
        "for",
        "on",
        "inside",
        "while",
        "after",
        "to",
        "from",
        "and",
        "without",
        "since",
        "until",
        "upon",
    }
)
_PRONOUN_SUBJECTS = frozenset(
    {
        "they",
        "he",
        "she",
        "we",
        "who",
        "which",
        "that",
        "police",
        "authorities",
        "china",
        "officers",
        "guards",
    }
)


@dataclass(frozen=True, slots=True)
class EventMention:
    start: int
    end: int
    tok_start: int
    tok_end: int
    type: str
    form: str
    modality: str  # fact, pending, negated, hypothetical, generic, attributive, nominal
    destination: str | None
    destination_span: tuple[int, int] | None
    completion_span: tuple[int, int] | None


class EventFinder:
    def __init__(
        self, tables: EventTables, countries: dict[str, str], tokenize: Tokenize, vocab: Vocab
    ) -> None:
        self.t = tables
        self.triggers = PhraseTable(tokenize, tables.triggers)
        self._vocab = vocab
        self.pending = PhraseTable.of_set(tokenize, tables.pending_cues)
        self.generic = PhraseTable.of_set(tokenize, tables.generic_cues)
        self.completion = PhraseTable.of_set(tokenize, tables.completion)
        self.countries = PhraseTable(tokenize, countries)
        self._tokenize = tokenize
        self._habitual = frozenset(tables.habitual)
        self._denials = frozenset(tables.denials)
        self._first = self.triggers.first_words

    def find(self, doc: Doc, title_end: int = 0) -> list[EventMention]:
        toks = tokens_of(doc)
        words = toks.words
        found = [
            (i, i + n)
            for i in toks.positions(self._first)
            for n, _ in self.triggers.all_at(words, i)
        ]
        found.extend(self._split_verbs(toks))
        out: list[EventMention] = []
        # Sentences that are habitual ("usually") or reject a claim ("denied reports
        # that ...") are found from the positions of those words, not by reading each one.
        bounds = sentence_bounds(doc)
        habitual = {toks.sentence_of(k) for k in toks.positions(self._habitual)}
        denials = toks.positions(self._denials)
        for start, end in longest_first(found):
            hit = self.triggers.at(words, start, end)
            if hit is not None and hit[0] == end - start:
                etype, form = hit[1]
            elif (words[start], words[end - 1]) in _SPLIT_PARTICLES:
                etype = _SPLIT_PARTICLES[(words[start], words[end - 1])]
                receiver = _RECEIVERS.get(words[end]) if end < len(words) else None
                if words[end - 1] == "to" and receiver not in (None, "KP"):
                    etype = "deportation"
                form = (
                    "base"
                    if words[start] == "send"
                    else ("gerund" if words[start].endswith("ing") else "past")
                )
            else:
                continue
            sent = toks.sentence_of(start)
            first = bounds[sent][0] if sent >= 0 else start
            modality = self._modality(
                toks, start, end, form, first, in_title=toks.starts[start] < title_end
            )
            if modality in ("fact", "pending") and sent in habitual:
                modality = "generic"
            elif modality == "fact" and self._denied(denials, first, start):
                modality = "negated"
            dest, dest_span = self._destination(toks, start, end)
            if dest is None and words[end - 1] == "to" and end < len(words):
                receiver = _RECEIVERS.get(words[end])
                if receiver is not None and receiver != "KP":
                    dest, dest_span = receiver, toks.char_span(end, end + 1)
            completion = self._completion(toks, end) if form == "nominal" else None
            if form == "nominal" and modality == "nominal" and completion is not None:
                modality = "fact"
            out.append(
                EventMention(
                    start=toks.starts[start],
                    end=toks.end(end - 1),
                    tok_start=start,
                    tok_end=end,
                    type=etype,
                    form=form,
                    modality=modality,
                    destination=dest,
                    destination_span=dest_span,
                    completion_span=completion,
                )
            )
        return out

    @staticmethod
    def _denied(denials: list[int], first: int, start: int) -> bool:
        """Whether a denial word stands in ``[first, start)``."""
        k = bisect.bisect_left(denials, first)
        return k < len(denials) and denials[k] < start

    @staticmethod
    def _split_verbs(toks: Tokens) -> list[tuple[int, int]]:
        """ "sent about 50 North Koreans back", "handed them over": verb ... particle."""
        out: list[tuple[int, int]] = []
        words = toks.words
        for i in toks.positions(_SPLIT_VERBS):
            w = words[i]
            for k in range(i + 1, min(len(words), i + 9)):
                if words[k] in _OBJECT_STOPS or words[k].isspace():
                    break
                if words[k] == "to" and k == i + 1:
                    break  # "returned to Seoul": no object, so no handover
                if (w, words[k]) in _SPLIT_PARTICLES:
                    out.append((i, k + 1))
                    break
        return out

    @staticmethod
    def _clause_start(words: list[str], i: int, limit: int, sent_first: int) -> int:
        k = i - 1
        floor = max(0, i - limit)
        while k >= floor:
            if k == sent_first:
                return k
            if words[k] in _CLAUSE_BREAKS or words[k] in (",", ".") or words[k].isspace():
                return k + 1
            k -= 1
        return floor

    def _modality(
        self, toks: Tokens, i: int, j: int, form: str, sent_first: int, *, in_title: bool
    ) -> str:
        words = toks.words
        lo = self._clause_start(words, i, 7, sent_first)
        window = words[lo:i]
        if any(w in self.t.negations for w in window[-4:]):
            return "negated"
        pending = self.pending.first_words
        for k in range(lo, i):
            if words[k] in pending and self.pending.at(words, k, i) is not None:
                return "pending"
        generic = self.generic.first_words
        for k in range(lo, i):
            if words[k] in generic and self.generic.at(words, k, i) is not None:
                return "generic"
        if form == "nominal":
            return "nominal"
        prev = words[i - 1] if i > 0 else ""
        nxt = words[j] if j < len(words) else ""
        if any(w in self.t.modals for w in window[-3:]):
            return "hypothetical"
        if form == "present":
            return "fact" if in_title else "generic"
        if form == "base":
            return "fact" if prev in ("did", "had") else "hypothetical"
        if form == "gerund":
            if words[i] == "being" or words[i].startswith("being "):
                return "fact"
            if prev in ("being",) and (i < 2 or words[i - 2] in _PASSIVE_AUX):
                return "fact"
            return "generic"
        # Past forms.
        if prev in self.t.determiners and nxt.isalpha() and nxt not in _PLACE_PREPS:
            return "attributive"
        aux = any(w in _PASSIVE_AUX for w in window[-3:])
        if words[i] in _NEEDS_PASSIVE and j - i == 1 and not aux and nxt in _NOT_CUSTODY_OBJECTS:
            return "hypothetical"  # "held a briefing", "took part"
        if words[i] in _PASSIVE_ONLY and j - i == 1 and not aux and not self._object_follows(nxt):
            return "hypothetical"
        if prev in ("has", "have") and form == "past":
            # "China has repatriated ..." is still a completed act.
            return "fact"
        return "fact"

    @staticmethod
    def _object_follows(word: str) -> bool:
        """ "returned 23 North Koreans", "returned them": a transitive use, so an act."""
        return word.isdigit() or word in _OBJECT_STARTS

    def _destination(
        self, toks: Tokens, i: int, j: int
    ) -> tuple[str | None, tuple[int, int] | None]:
        words = toks.words
        # "returned to North Korea" carries its destination inside the trigger.
        for k in range(i, j):
            hit = self.countries.at(words, k, j)
            if hit is not None:
                return hit[1], toks.char_span(k, k + hit[0])
        k = j
        stop = min(len(words), j + 4)
        while k < stop and words[k] not in self.t.destination_preps:
            if words[k] in (".", ";", ",") or words[k].isspace():
                return None, None
            k += 1
        if k >= stop:
            return None, None
        k += 1
        if (
            k < len(words)
            and words[k] == "the"
            and not (k + 1 < len(words) and words[k + 1] == "north")
        ):
            k += 1
        hit = self.countries.at(words, k)
        if hit is None:
            return None, None
        return hit[1], toks.char_span(k, k + hit[0])

    def _completion(self, toks: Tokens, j: int) -> tuple[int, int] | None:
        """ "the repatriation ... appears to have been almost completed": the words saying a
        nominal event happened, only in a past or perfect form."""
        words = toks.words
        stop = min(len(words), j + 10)
        for k in range(j, stop):
            if words[k] in (".", ";") or words[k].isspace():
                return None
            hit = self.completion.at(words, k)
            if hit is None:
                continue
            back = words[max(j, k - 4) : k]
            if words[k] in ("completed", "done", "finished", "carried") and not any(
                w in ("was", "were", "been", "had") for w in back
            ):
                continue
            first = (
                k - 1
                if k > j
                and words[k - 1] in ("almost", "nearly", "largely", "fully", "already", "mostly")
                else k
            )
            return toks.char_span(first, k + hit[0])
        return None
