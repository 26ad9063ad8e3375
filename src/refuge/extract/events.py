"""Event triggers with their tense and modality.

"were repatriated", "sent back to North Korea" -> a repatriation that happened (``fact``);
"face repatriation", "are at risk of being sent back" -> ``pending``; "were not
repatriated" -> ``negated`` (no event); "should stop repatriating", "the detained refugees",
"forced repatriation" as a topic -> not events. A nominal trigger is a fact only when the
text says it happened ("the repatriation ... has been completed").

Component ``refuge_events_v5`` sets ``doc._.refuge_events`` to a list of EventMention.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace

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
_PASSIVE_ONLY = frozenset({"returned", "handed", "sent", "stopped"})
# "were questioned by State Security" is custody; "police questioned neighbours" is not.
_PASSIVE_STRICT = frozenset({"questioned", "interrogated"})
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
    ("sends", "home"): "repatriation",
    ("picked", "up"): "arrest",
    ("took", "from"): "arrest",
    ("rounded", "up"): "arrest",
    ("led", "out"): "arrest",
    ("led", "away"): "arrest",
    # "took six North Koreans off the bus", "took off between six and eight".
    ("took", "off"): "arrest",
    ("taken", "off"): "arrest",
    ("pulled", "off"): "arrest",
    # "sent across the bridge at Dandong", "driven across the river": over the border.
    ("sent", "across"): "repatriation",
    ("driven", "across"): "repatriation",
    ("drove", "across"): "repatriation",
    ("taken", "across"): "repatriation",
    ("marched", "across"): "repatriation",
    ("dragged", "away"): "arrest",
    ("hauled", "away"): "arrest",
    ("took", "away"): "arrest",
    ("dragged", "out"): "arrest",
    ("hauled", "off"): "arrest",
    ("send", "home"): "repatriation",
    ("sending", "home"): "repatriation",
}
# Verbs whose particle may follow at once ("handed to Chinese police"): a handover only
# when the receiver is named.
_DIRECT_TO = frozenset({"handed", "hands"})
# Conjunctions that, after a comma, open a clause of its own.
_CLAUSE_JOINS = frozenset({"and", "but", "while", "whereas", "although", "though", "yet"})
# Relative pronouns that, after a comma, open a clause about someone else ("their mother,
# who has lived in China for years") or a place ("moved to the centre in Baishan, where
# North Koreans are usually kept": the habit is the centre's, the move this group's).
_RELATIVES = frozenset({"who", "which", "whose", "whom", "where"})
# Acts done to people, which "are returned" tells as what usually happens.
_MOVES = frozenset({"repatriation", "deportation", "arrest", "transfer"})
_QUOTE_MARKS = frozenset({'"', "“", "”"})
# Moods a verb joined by "and"/"or" takes from the verb before it.
_INHERITED = frozenset({"negated", "pending", "hypothetical"})
# Adverbs that may stand inside a cue ("will almost certainly be", "could soon be").
_ADVERBS = frozenset({"almost", "still", "soon", "then", "now", "all", "also", "very"})
# Words before "missing" that make it a state of the group ("are missing", "went missing").
_MISSING_BEFORE = frozenset(
    {"are", "is", "were", "was", "remain", "remains", "remained", "went", "still", "been"}
)
_SPLIT_VERBS = frozenset(v for v, _ in _SPLIT_PARTICLES)
# How many sentences after a raid the arrest it sets the scene for may be told.
_RAID_SCENE_SENTENCES = 2
_PUT = frozenset({"put"})
_ARTICLES = frozenset({"a", "an"})
_CONVEYANCES = frozenset(
    {"flight", "plane", "train", "bus", "ship", "boat", "coach", "minibus", "van", "truck"}
)
# How "put ..." ends a move: "put them on a flight to X", "put on a train (north)".
_PUT_ENDS = _CONVEYANCES | {"to"}
# Nationality adjectives after "handed ... to": whose officers received the group.
_RECEIVERS = {
    "north": "KP",
    "state": "KP",
    "chinese": "CN",
    "south": "KR",
    "lao": "LA",
    "thai": "TH",
    "vietnamese": "VN",
    "mongolian": "MN",
    "russian": "RU",
    "cambodian": "KH",
}
_OBJECT_STARTS = frozenset(
    {"them", "him", "her", "the", "about", "some", "around", "nearly", "more", "at", "all"}
    | {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}
    | {"eleven", "twelve", "twenty", "thirty", "forty", "fifty", "sixty", "dozens"}
)
# Objects that make "stopped" an arrest ("stopped him", "stopped six North Koreans").
_PEOPLE = frozenset({"him", "her", "them", "us"}) | (_OBJECT_STARTS - {"the", "at", "about", "all"})
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
    # fact, pending, negated, hypothetical, generic, attributive, nominal, not_custody
    modality: str
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
        self.habitual_phrases = PhraseTable.of_set(tokenize, tables.habitual_phrases)
        self.claims = PhraseTable.of_set(tokenize, tables.claim_cues)
        self.open_questions = PhraseTable.of_set(tokenize, tables.open_question_cues)
        self.superseded = PhraseTable.of_set(tokenize, tables.superseded_cues)
        self.negative_subjects = PhraseTable.of_set(tokenize, tables.negative_subjects)
        self.comparisons = PhraseTable.of_set(tokenize, tables.comparison_cues)
        self.retractions = PhraseTable.of_set(tokenize, tables.retractions)
        self.cities = PhraseTable(tokenize, tables.destination_cities)
        self.done_verbs = PhraseTable.of_set(tokenize, tables.done_verbs)
        # The habit cues the tables already hold, plus lengths of time ("for years").
        self.habit_spans = PhraseTable.of_set(
            tokenize, tables.habitual | tables.habitual_phrases | tables.habit_durations
        )

    def find(self, doc: Doc, title_end: int = 0) -> list[EventMention]:
        toks = tokens_of(doc)
        words = toks.words
        found = [
            (i, i + n)
            for i in self.triggers.starts_in(toks)
            for n, _ in self.triggers.all_at(words, i)
        ]
        found.extend(self._split_verbs(toks))
        routes = self._routed_moves(toks)
        found.extend(routes)
        routed_spans = frozenset(routes)
        out: list[EventMention] = []
        # Sentences that are habitual ("usually") or reject a claim ("denied reports
        # that ...") are found from the positions of those words, not by reading each one.
        bounds = sentence_bounds(doc)
        habitual = [
            self._clause_of(toks, bounds, k)
            for k in [*toks.positions(self._habitual), *self._ends(toks, self.habitual_phrases)]
        ]
        denials = toks.positions(self._denials)
        # Cues whose scope runs to the end of their sentence: "responding to reports that
        # they had been returned", "would not say whether any had been held".
        told = sorted(self._ends(toks, self.claims) + self._ends(toks, self.open_questions))
        superseded = sorted(self._ends(toks, self.superseded))
        retracted = {
            toks.sentence_of(k) - 1
            for k in self._ends(toks, self.retractions)
            if self._opens_sentence(toks, k)
        }
        last_sent, last_end, last_modality = -1, 0, ""
        for start, end in longest_first(found):
            hit = self.triggers.at(words, start, end)
            if hit is not None and hit[0] == end - start:
                etype, form = hit[1]
            elif (words[start], words[end - 1]) in _SPLIT_PARTICLES:
                etype = _SPLIT_PARTICLES[(words[start], words[end - 1])]
                receiver = _RECEIVERS.get(words[end]) if end < len(words) else None
                if words[end - 1] == "to" and end == start + 2 and receiver is None:
                    continue  # "handed to the police": no handover between states
                if (
                    words[end - 1] == "off"
                    and end == start + 2
                    and not self._off_people(words, start, end)
                ):
                    continue  # "the plane took off"; "took off six North Koreans" is one
                if words[end - 1] == "to" and receiver not in (None, "KP"):
                    etype = "deportation"
                if etype == "repatriation" and self._to_local_custody(words, end):
                    etype = "transfer"
                form = (
                    "base"
                    if words[start] == "send"
                    else ("gerund" if words[start].endswith("ing") else "past")
                )
            elif words[start] == "put" and words[end - 1] in _PUT_ENDS:
                etype, form = "transfer", "past"  # "put them on a flight to X": X decides
            elif (start, end) in routed_spans:
                etype, form = "transfer", "past"  # "driven, handcuffed, to X": X decides
            else:
                continue
            sent = toks.sentence_of(start)
            first = bounds[sent][0] if sent >= 0 else start
            # A negation belongs to the trigger after it, not to one further on ("have
            # not been repatriated and remain in custody"), unless "or" joins them.
            floor = last_end if sent == last_sent else first
            modality = self._modality(
                toks, start, end, form, first, in_title=toks.starts[start] < title_end, floor=floor
            )
            if (
                modality == "fact"
                and sent == last_sent
                and last_modality in _INHERITED
                and self._coordinated(words, last_end, start)
                # "have not been repatriated and remain in custody": "and" opens a
                # statement of its own; "not arrested or detained" denies both.
                and (last_modality != "negated" or words[start - 1] in ("or", "nor"))
            ):
                # "were not arrested or detained", "are expected to be transferred to X and
                # sent back": a verb joined to the one before shares its mood.
                modality = last_modality
            if modality in ("fact", "pending") and any(a <= start < b for a, b in habitual):
                modality = "generic"
            elif (
                modality == "fact"
                and self._denied(denials, first, start)
                and not self._modifies_group(words, start, form)
            ):
                modality = "negated"
            if (
                modality in ("fact", "pending")
                and self._denied(told, first, start)
                and not self._modifies_group(words, start, form)
            ):
                modality = "hypothetical"
            if modality == "pending" and self._denied(superseded, first, start):
                modality = "hypothetical"  # "Activists had said ... would be handed over"
            if modality == "fact" and self._question(toks, bounds, sent):
                modality = "hypothetical"  # "Where are they being held?"
            if modality == "fact" and sent in retracted:
                modality = "negated"  # "... said they had been repatriated. That was wrong."
            if (
                modality == "fact"
                and form == "past"
                and etype in _MOVES
                and self._present_passive(words, start, first)
                and toks.starts[start] >= title_end
            ):
                # "people who cross without papers are illegal migrants and are returned":
                # what is done to such people, not to this group ("are held" is a state).
                modality = "generic"
            last_sent, last_end, last_modality = sent, end, modality
            dest, dest_span = self._destination(toks, start, end)
            routed = (start, end) in routed_spans and hit is None
            if routed or (words[start] == "put" and words[end - 1] == "to"):
                if words[start] != "put":
                    # The route may name where the move began ("from St Petersburg to
                    # Vladivostok"): only the words after "to" say where it ended.
                    dest, dest_span = self._destination_after(toks, end)
                    ahead = words[end : end + 5]
                    if any(w in self.t.border_points for w in ahead) and not any(
                        w in self.t.custody_nouns for w in ahead
                    ):
                        continue  # "driven to the Laos border": the crossing is told next
                target = self._custody_target(toks, end) if dest is None else None
                if dest is None and (target is None or self._handover_follows(words, end)):
                    continue  # "put on a train to the border crossing": the move is told next
                if target == "KP":
                    # "driven to the State Security holding centre in Onsong": after the
                    # return, where they are held.
                    etype = "detention"
                # "put on a flight to Pyongyang" returns them; "to Seoul", a third country;
                # "to the detention centre in Tumen", a move between custody places.
                if dest is not None:
                    etype = "repatriation" if dest == "KP" else "deportation"
            if (
                etype == "repatriation"
                and words[end - 1] == "across"
                and dest not in (None, "KP")
                and not self._by_authorities(words, start, first)
            ):
                # "A broker sent 12 North Koreans across the river into China": a crossing,
                # unless officers did it ("Lao police drove them across the border to China").
                etype = "border_crossing"
            elif (
                etype == "repatriation"
                and words[end - 1] in ("to", "across")
                and dest
                not in (
                    None,
                    "KP",
                )
            ):
                etype = "deportation"  # "handed nine North Koreans to China" (from Vietnam)
            if (
                etype == "repatriation"
                and dest is None
                and end + 1 < len(words)
                and words[end] == "to"
                and _RECEIVERS.get(words[end + 1]) not in (None, "KP")
            ):
                # "handed over to Chinese police" (from Laos): to a third country.
                etype = "deportation"
                dest, dest_span = _RECEIVERS[words[end + 1]], toks.char_span(end + 1, end + 2)
            if dest is None and words[end - 1] == "to" and end < len(words):
                receiver = _RECEIVERS.get(words[end])
                if receiver is not None and receiver != "KP":
                    dest, dest_span = receiver, toks.char_span(end, end + 1)
            completion = (
                self._completion(toks, end) or self._done_before(toks, start)
                if form == "nominal"
                else None
            )
            if form == "nominal" and (
                (modality == "nominal" and completion is not None)
                or (
                    modality in ("nominal", "generic")
                    and self._definite_group_event(words, start, end, first, modality)
                )
            ):
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
        if self.t.raid_verbs:
            out = self._raids_told_by_their_arrest(toks, out)
        return self._denied_next(toks, out)

    def _denied_next(self, toks: Tokens, found: list[EventMention]) -> list[EventMention]:
        """ "The report said that 20 North Koreans had been handed over to North Korea.
        They were not sent back.": the next sentence, about the same people, denies the act
        of the one before, which is then no fact."""
        words = toks.words
        denied = {
            (toks.sentence_of(e.tok_start), e.type)
            for e in found
            if e.modality == "negated"
            and words[toks.sent_starts[toks.sentence_of(e.tok_start)]] in self.t.plural_subjects
        }
        if not denied:
            return found
        out = []
        for e in found:
            sent = toks.sentence_of(e.tok_start)
            if e.modality == "fact" and (sent + 1, e.type) in denied:
                e = replace(e, modality="negated")
            out.append(e)
        return out

    def _raids_told_by_their_arrest(
        self, toks: Tokens, found: list[EventMention]
    ) -> list[EventMention]:
        """ "Police raided the flat on May 27": the raid is the arrest, unless another verb
        tells it, in the same sentence or in the two after it ("raided the flat and arrested
        everyone in it"; "police raided a house. ... officers led people out"): then the
        raid only sets the scene of that arrest."""
        words = toks.words
        raids = [e for e in found if words[e.tok_start] in self.t.raid_verbs]
        if not raids:
            return found
        # Sentences counted without the blank lines between paragraphs.
        ordinal: list[int] = []
        n = 0
        for first, last in toks.sent_bounds:
            ordinal.append(n)
            if not all(words[k].isspace() for k in range(first, last)):
                n += 1
        arrests = {
            ordinal[toks.sentence_of(e.tok_start)]
            for e in found
            # "raided the flat and arrested everyone"; "... Nobody was arrested": either
            # way another verb tells whether there was an arrest.
            if e.type == "arrest" and e.modality in ("fact", "negated") and e not in raids
        }
        out = []
        for e in found:
            if e in raids:
                sent = ordinal[toks.sentence_of(e.tok_start)]
                if any(sent + k in arrests for k in range(_RAID_SCENE_SENTENCES + 1)):
                    continue
            out.append(e)
        return out

    @staticmethod
    def _ends(toks: Tokens, table: PhraseTable[bool]) -> list[int]:
        """The token positions where the phrases of ``table`` end (the last word's)."""
        words = toks.words
        out = []
        for i in toks.positions(table.first_words):
            hit = table.at(words, i)
            if hit is not None:
                out.append(i + hit[0] - 1)
        return out

    @staticmethod
    def _clause_of(toks: Tokens, bounds: list[tuple[int, int]], k: int) -> tuple[int, int]:
        """The clause holding token ``k``: its sentence, cut at ";" and at a comma before
        "and", "but" or "while" ("Thai authorities usually allow ..., and the group is
        expected to fly to Seoul": the second clause is about this group)."""
        words = toks.words
        first, last = bounds[toks.sentence_of(k)]
        start, end = first, last
        for j in range(k - 1, first, -1):
            if words[j] == ";" or (words[j] in _CLAUSE_JOINS | _RELATIVES and words[j - 1] == ","):
                start = j
                break
        for j in range(k + 1, last - 1):
            if words[j] == ";" or (words[j] == "," and words[j + 1] in _CLAUSE_JOINS | _RELATIVES):
                end = j
                break
        return start, end

    @staticmethod
    def _question(toks: Tokens, bounds: list[tuple[int, int]], sent: int) -> bool:
        first, last = bounds[sent]
        k = last - 1
        while k > first and (toks.words[k].isspace() or toks.words[k] in ('"', "”", "’")):
            k -= 1
        return toks.words[k] == "?"

    @staticmethod
    def _coordinated(words: list[str], last_end: int, start: int) -> bool:
        """Whether the trigger at ``start`` is joined by "and"/"or" to the one ending at
        ``last_end``, with no new clause between ("will be driven to X and handed over")."""
        if start == 0 or words[start - 1] not in ("and", "or", "nor", "then"):
            return False
        between = words[last_end:start]
        return len(between) <= 8 and not any(
            w in (",", ";", ".", "but", "while", "who", "which", "that", "as") for w in between
        )

    @staticmethod
    def _opens_sentence(toks: Tokens, k: int) -> bool:
        """Whether the phrase ending at ``k`` stands within the first words of its sentence."""
        return k - toks.sent_starts[toks.sentence_of(k)] < 6

    def _modifies_group(self, words: list[str], i: int, form: str) -> bool:
        """ "nine North Koreans held in Bangkok": a participle after a noun of people says
        which people, and stays true when the sentence denies what happened to them."""
        return form == "past" and i > 0 and words[i - 1] in self.t.group_heads

    @staticmethod
    def _denied(denials: list[int], first: int, start: int) -> bool:
        """Whether a denial word stands in ``[first, start)``."""
        k = bisect.bisect_left(denials, first)
        return k < len(denials) and denials[k] < start

    def _split_verbs(self, toks: Tokens) -> list[tuple[int, int]]:
        """ "sent about 50 North Koreans back", "handed them over": verb ... particle."""
        out: list[tuple[int, int]] = []
        words = toks.words
        for i in toks.positions(_PUT):
            # "put them on a flight to Seoul": a move whose destination decides its type;
            # "put on a train north under guard": a move in custody whose end is not told.
            for k in range(i + 1, min(len(words) - 3, i + 9)):
                if words[k] in (".", ";") or words[k].isspace():
                    break
                if (
                    words[k] == "on"
                    and words[k + 1] in ("a", "the")
                    and words[k + 2] in _CONVEYANCES
                ):
                    if words[k + 3] == "to":
                        out.append((i, k + 4))
                    elif words[k + 3] in self.t.escorted_route:
                        out.append((i, k + 3))
                    break
        for i in toks.positions(_SPLIT_VERBS):
            w = words[i]
            for k in range(i + 1, min(len(words), i + 9)):
                if words[k] == "to" and k == i + 1 and w not in _DIRECT_TO:
                    break  # "returned to Seoul": no object, so no handover
                if (w, words[k]) in _SPLIT_PARTICLES and (k > i + 1 or words[k] != "from"):
                    out.append((i, k + 1))  # "took three women from a flat" has an object
                    break
                if words[k] in _OBJECT_STOPS or words[k].isspace():
                    break
        return out

    def _routed_moves(self, toks: Tokens) -> list[tuple[int, int]]:
        """ "driven, handcuffed, to the detention centre", "taken by train to Tumen", "flown
        under escort from St Petersburg to Vladivostok": a move whose route stands between
        the verb and "to" (the verb right before "to" is a trigger of its own)."""
        out: list[tuple[int, int]] = []
        words = toks.words
        stops = self.t.route_stops
        for i in toks.positions(self.t.routed_moves):
            own = self.triggers.at(words, i)
            if own is not None and own[0] > 1 and words[i + own[0] - 1] != "to":
                continue  # "taken from the flat to a police station": "taken from" tells it
            for k in range(i + 1, min(len(words), i + 10)):
                w = words[k]
                if w in (".", ";", ":") or w.isspace() or w in stops:
                    break
                if w in self.t.border_points or w in self.t.crossing_words:
                    break  # "taken by bus over the bridge to Sinuiju": a crossing, told apart
                if w == "by" and k + 1 < len(words):
                    nxt = words[k + 1]
                    by_whom = words[k + 2] if nxt in self.t.definite_markers | _ARTICLES else nxt
                    if by_whom not in _CONVEYANCES and by_whom not in self.t.authority_words:
                        break  # "driven by a broker to the border": no custody
                if w == "to":
                    if own is None or own[0] != k + 1 - i:  # "taken to" is a trigger itself
                        out.append((i, k + 1))
                    break
        return out

    def _destination_after(self, toks: Tokens, j: int) -> tuple[str | None, tuple[int, int] | None]:
        """The country named right after the "to" that ends a trigger at ``j``."""
        words = toks.words
        k = j + 1 if j < len(words) and words[j] == "the" else j
        hit = self.countries.at(words, k) or self.cities.at(words, k)
        if hit is None:
            return None, None
        return hit[1], toks.char_span(k, k + hit[0])

    def _custody_target(self, toks: Tokens, j: int) -> str | None:
        """What the words after "to" at ``j`` name: a custody place or a town ("the border
        detention centre in Tumen", "Dandong"): "here"; North Korea's custody ("the State
        Security holding centre in Onsong"): "KP"; a point on the border where the move
        ends before a handover ("the border crossing at Khasan", "the Boten checkpoint") or
        anything else: None."""
        words = toks.words
        after = words[j : j + 5]  # "the State Security holding centre"
        custody = any(w in self.t.custody_nouns for w in after)
        if any(w in self.t.receiving_kp for w in after):
            return "KP" if custody else None
        if custody:
            return "here"
        k = j + 1 if after[:1] in (["the"], ["a"]) else j
        if k >= len(words) or any(w in self.t.border_points for w in words[k : k + 3]):
            return None
        text = toks.texts[k]
        return "here" if text[:1].isupper() and text.isalpha() else None

    def _handover_follows(self, words: list[str], j: int) -> bool:
        """Whether the clause after a move's end at ``j`` goes on to a handover ("driven to
        Dandong and handed to North Korean officers"): the move ended at the border."""
        for k in range(j, min(len(words) - 1, j + 12)):
            w = words[k]
            if w in (".", ";") or w.isspace():
                return False
            if w == "and" and any(x in self.t.handover_verbs for x in words[k + 1 : k + 4]):
                return True
        return False

    def _clause_start(self, words: list[str], i: int, limit: int, sent_first: int) -> int:
        into_quote = self.t.into_quote
        k = i - 1
        floor = max(0, i - limit)
        while k >= floor:
            if k == sent_first:
                return k
            if words[k] in _QUOTE_MARKS and k > sent_first and words[k - 1] in into_quote:
                # 'would be "sent home with the next group"': the quote goes on the clause.
                k -= 1
                continue
            if words[k] in _CLAUSE_BREAKS or words[k] in (",", ".") or words[k].isspace():
                return k + 1
            k -= 1
        return floor

    def _modality(
        self,
        toks: Tokens,
        i: int,
        j: int,
        form: str,
        sent_first: int,
        *,
        in_title: bool,
        floor: int = 0,
    ) -> str:
        words = toks.words
        lo = self._clause_start(words, i, 7, sent_first)
        window = words[lo:i]
        if any(w in self.t.negations for w in words[max(lo, floor) : i][-4:]):
            return "negated"
        if self._negative_subject(words, self._clause_start(words, i, 14, sent_first), i):
            return "negated"  # "No one ... has been returned", "no North Koreans were deported"
        pending = self.pending.first_words
        for k in range(lo, i):
            if words[k] in pending and self.pending.at(words, k, i) is not None:
                return "pending"
        # "will almost certainly be sent north and returned": the cue without its adverbs.
        plain = [w for w in window if not (w.endswith("ly") or w in _ADVERBS)]
        if len(plain) < len(window):
            for k in range(len(plain)):
                if plain[k] in pending and self.pending.at(plain, k) is not None:
                    return "pending"
        generic = self.generic.first_words
        for k in range(lo, i):
            if words[k] in generic and self.generic.at(words, k, i) is not None:
                if words[k] == "end" and words[k + 1] == "of":
                    continue  # "at the end of the month": a time, not "end the returns"
                return "generic"
        for k in range(lo, i):
            if words[k] in self.comparisons.first_words and self.comparisons.at(words, k, i):
                return "generic"  # "as other groups caught in Laos have been"
        if form == "nominal":
            return "nominal"
        prev = words[i - 1] if i > 0 else ""
        nxt = words[j] if j < len(words) else ""
        if any(
            w in self.t.modals and w != "to" and not self._month_name(toks, k)
            for k, w in enumerate(window[-3:], i - len(window[-3:]))
        ):
            return "hypothetical"
        if self._infinitive(window):
            # "allowed 468 North Koreans to be flown to Seoul": a permission granted, the
            # move done; any other "to be sent" is only a prospect.
            return "fact" if self._permitted(toks, lo, i) else "hypothetical"
        if form == "present":
            return "fact" if in_title else "generic"
        if form == "base":
            return "fact" if prev in ("did", "had") else "hypothetical"
        if form == "gerund":
            if words[i] == "being" or words[i].startswith("being "):
                return "fact"
            if prev in ("being",) and (i < 2 or words[i - 2] in _PASSIVE_AUX):
                return "fact"
            if prev in self.t.gerund_fact_preps:
                return "fact"  # "weeks after arresting them"
            return "generic"
        # Past forms.
        if prev in self.t.determiners and nxt.isalpha() and nxt not in _PLACE_PREPS:
            return "attributive"
        before = words[i - 2] if i >= 2 else ""
        if prev in self.t.generic_people and not (
            before.isdigit()
            or before in self.t.definite_markers
            or before in self.t.count_words
            or before in self.t.partitive_words
        ):
            return "attributive"  # "people sent back face torture": whoever is sent back
        aux = any(w in _PASSIVE_AUX for w in window[-3:])
        if words[i] in _NEEDS_PASSIVE and j - i == 1 and not aux and nxt in _NOT_CUSTODY_OBJECTS:
            return "not_custody"  # "held a briefing", "took part"
        if words[i] in _PASSIVE_ONLY and j - i == 1 and not aux and not self._object_follows(nxt):
            return "not_custody"
        if words[i] in _PASSIVE_STRICT and (
            not aux
            or (
                words[i] in self.t.questioning_verbs
                and not any(w in self.t.authority_words for w in words[j : j + 6])
            )
        ):
            # "were questioned by State Security"; not "were questioned by reporters".
            return "not_custody"
        if (
            words[i] == "stopped"
            and j - i == 1
            and not aux
            and not (nxt.isdigit() or nxt in _PEOPLE)
        ):
            # "police stopped a bus": not yet anyone's arrest, and no mood for a verb joined
            # to it ("stopped a minibus and took off six North Koreans").
            return "not_custody"
        if words[i] == "missing" and j - i == 1 and (prev not in _MISSING_BEFORE or nxt == "from"):
            return "attributive"  # "one person was missing from the figures", "missing papers"
        if prev in ("has", "have") and form == "past":
            # "China has repatriated ..." is still a completed act.
            return "fact"
        return "fact"

    @staticmethod
    def _month_name(toks: Tokens, k: int) -> bool:
        """ "arrested in May and handed over": the month, not the modal verb."""
        return toks.words[k] == "may" and toks.texts[k][:1] == "M" and not toks.is_sent_start(k)

    @staticmethod
    def _infinitive(window: list[str]) -> bool:
        """ "to be sent back", "to have been returned": "to" right before the trigger or
        before its auxiliaries; "to" further back ("from Tumen to Namyang and handed")
        is a preposition."""
        if "to" not in window[-3:]:
            return False
        k = len(window) - 1 - window[::-1].index("to")
        return all(
            w in ("be", "have", "been", "being", "get", "all", "both", "then", "soon")
            or w.endswith("ly")
            for w in window[k + 1 :]
        )

    def _permitted(self, toks: Tokens, lo: int, i: int) -> bool:
        """Whether a past verb of permission governs the infinitive before ``i`` ("allowed
        them to be flown"), not doubted by a modal nor told as a habit ("has allowed ...
        for years")."""
        words = toks.words
        for k in range(max(lo, i - 8), i):
            if words[k] in self.t.permission_verbs:
                doubted = any(w in self.t.modals and w != "to" for w in words[max(lo, k - 3) : k])
                return not doubted and not self._habit_told(toks, k)
        return False

    def _negative_subject(self, words: list[str], lo: int, i: int) -> bool:
        for k in range(lo, i):
            w = words[k]
            if w in self.negative_subjects.first_words and self.negative_subjects.at(words, k, i):
                return True
            if w == "no" and k + 1 < i and words[k + 1] in self.t.negative_heads:
                return True
        return False

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
            hit = self.countries.at(words, k, j) or self.cities.at(words, k, j)
            if hit is not None:
                return hit[1], toks.char_span(k, k + hit[0])
        if words[j - 1] in self.t.destination_preps and j < len(words):
            # "hands nine North Koreans to China": the preposition closes the trigger.
            hit = self.countries.at(words, j) or self.cities.at(words, j)
            if hit is not None:
                return hit[1], toks.char_span(j, j + hit[0])
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
        hit = self.countries.at(words, k) or self.cities.at(words, k)
        if hit is None:
            return None, None
        return hit[1], toks.char_span(k, k + hit[0])

    def _by_authorities(self, words: list[str], i: int, sent_first: int) -> bool:
        """Whether officers act in the clause before the verb ("Lao police drove ...")."""
        lo = self._clause_start(words, i, 10, sent_first)
        return any(w in self.t.authority_words for w in words[lo:i])

    def _off_people(self, words: list[str], i: int, j: int) -> bool:
        """ "took off six North Koreans", "were taken off the bus": people taken off a
        vehicle, not "the plane took off at 9 am" or "took off 20 minutes late"."""
        nxt = words[j : j + 2]
        if not nxt:
            return False
        if i > 0 and words[i - 1] in _PASSIVE_AUX:
            # "were taken off a long-distance sleeper bus", not "taken off the list".
            return nxt[0] in ("a", "an", "the") and any(
                w in _CONVEYANCES for w in words[j + 1 : j + 7]
            )
        if nxt[0] in ("them", "him", "us", "between"):
            return True
        is_number = nxt[0][:1].isdigit() or nxt[0] in self.t.count_words
        return is_number and nxt[1:] != [] and nxt[1] not in self.t.not_people_units

    def _to_local_custody(self, words: list[str], j: int) -> bool:
        """ "handed over to the border defence authorities", "to the public security
        bureau": to officers on the same side of the border, a transfer, not a return
        ("handed over to police in Sinuiju" names no such office, so it stays a return)."""
        if j >= len(words) or words[j] != "to":
            return False
        after = words[j + 1 : j + 6]
        if any(w in _RECEIVERS for w in after[:2]) or any(w in self.t.receiving_kp for w in after):
            return False
        return any(w in self.t.local_custodians for w in after)

    @staticmethod
    def _present_passive(words: list[str], i: int, sent_first: int) -> bool:
        """Whether a participle follows "is" or "are" (past adverbs): "are returned"."""
        k = i - 1
        while k >= sent_first and (words[k] in _ADVERBS or words[k].endswith("ly")):
            k -= 1
        return k >= sent_first and words[k] in ("is", "are")

    def _definite_group_event(
        self, words: list[str], i: int, j: int, sent_first: int, modality: str
    ) -> bool:
        """ "condemned the forced return of some 600 North Koreans", "Tuesday's repatriation
        of 50 escapees": a definite event noun whose "of" names a counted group tells an
        event that happened. Not when a modal or an infinitive governs it ("could lead to
        the repatriation of 50"), nor when it is not yet done ("the planned return of 50"),
        nor under a generic cue that does not presuppose it ("urged China to stop ...")."""
        t = self.t
        lo = self._clause_start(words, i, 7, sent_first)
        if modality == "generic" and any(
            words[k] in self.generic.first_words
            and self.generic.at(words, k, i) is not None
            and words[k] not in t.presupposing_cues
            for k in range(lo, i)
        ):
            return False
        before = words[max(sent_first, i - 3) : i]
        if any(w in t.indefinite_markers for w in before):
            return False
        # A day's or a place's event ("Tuesday's repatriation") is definite by itself;
        # "the return of six fishermen" only where the clause presupposes it happened
        # ("condemned the return of", "since the forced return of"), not where it is asked
        # for or announced ("asked for the return of", "the repatriation ... would begin").
        if not any(w in t.possessive_markers for w in before) and not (
            any(w in t.definite_markers for w in before)
            and any(w in t.presupposing_cues for w in words[lo:i])
        ):
            return False
        if any(w in t.unrealised_modifiers for w in before):
            return False
        for k in range(lo, i):
            if words[k] not in t.modals:
                continue
            # "come back to Tuesday's repatriation": "to" as a preposition, not an infinitive.
            if words[k] == "to" and (
                words[k + 1] in t.definite_markers or words[k + 2] in t.possessive_markers
            ):
                continue
            return False
        k = j
        if words[j - 1] != "of":  # "return of" holds its "of"; "repatriation" does not
            if k >= len(words) or words[k] != "of":
                return False
            k += 1
        stop = min(len(words), k + 4)
        while k < stop and words[k] in t.count_qualifiers:
            k += 1
        if k >= len(words) or not (words[k][:1].isdigit() or words[k] in t.count_words):
            return False
        return any(w in t.group_heads for w in words[k + 1 : k + 4])

    def _done_before(self, toks: Tokens, i: int) -> tuple[int, int] | None:
        """ "police carried out two raids", "officers conducted a raid": a verb of doing,
        in the past, right before the nominal event and its count (not "will carry out")."""
        words = toks.words
        for k in range(max(0, i - 4), i):
            hit = self.done_verbs.at(words, k, i)
            if hit is None:
                continue
            between = words[k + hit[0] : i]
            if all(
                w in self.t.definite_markers or w in self.t.count_words or w.isdigit()
                for w in between
            ) and not self._habit_told(toks, k):
                return toks.char_span(k, k + hit[0])
        return None

    def _habit_told(self, toks: Tokens, k: int) -> bool:
        """Whether the sentence of token ``k`` tells a habit over time ("have carried out
        raids for years", "has allowed ... for years")."""
        first, last = toks.sent_bounds[toks.sentence_of(k)]
        return self.habit_spans.find_in(toks, first, last) is not None

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
