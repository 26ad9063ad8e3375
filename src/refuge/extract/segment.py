"""Incident segmentation and assembly: from mentions to incidents.

Rules, in the order they are applied to each sentence:

1. A sentence with a victim count and an event that happened (or is pending) *seeds* an
   incident. A count in a statistic ("more than 670 since 2020") never does.
2. A count equal to a known incident's total restates it ("the 70 defectors"); counts of
   adults, minors, women or men after a total are its breakdown ("50 adults and 20
   minors" is a breakdown of the 70, not more incidents).
3. A new seed with a different total starts a new incident when a marker separates it
   ("earlier", "in a separate case", "last year"), when its date conflicts with the
   current incident's dates, or when it stands in another paragraph; within one paragraph
   it is another account of the same group and the first total is kept.
4. Sentences without a count join the current incident when they report an event and stand
   in its paragraph or the next, without a separating marker or a conflicting date. A
   heading or a paragraph of background ends the incident.
5. Every value keeps the span that states it; spans from the body are preferred to the
   headline's.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TypeVar

from spacy.tokens import Doc

from refuge.extract.counts import CountMention, Enumeration, GroupMention
from refuge.extract.dates import DateMention, resolve_after
from refuge.extract.events import EventMention
from refuge.extract.facilities import FacilityMention
from refuge.extract.lang import LanguageTables
from refuge.extract.phrases import PhraseTable, lower_words, sentence_bounds
from refuge.extract.places import PlaceMention
from refuge.extract.result import (
    Count,
    Event,
    Facility,
    Incident,
    PlaceRef,
    SensitivityFlag,
    SourceRef,
    Span,
    Victims,
    When,
)
from refuge.extract.sources import SourceMention
from refuge.extract.tokens import Tokens, tokens_of
from refuge.extract.values import get

LIFECYCLE = (
    "border_crossing",
    "escape_attempt",
    "arrest",
    "detention",
    "transfer",
    "deportation",
    "repatriation",
    "release",
    "punishment",
    "disappearance",
    "death",
)
_PRECISION_RANK = {"year": 0, "month": 1, "day": 2}
# The steps of a custody path in order, for dates that tie at their common precision.
_STEP_ORDER = {t: k for k, t in enumerate(LIFECYCLE)}
_PRECISION_LEN = {"year": 4, "month": 7, "day": 10}
_EVENT_ROLES = {
    "arrest": ("arrest",),
    "detention": ("detention",),
    "transfer": ("transit",),
    "repatriation": ("handover",),
    "deportation": ("handover", "destination"),
    "release": ("other",),
    "border_crossing": ("other",),
}
_LATER = ("transfer", "deportation", "repatriation", "release")
# Events that put people in someone's custody or move them: an incident may open on one
# told of "her" or "them" alone ("police arrested her there"), not on "he escaped again".
_CUSTODY = frozenset({"arrest", "detention", "transfer", "repatriation", "deportation"})
# Words before "a ..." that make one person a member of a group counted before.
_LONE_PERSONS = {"man": "men", "woman": "women", "boy": "minors", "girl": "minors"}
# A sentence opening with one of these speaks of one person introduced before.
_LONE_PRONOUNS = {"she": "women", "he": "men", "her": "women", "him": "men"}
# A new total this many times the incident's (or less) may be another account of the same
# group ("police said 12; relatives said 15"); further apart it is another group.
_ACCOUNT_RATIO = 2
_MOVE_VERBS = frozenset(
    {"send", "sent", "return", "returned", "deport", "deported", "hand", "handed"}
    | {"repatriate", "repatriated", "transfer", "transferred"}
)
_ANAPHORA_PARAGRAPHS = 3
# How many counts back a list looks for the number that states its sum.
_LIST_REACH = 20
# Events that tell a journey, not custody: alone, uncounted, they make no incident.
_PASSAGE = frozenset({"border_crossing", "escape_attempt"})
# How far after a list a count may state its sum: a paragraph or two.
_LIST_AFTER_CHARS = 800
# A crossing this many months before the first custody event is background.
_BACKGROUND_MONTHS = 6
# Words before a crossing that tell it in passing ("who had crossed", "after crossing").
_IN_PASSING = frozenset({"who", "which", "that", "after", "before", "upon"})
# Words that make being somewhere a belief, not a fact ("believed to be in a holding centre").
_HEDGES = frozenset(
    {"believed", "thought", "feared", "may", "might", "possibly", "probably", "likely"}
)
_M = TypeVar("_M")
# The start character of a mention, read in C when mentions are sorted into sentences.
_START = attrgetter("start")
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "both": 2}
_ROLE_DISTANCE = 12
# Prepositions that put an act at a place (not a move towards it).
_LOCATIVE = frozenset({"in", "at", "near", "outside", "inside"})
_PLACE_PREPS = frozenset(
    {
        "in",
        "at",
        "near",
        "from",
        "to",
        "via",
        "through",
        "into",
        "inside",
        "outside",
        "including",
        "across",
        "along",
        "around",
        "toward",
        "towards",
        "between",
        "of",
        "on",
    }
)


@dataclass(slots=True)
class Sentence:
    index: int
    start: int
    end: int
    tok_start: int
    tok_end: int
    paragraph: int
    title: bool
    counts: list[CountMention] = field(default_factory=list)
    groups: list[GroupMention] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    facilities: list[FacilityMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    sources: list[SourceMention] = field(default_factory=list)
    anonymity: list[Span] = field(default_factory=list)
    separated: bool = False
    # "two days later": dates told from the incident's previous date, resolved on attach.
    later_dates: list[DateMention] = field(default_factory=list)
    enumerations: list[Enumeration] = field(default_factory=list)
    # People introduced without being counted ("a woman referred to here as Ms. K").
    persons: list[CountMention] = field(default_factory=list)
    # The document's lower-case words (shared, not copied), for rules read from a sentence.
    words: list[str] = field(default_factory=list, repr=False)
    # Token spans of the separation markers in the sentence ("earlier", "in a separate case").
    markers: list[tuple[int, int]] = field(default_factory=list)
    # Where its subject may start (after "REPORTER:", "But", "said that"), read once.
    subjects: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Evidence:
    """Candidate spans for one key: the first from the body wins over the headline's."""

    body: Span | None = None
    title: Span | None = None

    def add(self, span: Span, title: bool) -> None:
        if title:
            if self.title is None:
                self.title = span
        elif self.body is None:
            self.body = span

    def best(self) -> Span | None:
        return self.body or self.title


@dataclass(slots=True)
class EventAcc:
    type: str
    when: When | None = None
    spoken: bool = False  # dated only by when the telling was ("told ... on July 25")
    places: list[tuple[str, str]] = field(default_factory=list)  # (place key, role)


@dataclass(slots=True)
class Builder:
    first_sentence: int
    last_paragraph: int
    only_title: bool
    total: CountMention | None = None
    total_title: bool = False
    parts: dict[str, CountMention] = field(default_factory=dict)
    nationality: str | None = None
    events: dict[str, EventAcc] = field(default_factory=dict)
    pending: EventMention | None = None
    status_span: Span | None = None
    places: dict[tuple[str, str], PlaceMention] = field(default_factory=dict)
    place_order: list[tuple[str, str]] = field(default_factory=list)
    facilities: list[FacilityMention] = field(default_factory=list)
    destination: str | None = None
    sources: list[SourceMention] = field(default_factory=list)
    dates: list[When] = field(default_factory=list)
    evidence: dict[str, Evidence] = field(default_factory=dict)
    minors_spans: list[Span] = field(default_factory=list)
    anonymity: list[Span] = field(default_factory=list)
    context_date: DateMention | None = None
    pending_places: list[tuple[str, tuple[str, str]]] = field(default_factory=list)
    # Seeded apart from the incident before it (a marker or another time): background.
    background: bool = False
    # The sentence telling this incident's arrest together with other people ("police
    # arrested the man and his passengers"), for the incident of those others.
    co_arrest: Sentence | None = None
    # The text leaves the next move open ("not clear whether Vietnam will send them").
    destination_open: bool = False
    # Pronouns that gender one person, in the incident's sentences and those about it.
    male: int = 0
    female: int = 0

    def custody_dates(self) -> list[When]:
        """The dates of what was done to the group (not of its crossing or escape), against
        which a new date is told apart."""
        return [
            acc.when
            for t, acc in self.events.items()
            if acc.when is not None and t not in ("border_crossing", "escape_attempt")
        ]

    def add_place(self, p: PlaceMention, role: str, title: bool) -> tuple[tuple[str, str], bool]:
        """Record ``p`` in ``role`` (once), its words as the evidence: (its key, whether it
        is new to the incident)."""
        key = (p.place_id or f"country:{p.country}", role)
        added = key not in self.places
        if added:
            self.places[key] = p
            self.place_order.append(key)
        self.ev(f"place:{key[0]}:{role}", (p.start, p.end), title)
        return key, added

    def ev(self, key: str, span: Span | None, title: bool) -> None:
        if span is None:
            return
        self.evidence.setdefault(key, Evidence()).add(span, title)


def _bucket(items: Sequence[_M], starts: list[int]) -> list[list[_M]]:
    """``items`` (mentions with a ``start`` character) by the sentence that holds them."""
    out: list[list[_M]] = [[] for _ in starts]
    for item, pos in zip(items, map(_START, items), strict=True):
        k = bisect.bisect_right(starts, pos) - 1
        if k >= 0:
            out[k].append(item)
    return out


def _cut(value: str, precision: str) -> str:
    return value[: _PRECISION_LEN[precision]]


def _coarsest(*whens: When) -> str:
    return min((w.precision for w in whens), key=lambda p: _PRECISION_RANK[p])


def _span_when(a: When, b: When) -> When:
    """From the start of ``a`` to the end of ``b`` (a later step), each end keeping the
    precision the text gives it."""
    p = _coarsest(a, b)
    if _cut(a.start, p) <= _cut(b.start, p) and _cut(a.end, p) <= _cut(b.end, p):
        sp, ep = _start_precision(a), _end_precision(b)
        if sp == ep:
            return When(a.start, b.end, sp)
        return When(a.start, b.end, p, sp, ep)
    start = min(_cut(a.start, p), _cut(b.start, p))
    end = max(_cut(a.end, p), _cut(b.end, p))
    return When(start, end, p)


def _start_precision(w: When) -> str:
    return w.start_precision or w.precision


def _end_precision(w: When) -> str:
    return w.end_precision or w.precision


def _narrows(new: When, old: When) -> bool:
    """Whether ``new`` (a day or days) lies inside ``old`` (a longer range of days, or a
    month) and so dates the same event more precisely."""
    if new.precision != "day" or old.precision == "year":
        return False
    if old.precision == "month":
        return new.start[:7] == old.start and new.end[:7] == old.end
    return old.start <= new.start <= new.end <= old.end and (new.start, new.end) != (
        old.start,
        old.end,
    )


def _close(total: CountMention | None, totals: list[CountMention]) -> bool:
    """Whether every new total is near the incident's (none known counts as near)."""
    if total is None:
        return True
    return all(
        max(total.value, c.value) <= _ACCOUNT_RATIO * max(1, min(total.value, c.value))
        for c in totals
    )


def _conflicts(when: When, known: list[When]) -> bool:
    """True when a date cannot belong to an incident dated ``known`` (more than two months
    apart at the precision both share)."""
    if not known:
        return False
    for k in known:
        p = _coarsest(when, k)
        if p == "year":
            if abs(int(when.start[:4]) - int(k.start[:4])) <= 0 or (
                _cut(when.start, p) <= _cut(k.end, p) and _cut(k.start, p) <= _cut(when.end, p)
            ):
                return False
            continue
        a = int(when.start[:4]) * 12 + int(when.start[5:7])
        b_lo = int(k.start[:4]) * 12 + int(k.start[5:7])
        b_hi = int(k.end[:4]) * 12 + int(k.end[5:7])
        if b_lo - 2 <= a <= b_hi + 2:
            return False
    return True


def _tells_a_statistic(s: Sentence) -> bool:
    """Whether the sentence only tells a statistic ("About 2,500 passed through last year,
    according to an official who asked not to be identified"): its source, named or not,
    is the statistic's, not an incident's. A total of several incidents told with their
    acts ("have detained at least eleven in two operations, a relative said") is not one:
    its sources are the report's."""
    return (
        bool(s.counts)
        and all(c.aggregate for c in s.counts)
        and not any(e.modality == "fact" for e in s.events)
    )


class Segmenter:
    def __init__(self, tables: LanguageTables, tokenize: object) -> None:
        self.t = tables
        tok = tokenize  # the pipeline's tokenizer function
        self.separators = PhraseTable.of_set(tok, tables.segment.separation_markers)  # type: ignore[arg-type]
        seg = tables.segment
        self.plural_anaphora = PhraseTable.of_set(tok, seg.anaphora)  # type: ignore[arg-type]
        self.singular_anaphora = PhraseTable.of_set(tok, seg.singular_anaphora)  # type: ignore[arg-type]
        self.distributive = PhraseTable.of_set(tok, seg.distributive)  # type: ignore[arg-type]
        self.arrest_place_refs = PhraseTable.of_set(tok, seg.arrest_place_references)  # type: ignore[arg-type]
        self.place_back_refs = PhraseTable.of_set(tok, seg.place_back_references)  # type: ignore[arg-type]
        self._male = seg.male_pronouns
        self._female_only = seg.female_pronouns - seg.male_pronouns

    # -- sentences -------------------------------------------------------------------------

    def sentences(self, doc: Doc, title_end: int) -> list[Sentence]:
        toks = tokens_of(doc)
        words = toks.words
        bounds = sentence_bounds(doc)
        # Sentences holding a line break (which ends a paragraph), from the break positions.
        breaks: dict[int, int] = {}
        for k in toks.line_breaks():
            sent = toks.sentence_of(k)
            breaks[sent] = breaks.get(sent, 0) + 1
        separated = {toks.sentence_of(k) for k in self.separators.starts_in(toks)}
        # The sentences that hold more than spaces: (index, first token, end, paragraph).
        kept: list[tuple[int, int, int, int]] = []
        paragraph = 0
        for index, (first, last) in enumerate(bounds):
            if not all(map(str.isspace, words[first:last])):
                kept.append((index, first, last, paragraph))
            if index in breaks:
                paragraph += 1
        starts = [toks.starts[first] for _, first, _, _ in kept]
        # Each sentence is built with its mentions, sorted into sentences first, rather
        # than built with empty lists that are then replaced one attribute at a time.
        counts, groups, events, places, facilities, dates, sources = (
            _bucket(get(doc, attr) or [], starts)
            for attr in (
                "refuge_counts",
                "refuge_groups",
                "refuge_events",
                "refuge_places",
                "refuge_facilities",
                "refuge_dates",
                "refuge_sources",
            )
        )
        anon = [f for f in get(doc, "refuge_flags") or [] if f.flag == "source_anonymity"]
        anonymity = _bucket(anon, starts)
        enums = _bucket(doc.user_data.get("refuge.enumerations") or [], starts)
        persons = _bucket(doc.user_data.get("refuge.persons") or [], starts)
        out: list[Sentence] = []
        for n, (index, first, last, paragraph) in enumerate(kept):
            told: list[DateMention] = dates[n]
            later: list[DateMention] = []
            if told and any(d.after is not None for d in told):
                later = [d for d in told if d.after is not None]
                told = [d for d in told if d.after is None]
            out.append(
                Sentence(
                    n,
                    starts[n],
                    toks.end(last - 1),
                    first,
                    last,
                    paragraph,
                    starts[n] < title_end,
                    counts=counts[n],
                    groups=groups[n],
                    events=events[n],
                    places=places[n],
                    facilities=facilities[n],
                    dates=told,
                    sources=sources[n],
                    anonymity=[(f.start, f.end) for f in anonymity[n]],
                    later_dates=later,
                    enumerations=enums[n],
                    persons=persons[n],
                    words=words,
                    markers=self._markers(toks, first, last) if index in separated else [],
                )
            )
        out = self._split_headline(toks, out)
        for s in out:
            s.words = words  # also on the parts of a split headline
            s.separated = self._separates(words, s)
        self._count_paragraphs_with_content(out)
        return out

    @staticmethod
    def _split_headline(toks: Tokens, sentences: list[Sentence]) -> list[Sentence]:
        """ "Vietnam hands nine North Koreans to China; three more held in Mong Cai": a
        headline's clauses after a semicolon tell another story, so each is read apart."""
        words = toks.words
        out: list[Sentence] = []
        for s in sentences:
            # Only a headline is cut: the body's sentences are not searched for ";".
            cut = (
                next((k for k in range(s.tok_start, s.tok_end) if words[k] == ";"), None)
                if s.title
                else None
            )
            if cut is None:
                out.append(s)
                continue
            end = toks.end(cut - 1)
            head = Sentence(0, s.start, end, s.tok_start, cut, s.paragraph, True)
            tail = Sentence(0, toks.starts[cut + 1], s.end, cut + 1, s.tok_end, s.paragraph, True)
            for part in (head, tail):
                for name in (
                    "counts",
                    "groups",
                    "events",
                    "places",
                    "facilities",
                    "dates",
                    "sources",
                    "later_dates",
                    "enumerations",
                    "persons",
                ):
                    items = [x for x in getattr(s, name) if part.start <= x.start < part.end]
                    setattr(part, name, items)
                part.markers = [m for m in s.markers if part.tok_start <= m[0] < part.tok_end]
                part.anonymity = [a for a in s.anonymity if part.start <= a[0] < part.end]
                out.append(part)
        for index, s in enumerate(out):
            s.index = index
        return out

    def _markers(self, toks: Tokens, first: int, last: int) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        k = first
        while k < last:
            hit = self.separators.find_in(toks, k, last)
            if hit is None:
                break
            found.append((hit[0], hit[0] + hit[1]))
            k = hit[0] + hit[1]
        return found

    def _separates(self, words: list[str], s: Sentence) -> bool:
        """A marker separates the sentence from the incident before it, except inside a
        date ("earlier this month", "last year": the dates themselves decide, by
        conflicting or not) and, in a sentence without a count, except after its opening
        words ("... which officials have used for such handovers in the past")."""
        counted = bool(s.counts)
        opening = self._subject_positions(words, s)[0] if s.markers else s.tok_start
        for a, b in s.markers:
            if any(d.tok_start <= a and b <= d.tok_end for d in s.dates):
                continue
            if counted or a <= opening:
                return True
        return False

    @staticmethod
    def _count_paragraphs_with_content(sentences: list[Sentence]) -> None:
        """Number paragraphs by those that tell something (a count, an event, a place or a
        date): a line such as "PRESENTER: Who were they?" does not put the next answer a
        paragraph further from the incident it continues."""
        number = 0
        current = sentences[0].paragraph if sentences else 0
        content = False
        for s in sentences:
            if s.paragraph != current:
                current = s.paragraph
                if content:
                    number += 1
                content = False
            content = content or bool(s.counts or s.events or s.places or s.dates or s.facilities)
            s.paragraph = number

    # -- assembly --------------------------------------------------------------------------

    def incidents(
        self, doc: Doc, sentences: list[Sentence], text: str | None = None
    ) -> tuple[list[Incident], list[SensitivityFlag]]:
        # ``doc.text`` rebuilds the whole text from its tokens: read it once, never per
        # incident (that made time grow with the square of the length).
        if text is None:
            text = doc.text
        builders: list[Builder] = []
        current: Builder | None = None
        prev: Sentence | None = None  # the last sentence no incident took
        words = lower_words(doc)
        last_when: When | None = None
        spread: list[Builder] = []  # the incidents the last sentence spoke of together
        stated = [
            c
            for x in sentences
            for c in x.counts
            if c.category == "total" and not (c.aggregate or c.single)
        ]
        # The date a scene-setting sentence just before told ("They reached Qingdao on May
        # 28."): one without acts of its own and not set apart ("in a separate case").
        before_when: When | None = None
        for s in sentences:
            counts = [c for c in s.counts if not c.aggregate]
            facts = [e for e in s.events if e.modality == "fact"]
            pending = [e for e in s.events if e.modality == "pending"]
            dated = [d for d in s.dates if not d.since and not d.speech]
            just_before, before_when = (
                before_when,
                dated[-1].when if dated and not s.separated and not facts else None,
            )
            if s.counts and not counts and not s.persons:
                # "Since 2015 some 300 children have been returned": the acts of a
                # statistic, not of the incident told before it.
                facts, pending = [], []
            has_event = bool(facts or pending)
            conflict = current is not None and any(
                _conflicts(d.when, current.custody_dates()) for d in dated
            )
            separated = s.separated or conflict
            in_scope = current is not None and s.paragraph - current.last_paragraph <= 1
            target: Builder | None = None
            if current is not None and current.total is not None and current.total.value > 1:
                # "one person was missing from the figures": one member of the group, not
                # a group of its own.
                counts = [
                    c
                    for c in counts
                    if not (c.category == "total" and c.value == 1 and not c.single)
                    or c.nationality
                ]
            totals = [c for c in counts if c.category == "total" and not c.single]
            parts = [c for c in counts if c.category != "total" and not c.single]
            singles = [c for c in counts if c.single]
            held = self._held_in_facility(s)
            if (
                current is not None
                and (parts or totals)
                and facts
                and self._another_group(current, [] if totals else parts, facts, dated)
            ):
                separated = True
            group_of = self._group_of(words, s, builders, spread) if not counts else None
            if group_of and (has_event or held) and not separated:
                # "All three groups are being held ...": every incident told before.
                spread = group_of
                for b in group_of:
                    self._attach(doc, b, s, [], facts, pending)
                current, prev = group_of[-1], None
                continue
            if totals or parts:
                same = next(
                    (
                        b
                        for b in reversed(builders)
                        for c in totals
                        if b.total is not None and b.total.value == c.value
                    ),
                    None,
                )
                other = current is not None and self._other_people(current, totals, parts)
                if same is not None:
                    target = same
                elif (
                    current is not None
                    and not totals
                    and not separated
                    and (in_scope or current.only_title)
                    and not other
                ):
                    target = current
                elif (
                    current is not None
                    and not has_event
                    and in_scope
                    and not separated
                    and current.total is None
                    and len(totals) == 1
                ):
                    target = current  # "There were thirteen people in the group."
                elif has_event:
                    if (
                        current is not None
                        and not separated
                        and not other
                        and (
                            current.only_title
                            or (current.total is None and in_scope)
                            or (
                                s.paragraph == current.last_paragraph
                                and _close(current.total, totals)
                            )
                            or self._another_account(current, s, totals, facts, dated, in_scope)
                        )
                    ):
                        target = current
                    else:
                        target = self._new(builders, s, separated and not other)
                        if other and current is not None and current.co_arrest is not None:
                            # "Police arrested the man and his passengers ...": the
                            # arrest told with the first group is this group's too.
                            self._share_arrest(doc, target, current.co_arrest)
            elif has_event or (held and current is not None):
                victims_named = bool(s.groups or singles)
                context = (
                    prev
                    if prev is not None
                    and s.index - prev.index <= 3
                    and s.paragraph - prev.paragraph <= 1
                    and not prev.events
                    and not prev.title
                    and (
                        prev.groups
                        or ((prev.places or prev.dates) and self._names_a_person(words, s))
                    )
                    else None
                )
                # The subject's anaphor is read only here, where it is used: most
                # sentences never reach this branch.
                referent = (
                    self._referent(
                        builders,
                        self._anaphor(words, s) or self._object_anaphor(words, s, facts),
                        s,
                    )
                    if not separated
                    else None
                )
                if singles and current is not None and self._other_people(current, [], singles):
                    target = self._new(builders, s)
                elif referent is not None and not s.title:
                    target = referent
                elif current is not None and in_scope and not separated and not s.title:
                    target = current
                elif (
                    len(builders) == 1
                    and current is not None
                    and current.total is not None
                    and not separated
                    and not singles
                    and not s.title
                    # "the women", "the others": the group again, not "workers" newly named
                    and all(self._definite(words, g.tok_start) for g in s.groups)
                ):
                    # A report on one counted group whose later sections ("Arrest", "Custody
                    # in China") tell its steps without counting it again.
                    target = current
                elif current is None and facts and context is not None:
                    # "In May, eleven of us waited at a flat in X. Police raided it.":
                    # the sentence before sets the scene of the event.
                    target = self._new(builders, s, separated)
                    self._attach_context(doc, target, context, facts)
                elif (singles and facts) or (
                    (
                        victims_named
                        or (
                            self._names_a_person(words, s)
                            and any(e.type in _CUSTODY for e in facts)
                        )
                    )
                    and facts
                    and (s.places or dated)
                    and (current is None or separated or not in_scope)
                ):
                    target = self._new(builders, s, separated)
            if target is None:
                if s.counts or s.events or s.places or s.dates or s.groups:
                    prev = s  # "CORRESPONDENT: That's right." sets no scene
                if current is None and dated and not _tells_a_statistic(s):
                    # "The nine who crossed on the night of July 10 knew this. ... The next
                    # morning police arrested them": a date told before any incident still
                    # anchors "the next morning" (after one, its own dates do).
                    last_when = dated[-1].when
                if (
                    current is not None
                    and s.paragraph - current.last_paragraph <= _ANAPHORA_PARAGRAPHS
                    and not _tells_a_statistic(s)
                ):
                    # "The source asked not to be named": about the incident just told (or
                    # the incidents the sentence before spoke of together), also when quotes
                    # and background stand between them in a long report.
                    for b in spread if len(spread) > 1 else [current]:
                        b.anonymity.extend(s.anonymity)
                        b.anonymity.extend((x.start, x.end) for x in s.sources if x.anonymous)
                if (
                    current is not None
                    and in_scope
                    and not separated
                    and self._anaphor(words, s) == "many"
                ):
                    # "The group had travelled 1,200 km from Kunming": a paragraph about the
                    # group told before keeps its incident in reach of the next one.
                    current.last_paragraph = s.paragraph
                if current is not None and in_scope:
                    # "the group includes a couple with a baby", "Among them were a girl of
                    # about ten": a member named apart from the events.
                    for c in [*s.counts, *s.persons]:
                        if c.aggregate:
                            continue
                        if not c.member:
                            if (
                                c.category == "minors"
                                and not s.events
                                and current.total is not None
                                and c.value < current.total.value
                            ):
                                # "She saw at least three children": the flag only; whose
                                # children they are the sentence does not say.
                                current.minors_spans.append((c.start, c.phrase_end))
                            continue
                        if c.category == "minors":
                            current.minors_spans.append((c.start, c.phrase_end))
                        if (
                            c.category in ("minors", "adults")
                            and c.category not in current.parts
                            and current.total is not None
                            and current.total.value > 1
                        ):
                            current.parts[c.category] = c
                            current.ev(f"victims.{c.category}", (c.start, c.phrase_end), s.title)
                    self._ages_by_reference(doc, current, s)
                    if self._leaves_destination_open(words, s):
                        current.destination_open = True
                    self._count_pronouns(words, current, s)
                continue
            current = target
            spread = [target]
            prev = None
            if s.later_dates:
                # "the same night" in a new incident: from the last date told before it;
                # the scene-setting sentence's date when the incident has none yet; "They
                # reached Qingdao on May 28. Two days later police stopped them": the date
                # of a scene told just before comes first.
                scene = target.context_date.when if target.context_date is not None else None
                self._resolve_later(
                    s, target.dates[-1] if target.dates else scene or last_when, just_before
                )
            companions = [
                c
                for c in singles
                if c.nationality
                and any(t.nationality and t.nationality != c.nationality for t in totals)
            ]
            own = [c for c in counts if c not in companions]
            self._attach(doc, target, s, own, facts, pending, stated=stated)
            self._ages_by_reference(doc, target, s)
            if any(e.type == "arrest" for e in facts):
                self._arrest_place_by_reference(doc, words, target, s, sentences)
            if companions:
                self._split_companions(doc, builders, target, s, companions, facts, pending)
            if target.dates:
                last_when = target.dates[-1]
        incidents: list[Incident] = []
        minors_flags: list[SensitivityFlag] = []
        nationality = self._document_nationality(sentences)
        # An anonymous source or a request for anonymity that no incident took is about
        # the report as a whole, so about each of its incidents.
        claimed = {sp for b in builders for sp in b.anonymity} | {
            (x.start, x.end) for b in builders for x in b.sources if x.anonymous
        }
        anonymity = next(
            (
                sp
                for s in sentences
                if not _tells_a_statistic(s)
                for sp in [*s.anonymity, *((x.start, x.end) for x in s.sources if x.anonymous)]
                if sp not in claimed
            ),
            None,
        )
        words = lower_words(doc)
        for b in builders:
            if not b.events and b.pending is None:
                continue
            if b.total is None and b.pending is None and set(b.events) <= _PASSAGE:
                continue  # "The cousin had crossed the river only in 2022": no custody told
            if b.total is None:
                self._earlier_person(b, sentences, words)
            if b.total is not None and b.total.value == 1:
                self._gender_lone_person(b)
            if b.nationality is None and nationality is not None:
                b.nationality = nationality[0]
                b.ev("victims.nationality", nationality[1], False)
            if b.nationality is None:
                self._returned_home(b)
            if (
                anonymity is not None
                and not b.anonymity
                and not any(x.anonymous for x in b.sources)
            ):
                b.anonymity.append(anonymity)
            incidents.append(self._finish(b, text))
            minors_flags.extend(SensitivityFlag("minors_involved", sp) for sp in b.minors_spans)
        return incidents, minors_flags

    @staticmethod
    def _gender_lone_person(b: Builder) -> None:
        """ "A South Korean pastor ... his flat ... visited him": one person whom the text
        genders only by pronouns is a man (or a woman), and so an adult."""
        if "women" in b.parts or "men" in b.parts or "minors" in b.parts or b.total is None:
            return
        if (b.male > 0) == (b.female > 0):
            return
        part = "men" if b.male else "women"
        span = Segmenter._total_span(b)
        b.parts[part] = b.total
        b.ev(f"victims.{part}", span, False)
        if "adults" not in b.parts:
            b.parts["adults"] = b.total
            b.ev("victims.adults", span, False)

    @staticmethod
    def _returned_home(b: Builder) -> None:
        """People returned to North Korea (or through a North Korean town) are North
        Koreans: repatriation is a return to the country of origin."""
        if "repatriation" not in b.events and not (
            b.pending is not None and b.pending.type == "repatriation"
        ):
            return
        if b.destination == "KP":
            e = b.evidence.get("destination_country")
            b.nationality = "KP"
            b.ev("victims.nationality", e.best() if e else None, False)
            return
        for key in b.place_order:
            p = b.places[key]
            if p.country == "KP":
                b.nationality = "KP"
                b.ev("victims.nationality", (p.start, p.end), False)
                return

    # -- which incident a sentence speaks of -----------------------------------------------

    def _subject_positions(self, words: list[str], s: Sentence) -> list[int]:
        """Where a sentence's subject may start: after its opening words (and a speaker's
        label such as "REPORTER:") and after "said", "believe", "that"."""
        if not s.subjects:
            s.subjects = self._find_subjects(words, s)
        return s.subjects

    def _find_subjects(self, words: list[str], s: Sentence) -> list[int]:
        k = s.tok_start
        if k + 1 < s.tok_end and words[k + 1] == ":" and words[k].isalpha():
            k += 2
        openers = self.t.segment.openers
        while k < s.tok_end and (words[k] in openers or words[k].isspace()):
            k += 1
        out = [k]
        leads = self.t.segment.subject_leads
        for j in range(k, min(s.tok_end - 1, k + 25)):
            if words[j] in leads:
                out.append(j + 2 if words[j + 1] == "that" else j + 1)
        return out

    def _anaphor(self, words: list[str], s: Sentence) -> str | None:
        """ "one" when the sentence's subject is one person told of before ("He was
        convicted", "The pastor ..."), "many" when it is a group ("They", "The group",
        "All nine"), else None."""
        for k in self._subject_positions(words, s):
            if k >= s.tok_end:
                continue
            if self.singular_anaphora.at(words, k, s.tok_end) is not None:
                return "one"
            w = words[k]
            nxt = words[k + 1] if k + 1 < s.tok_end else ""
            if w in ("the", "all", "these", "those") and (
                nxt.isdigit() or nxt in self.t.counts.number_words
            ):
                value = int(nxt) if nxt.isdigit() else self.t.counts.number_words[nxt]
                return "many" if value > 1 else "one"
            if self.plural_anaphora.at(words, k, s.tok_end) is not None:
                return "many"
        return None

    def _ages_by_reference(self, doc: Doc, b: Builder, s: Sentence) -> None:
        """ "The women, aged between 19 and 52, ...": every member's age, told of a group
        counted before, makes its total the count of adults (or of minors)."""
        if b.total is None or b.total.value < 2:
            return
        for k, category in get(doc, "refuge_group_ages") or []:
            if s.tok_start <= k < s.tok_end and category not in b.parts:
                b.parts[category] = b.total
                b.ev(f"victims.{category}", self._total_span(b), s.title)
                if category == "minors":
                    b.minors_spans.append(self._total_span(b))

    def _object_anaphor(
        self, words: list[str], s: Sentence, facts: list[EventMention]
    ) -> str | None:
        """ "Officers entered the dormitory and led the women away", "police took them to
        Tumen": a group told of before, named as the object of what was done."""
        for e in facts:
            for k in range(e.tok_start + 1, min(s.tok_end, e.tok_end + 3)):
                hit = self.plural_anaphora.at(words, k, s.tok_end)
                # "them", "the women": not "those who had sheltered the group" nor "all".
                if (
                    hit is not None
                    and words[k] not in self.t.segment.loose_anaphora
                    and words[k + hit[0] : k + hit[0] + 1] != ["who"]
                ):
                    return "many"
        return None

    @staticmethod
    def _referent(builders: list[Builder], anaphor: str | None, s: Sentence) -> Builder | None:
        """The incident an anaphoric subject speaks of: the latest one of one person for
        "he"/"she", the latest group for "they", told no more than three paragraphs
        before (with no incident between that would fit better)."""
        if anaphor is None:
            return None
        for b in reversed(builders):
            if s.paragraph - b.last_paragraph > _ANAPHORA_PARAGRAPHS:
                return None
            lone = b.total is not None and b.total.value == 1
            if (anaphor == "one") == lone:
                return b
        return None

    def _group_of(
        self, words: list[str], s: Sentence, builders: list[Builder], spread: list[Builder]
    ) -> list[Builder] | None:
        """The incidents a sentence speaks of all together: "All three groups are being
        held ...", or "they" right after such a sentence."""
        told = [b for b in builders if b.events and s.paragraph - b.last_paragraph <= 2]
        for k in self._subject_positions(words, s):
            hit = self.distributive.at(words, k, s.tok_end)
            if hit is not None:
                n = next(
                    (_NUMBER_WORDS[w] for w in words[k : k + hit[0]] if w in _NUMBER_WORDS),
                    len(told),
                )
                return told[-n:] if len(told) >= 2 else None
        if len(spread) > 1 and self._anaphor(words, s) == "many":
            return spread
        return None

    @staticmethod
    def _held_in_facility(s: Sentence) -> bool:
        """ "spent several weeks in a detention facility in Dandong": the group is in a
        custodial facility, unless a denied or possible event stands just before it."""
        return any(Segmenter._facility_role(s, f) == "detention" for f in s.facilities)

    def _names_a_person(self, words: list[str], s: Sentence) -> bool:
        """ "police officers arrested her there": the sentence speaks of people by a
        pronoun (told of before, or in the headline)."""
        pronouns = self.t.segment.person_pronouns
        return any(words[k] in pronouns for k in range(s.tok_start, s.tok_end))

    @staticmethod
    def _other_people(b: Builder, totals: list[CountMention], others: list[CountMention]) -> bool:
        """Whether new counts are people other than the incident's: another nationality
        ("a Chinese broker and eight North Koreans"), or a group after one person ("the
        driver ... all six were handed over"), or one person after a group."""
        for c in [*totals, *others]:
            if c.nationality and b.nationality and c.nationality != b.nationality:
                return True
        if b.total is None:
            return False
        one = b.total.value == 1
        if one and any(c.value > 1 for c in totals):
            return True
        # "handed over with two other women"
        return one and any(c.value > 1 and c.category in ("women", "men") for c in others)

    @staticmethod
    def _another_account(
        b: Builder,
        s: Sentence,
        totals: list[CountMention],
        facts: list[EventMention],
        dated: list[DateMention],
        in_scope: bool,
    ) -> bool:
        """ "She said 15 people had been staying at the house ... and that all of them were
        taken away": a near figure for the same kind of event, with no place or date of
        its own, is another account of the group already told (its first figure stays)."""
        return (
            in_scope
            and b.total is not None
            and bool(totals)
            and _close(b.total, totals)
            and not dated
            and not [p for p in s.places if not p.locator and not Segmenter._is_source(s, p.start)]
            and bool(facts)
        )

    def _share_arrest(self, doc: Doc, b: Builder, s: Sentence) -> None:
        arrests = [e for e in s.events if e.modality == "fact" and e.type == "arrest"]
        if arrests:
            self._attach(doc, b, s, [], arrests, [], shared=True)

    def _split_companions(
        self,
        doc: Doc,
        builders: list[Builder],
        group: Builder,
        s: Sentence,
        singles: list[CountMention],
        facts: list[EventMention],
        pending: list[EventMention],
    ) -> None:
        """ "Police arrested a Chinese broker and eight North Koreans": the person of
        another nationality is an incident of its own, sharing the sentence's events."""
        for c in singles:
            if c.nationality and group.nationality and c.nationality != group.nationality:
                b = self._new(builders, s)
                self._attach(doc, b, s, [c], facts, pending)

    @staticmethod
    def _leaves_destination_open(words: list[str], s: Sentence) -> bool:
        """ "It is not clear whether Vietnam will send them to China": the next move of
        the group is an open question, so no destination is pending."""
        span = words[s.tok_start : s.tok_end]
        if "whether" not in span:
            return False
        return any(w in _MOVE_VERBS for w in span[span.index("whether") :])

    @staticmethod
    def _new(builders: list[Builder], s: Sentence, separated: bool = False) -> Builder:
        b = Builder(first_sentence=s.index, last_paragraph=s.paragraph, only_title=s.title)
        b.background = separated and bool(builders)
        builders.append(b)
        return b

    def _attach_context(self, doc: Doc, b: Builder, c: Sentence, facts: list[EventMention]) -> None:
        """Dates, nationality, the count and places of a scene-setting sentence before an
        event ("Six North Koreans had been hiding in a flat in Tumen. Police arrested them
        there.")."""
        totals = [x for x in c.counts if x.category == "total" and not (x.aggregate or x.single)]
        if b.total is None and len(totals) == 1 and not self._is_source(c, totals[0].start):
            b.total = totals[0]
            b.ev("victims.total", (totals[0].start, totals[0].phrase_end), c.title)
        for g in c.groups:
            if g.nationality and b.nationality is None and not self._is_source(c, g.start):
                b.nationality = g.nationality
                b.ev("victims.nationality", g.nationality_span, c.title)
        plain = [d for d in c.dates if not d.since and not d.speech]
        if plain:
            b.context_date = plain[0]
        event_role = self.t.places.event_roles.get(facts[0].type, "other")
        words = lower_words(doc)
        for f in c.facilities:
            # "First she was at the police station in Linjiang. Now she has been sent back."
            b.facilities.append(f) if all(x.name != f.name for x in b.facilities) else None
            b.ev(f"facility:{f.name}", (f.start, f.end), c.title)
            if self._facility_role(c, f) == "detention" and "detention" not in b.events:
                b.events["detention"] = EventAcc("detention")
                b.ev("event_types.detention", (f.start, f.end), c.title)
        for p in c.places:
            if p.locator or p.kind == "country" or not self._governed(words, c, p):
                continue
            own = self._role(doc, c, p)
            key, added = b.add_place(p, own if own != "other" else event_role, c.title)
            if added:
                b.pending_places.append((facts[0].type, key))

    def _document_nationality(self, sentences: list[Sentence]) -> tuple[str, Span] | None:
        """The nationality the text gives its victims most often ("North Koreans"), for
        an incident whose own sentences name none."""
        seen: dict[str, list[Span]] = {}
        for s in sentences:
            for g in s.groups:
                if g.nationality and g.nationality_span and not self._is_source(s, g.start):
                    seen.setdefault(g.nationality, []).append(g.nationality_span)
        if not seen:
            return None
        code = max(seen, key=lambda c: (len(seen[c]), -seen[c][0][0]))
        return code, seen[code][0]

    def _attach(
        self,
        doc: Doc,
        b: Builder,
        s: Sentence,
        counts: list[CountMention],
        facts: list[EventMention],
        pending: list[EventMention],
        *,
        shared: bool = False,
        stated: list[CountMention] | None = None,
    ) -> None:
        title = s.title
        if not title:
            b.only_title = False
        b.last_paragraph = max(b.last_paragraph, s.paragraph)
        words = lower_words(doc)
        # Lists of people ("three men and three women") decide parts as a whole; their
        # items are not read one by one.
        mine = {c.first for c in counts}
        every = {c.first for c in s.counts}
        lists = [
            lst
            for lst in s.enumerations
            if not shared
            and (
                any(lst.first <= k < lst.last for k in mine)
                or not any(lst.first <= k < lst.last for k in every)
            )
        ]
        if lists:
            counts = [
                c for c in counts if not any(lst.first <= c.first < lst.last for lst in lists)
            ]
        for lst in lists:
            self._apply_list(b, lst, title, stated or [], words)
        for c in counts:
            if c.single:
                if b.total is None and (facts or pending):
                    b.total, b.total_title = c, title
                    b.ev("victims.total", (c.start, c.phrase_end), title)
                    for part in self._single_parts(c):
                        b.parts.setdefault(part, c)
                        b.ev(f"victims.{part}", (c.start, c.phrase_end), title)
                elif (
                    c.member
                    and b.total is not None
                    and b.total.value > 1
                    and c.category in ("minors", "adults")
                    and c.category not in b.parts
                ):
                    # "Seven North Koreans, among them a 15-year-old boy": one member.
                    b.parts[c.category] = c
                    b.ev(f"victims.{c.category}", (c.start, c.phrase_end), title)
                continue
            if c.category == "total":
                if b.total is None or (b.total_title and not title):
                    b.total, b.total_title = c, title
                    b.evidence.pop("victims.total", None)
                if b.total is not None and b.total.value == c.value:
                    b.ev("victims.total", (c.start, c.end), title)
            elif c.category not in b.parts:
                if b.total is not None and c.value > b.total.value and not b.total_title:
                    continue  # a part cannot exceed the whole; another group's figure
                b.parts[c.category] = c
                b.ev(f"victims.{c.category}", (c.start, c.end), title)
            if c.category == "minors" and c.value > 0:
                b.minors_spans.append((c.start, c.phrase_end))
            if c.nationality and b.nationality is None:
                b.nationality = c.nationality
            if c.nationality and c.nationality == b.nationality:
                b.ev("victims.nationality", c.nationality_span, title)
        sentence_parts = [c for c in counts if not c.single and c.category != "total"]
        if b.total is None and len(sentence_parts) == 1 and len(counts) == 1 and (facts or pending):
            # "Five North Korean women were arrested": the part is the whole group.
            c = sentence_parts[0]
            b.total, b.total_title = c, title
            b.ev("victims.total", (c.start, c.end), title)
        total = b.total
        if (
            total is not None
            and not total.single
            and total.ages is not None
            and total.ages not in b.parts
        ):
            # "Five women, aged between 19 and 42": every member's age is given.
            b.parts[total.ages] = total
            b.ev(f"victims.{total.ages}", (total.start, total.end), title)
        if (
            total is not None
            and "adults" not in b.parts
            and self._adult_decade(words, s, total.value)
        ):
            # "The men, both in their thirties": the group's members are adults.
            b.parts["adults"] = total
            b.ev("victims.adults", self._total_span(b), title)
        if total is not None and total.value > 1:
            gender = self._gendered_reference(words, s)
            if gender is not None and "women" not in b.parts and "men" not in b.parts:
                # "The men, both in their thirties, ...": the whole group is named by sex.
                b.parts[gender] = total
                b.ev(f"victims.{gender}", self._total_span(b), title)
        for g in s.groups:
            if g.nationality and b.nationality is None and not self._is_source(s, g.start):
                b.nationality = g.nationality
                b.ev("victims.nationality", g.nationality_span, title)
            if g.category == "minors":
                b.minors_spans.append((g.start, g.end))
        for e in facts:
            if e.type == "border_crossing" and self._crossing_in_passing(s, e):
                continue
            acc = b.events.get(e.type)
            if acc is None:
                acc = b.events[e.type] = EventAcc(e.type)
            b.ev(f"event_types.{e.type}", (e.start, e.end), title)
            for etype, key in b.pending_places:
                if etype == e.type and key not in acc.places:
                    acc.places.append(key)
            if acc.when is None:
                date = self._date_for(s, e)
                if date is None and b.context_date is not None:
                    date = b.context_date.when, b.context_date
                    b.context_date = None
                if date is not None:
                    acc.when = date[0]
                    acc.spoken = date[1].speech
                    b.dates.append(date[0])
                    b.ev(f"events.{e.type}.when", (date[1].start, date[1].end), title)
            elif (acc.when.start != acc.when.end or acc.when.precision == "month") and not title:
                # "arrested ... this week" then "On Monday, officers arrested six": a day
                # inside the range the event had is the more precise date of the same event.
                date = self._date_for(s, e)
                if date is not None and _narrows(date[0], acc.when):
                    acc.when = date[0]
                    b.dates.append(date[0])
                    b.evidence[f"events.{e.type}.when"] = Evidence(
                        body=(date[1].start, date[1].end)
                    )
            if (
                e.destination
                and e.type in ("repatriation", "deportation", "release")
                and b.destination is None
            ):
                b.destination = e.destination
                b.ev("destination_country", e.destination_span, title)
            if e.type in ("repatriation", "release", "deportation"):
                if e.completion_span is not None:
                    b.ev("status.completed." + e.type, e.completion_span, title)
                b.ev("status." + e.type, (e.start, e.end), title)
        for e in pending:
            if e.type in ("repatriation", "deportation", "transfer") and (
                b.pending is None or (b.pending.type == "transfer" and e.type != "transfer")
            ):
                b.pending = e  # a return or deportation ahead says more than a transfer
        for f in s.facilities:
            b.facilities.append(f) if all(x.name != f.name for x in b.facilities) else None
            b.ev(f"facility:{f.name}", (f.start, f.end), title)
            if self._facility_role(s, f) == "detention" and "detention" not in b.events:
                # "spent two weeks in the detention centre in X", "all seven are in a
                # police station in Y": being in a custodial facility is detention.
                b.events["detention"] = EventAcc("detention")
                b.ev("event_types.detention", (f.start, f.end), title)
        for p in s.places:
            if p.locator or self._is_source(s, p.start):
                continue
            role = self._role(doc, s, p)
            if p.kind == "country" and role not in ("arrest", "detention", "transit"):
                continue
            key, _ = b.add_place(p, role, title)
            for etype, roles in _EVENT_ROLES.items():
                if role in roles and etype in b.events and key not in b.events[etype].places:
                    b.events[etype].places.append(key)
        b.context_date = None  # the scene-setting date dates the first sentence's events only
        if shared:
            return
        if facts and "detention" in b.events:
            self._held_where_arrested(words, b, s, title)
        b.anonymity.extend(s.anonymity)
        for src in s.sources:
            if all(x.text != src.text for x in b.sources):
                b.sources.append(src)
                b.ev(f"source:{src.text}", (src.start, src.end), title)
        if any(e.type == "arrest" for e in facts) and self._with_others(words, s):
            b.co_arrest = s
        if self._leaves_destination_open(words, s):
            b.destination_open = True
        self._count_pronouns(words, b, s)

    def _count_pronouns(self, words: list[str], b: Builder, s: Sentence) -> None:
        # Counted in C over the sentence's slice; a word in both tables counts as male.
        within = words[s.tok_start : s.tok_end]
        b.male += sum(map(self._male.__contains__, within))
        b.female += sum(map(self._female_only.__contains__, within))

    @staticmethod
    def _crossing_in_passing(s: Sentence, e: EventMention) -> bool:
        """ "picked up eleven North Koreans who had walked across the border", "arrested
        ... after crossing the Mekong": a crossing told in passing, undated, is how the
        people came, not a step of the incident (one told in its own clause or dated is)."""
        before = s.words[max(s.tok_start, e.tok_start - 2) : e.tok_start]
        if not any(w in _IN_PASSING for w in before):
            return False
        return not any(
            not d.since and not d.speech and e.tok_end <= d.tok_start <= e.tok_end + 8
            for d in s.dates
        )

    @staticmethod
    def _facility_role(s: Sentence, f: FacilityMention) -> str:
        """The role of a facility's place: "arrested ... at a guesthouse in Tachilek" is
        where the arrest was; "expected to be transferred to the detention centre in
        Dandong" is not (yet) where anyone is held."""
        before = [
            e
            for e in s.events
            if e.modality == "fact" and e.tok_end <= f.tok_start and f.tok_start - e.tok_end <= 10
        ]
        if before and before[-1].type == "arrest":
            return "arrest"
        if f.role == "detention" and not Segmenter._custodial(s, f):
            return "other"
        return f.role

    @staticmethod
    def _custodial(s: Sentence, f: FacilityMention) -> bool:
        """Whether being in facility ``f`` is asserted: no denied or possible event stands
        just before it ("denied ... had been deported, saying the group remained in the
        detention centre" holds the group there)."""
        start = max(s.tok_start, f.tok_start - 8)
        hedged = any(w in _HEDGES for w in s.words[start : f.tok_start])
        return not hedged and not any(
            e.modality in ("negated", "hypothetical", "generic", "pending")
            and e.tok_end <= f.tok_start
            and f.tok_start - e.tok_end < 8
            for e in s.events
        )

    @staticmethod
    def _with_others(words: list[str], s: Sentence) -> bool:
        """ "arrested the man and his passengers": the sentence names other people caught
        with the incident's."""
        for g in s.groups:
            k = g.tok_start
            before = words[max(s.tok_start, k - 2) : k]
            if before[-1:] in (["and"], ["with"]) or (
                len(before) == 2
                and before[0] in ("and", "with")
                and before[1] in ("his", "her", "their", "the")
            ):
                return True
        return False

    def _back_reference(self, words: list[str], s: Sentence) -> bool:
        """Whether the sentence places its event by pointing back ("there", "in the same
        town"), not where "there" opens a clause ("there were six") or is an origin."""
        seg = self.t.segment
        k = s.tok_start
        while True:
            hit = self.place_back_refs.find(words, k, s.tok_end)
            if hit is None:
                return False
            i, n, _ = hit
            opens = i == s.tok_start and words[i + 1 : i + 2] != [","]  # "There, police ..."
            if n > 1 or not (
                (i > s.tok_start and words[i - 1] in seg.not_place_there_before)
                or opens
                or (i + 1 < s.tok_end and words[i + 1] in seg.not_place_there_after)
            ):
                return True
            k = i + n

    def _arrest_place_by_reference(
        self, doc: Doc, words: list[str], b: Builder, s: Sentence, sentences: list[Sentence]
    ) -> None:
        """ "Six North Koreans had been hiding in a flat in Tumen. Police arrested them
        there.": an arrest told without a place of its own, placed by a back reference, took
        place at the last town named before it (in the same or the paragraph before)."""
        if any(k[1] == "arrest" for k in b.places) or any(p.kind != "country" for p in s.places):
            return
        if not self._back_reference(words, s):
            return
        for c in reversed(sentences[: s.index]):
            if c.paragraph < s.paragraph - 1:
                return
            for p in reversed(c.places):
                if p.locator or p.kind in ("country", "province") or p.country == "KP":
                    continue
                if p.country in self.t.places.safe_countries:
                    continue  # "a church worker in Seoul said": where the news came from
                if self._role(doc, c, p) in ("origin", "destination", "transit", "handover"):
                    continue
                key, _ = b.add_place(p, "arrest", c.title)
                acc = b.events.get("arrest")
                if acc is not None and key not in acc.places:
                    acc.places.append(key)
                return

    def _held_where_arrested(self, words: list[str], b: Builder, s: Sentence, title: bool) -> None:
        """ "held in detention centres in the cities where they were arrested": the places
        of the arrest are the places of detention."""
        refs = self.arrest_place_refs
        if any(not p.locator for p in s.places) or refs.find(words, s.tok_start, s.tok_end) is None:
            return
        for key in [k for k in b.place_order if k[1] == "arrest"]:
            det, _ = b.add_place(b.places[key], "detention", title)
            if det not in b.events["detention"].places:
                b.events["detention"].places.append(det)

    def _apply_list(
        self,
        b: Builder,
        e: Enumeration,
        title: bool,
        stated: list[CountMention],
        words: list[str],
    ) -> None:
        """The parts a list of people decides ("three men and three women"), and its sum
        as the total where the text states that number too ("a family of five ... two
        parents, a grandmother and two children")."""
        for category, value, start, end, phrase_end in e.parts:
            if category in b.parts:
                continue
            if b.total is not None and value > b.total.value and not b.total_title:
                continue
            b.parts[category] = CountMention(
                start,
                end,
                e.first,
                e.last,
                end,
                value,
                value,
                value,
                "exact",
                category,
                None,
                None,
                aggregate=False,
                single=False,
            )
            b.ev(f"victims.{category}", (start, end), title)
            if category == "minors" and value > 0:
                b.minors_spans.append((start, phrase_end))
        if b.total is None and not e.inclusive:
            # The nearest count before the list that states its sum ("a family of five").
            k = bisect.bisect_left(stated, e.start, key=lambda c: c.start)
            same = [c for c in stated[max(0, k - _LIST_REACH) : k] if c.value == e.total]
            if not same:
                # Or the first count after it, near it, that states the sum ("a woman, her
                # two sons and a cousin were taken ... The four were held in Tumen").
                k = bisect.bisect_left(stated, e.end, key=lambda c: c.start)
                same = [
                    c
                    for c in stated[k : k + _LIST_REACH]
                    if c.value == e.total
                    and c.start - e.end <= _LIST_AFTER_CHARS
                    # "the four", "all four": the list's people again, not another group.
                    and c.first > 0
                    and words[c.first - 1] in ("the", "all")
                ][:1]
            if same:
                c = same[-1]
                b.total, b.total_title = c, False
                b.ev("victims.total", (c.start, c.end), False)

    @staticmethod
    def _another_group(
        b: Builder, parts: list[CountMention], facts: list[EventMention], dated: list[DateMention]
    ) -> bool:
        """ "On Monday, officers arrested six ... On Wednesday, two women were arrested":
        a count of a part the incident already holds with another value, or the same kind
        of event on another day, is another group."""
        if any(c.category in b.parts and b.parts[c.category].value != c.value for c in parts):
            return True
        days = {
            d.when.start for d in dated if d.when.precision == "day" and d.when.start == d.when.end
        }
        for e in facts:
            acc = b.events.get(e.type)
            when = acc.when if acc is not None else None
            if (
                when is not None
                and when.precision == "day"
                and when.start == when.end
                and days
                and when.start not in days
            ):
                return True
        return False

    def _earlier_person(self, b: Builder, sentences: list[Sentence], words: list[str]) -> None:
        """ "... the expulsion of a North Korean man ... The man was arrested in October",
        "The interviewee, a woman referred to here as Ms. K ... She worked on a farm until
        police arrested her": an incident that opens on "The man" or "She" is about the
        one person a sentence shortly before introduced, so that person is its count."""
        first = sentences[b.first_sentence]
        k = self._subject_positions(words, first)[0]
        if k >= first.tok_end:
            return
        category: str | None = None
        reach = 3
        if words[k] == "the" and k + 1 < first.tok_end:
            category = _LONE_PERSONS.get(words[k + 1])
        if category is None:
            # "She worked on a farm until police arrested her", "officers stopped him":
            # the first pronoun of one person in the sentence.
            pronoun = next(
                (
                    words[j]
                    for j in range(first.tok_start, first.tok_end)
                    if words[j] in _LONE_PRONOUNS
                ),
                None,
            )
            category = _LONE_PRONOUNS.get(pronoun or "")
            reach = 8
        if category is None:
            return
        for s in reversed(sentences[max(0, b.first_sentence - reach) : b.first_sentence]):
            lone = [
                c
                for c in [*s.counts, *s.persons]
                if c.single and not c.aggregate and c.category == category and c.value == 1
            ]
            if lone:
                c = lone[-1]
                b.total, b.total_title = c, s.title
                b.ev("victims.total", (c.start, c.phrase_end), s.title)
                for part in Segmenter._single_parts(c):
                    b.parts.setdefault(part, c)
                    b.ev(f"victims.{part}", (c.start, c.phrase_end), s.title)
                if c.nationality and b.nationality is None:
                    b.nationality = c.nationality
                    b.ev("victims.nationality", c.nationality_span, s.title)
                return

    @staticmethod
    def _resolve_later(s: Sentence, last: When | None, just_before: When | None = None) -> None:
        """ "Two days later, they were moved": dated from the date before it in the
        sentence ("caught last Thursday and returned two days later"), else from the date
        the sentence just before told ("They reached Qingdao on May 28. Two days later
        ..."), else from the incident's last date. "The same night" is the night of the
        act told before, so it skips the sentence before."""
        for d in s.later_dates:
            assert d.after is not None
            before = [x for x in s.dates if x.end <= d.start and not x.since and not x.speech]
            moves_on = d.after != ("day", 0) and d.after != ("month", 0)
            ref = (
                before[-1].when
                if before
                else (just_before if just_before is not None and moves_on else last)
            )
            if ref is None:
                continue
            when = resolve_after(ref, d.after)
            if when is not None:
                s.dates.append(
                    DateMention(d.start, d.end, d.tok_start, d.tok_end, when, True, False, False)
                )
        s.later_dates = []

    @staticmethod
    def _single_parts(c: CountMention) -> list[str]:
        """The parts one person counts for: "a North Korean woman" is a woman and an adult
        (the corpus convention), "a 15-year-old boy" a minor, "a 25-year-old" an adult."""
        if c.category in ("women", "men"):
            return [c.category, "adults"]
        if c.category in ("minors", "adults"):
            return [c.category]
        return []

    @staticmethod
    def _total_span(b: Builder) -> Span:
        e = b.evidence.get("victims.total")
        best = e.best() if e is not None else None
        if best is not None:
            return best
        assert b.total is not None
        return (b.total.start, b.total.end)

    def _adult_decade(self, words: list[str], s: Sentence, total: int) -> bool:
        """ "in their thirties" (a group), "in her fifties" (one person), "aged 34 and 41",
        said of the group itself: right after its count or after the words that open the
        sentence on it ("The men, both in their thirties"); "two women in their twenties and
        two girls" says it of some members only."""
        decades = self.t.counts.adult_decades
        owner = "their" if total > 1 else ("his", "her")
        ends = [c.last for c in s.counts if c.value == total]
        ends += [
            k + 2
            for k in self._subject_positions(words, s)
            if k + 1 < s.tok_end and words[k] == "the"
        ]
        for end in ends:
            k = end
            if k < s.tok_end and words[k] == ",":
                k += 1
            if k < s.tok_end and words[k] in ("both", "all"):
                k += 1
            if (
                k + 2 < s.tok_end
                and words[k] == "in"
                and words[k + 1] in owner
                and words[k + 2] in decades
            ):
                return True
            if k < s.tok_end and words[k] in self.t.counts.age_words:
                ages: list[int] = []
                for w in words[k + 1 : min(s.tok_end, k + 9)]:
                    if w.isdigit() or w in self.t.counts.number_words:
                        ages.append(int(w) if w.isdigit() else self.t.counts.number_words[w])
                    elif w not in ("between", "and", "to", "-", "–"):
                        break  # "aged 34 and 41, were held for three weeks"
                if ages and min(ages) >= self.t.counts.adult_age:
                    return True
        return False

    def _gendered_reference(self, words: list[str], s: Sentence) -> str | None:
        """ "The men, ..." / "The women were ..." opening a sentence (or after "show
        that"): the group by sex."""
        for k in self._subject_positions(words, s):
            found = self._gender_at(words, s, k)
            if found is not None:
                return found
        return None

    @staticmethod
    def _gender_at(words: list[str], s: Sentence, k: int) -> str | None:
        if (
            k + 2 < s.tok_end
            and words[k] == "the"
            and words[k + 1] in ("men", "women")
            and words[k + 2] in (",", "were", "are", "had", "have")
        ):
            return words[k + 1]
        return None

    @staticmethod
    def _is_source(s: Sentence, pos: int) -> bool:
        return any(src.start <= pos < src.end for src in s.sources)

    @staticmethod
    def _date_for(s: Sentence, e: EventMention) -> tuple[When, DateMention] | None:
        plain = [d for d in s.dates if not d.since and not d.speech]
        if e.type == "detention":
            # "held at a detention facility in Dandong since mid-September": when the
            # group's detention began (a year alone, "since 2020", opens a statistic).
            plain += [
                d
                for d in s.dates
                if d.since
                and d.when.precision != "year"
                and e.tok_end <= d.tok_start <= e.tok_end + 10
                and s.words[d.tok_start - 1] == "since"
            ]
        if plain:
            # A date between this event and the next one is this event's ("caught them
            # last Thursday and returned them two days later"); else the nearest.
            nxt = min(
                (x.tok_start for x in s.events if x.tok_start >= e.tok_end),
                default=s.tok_end,
            )
            nxt_fact = min(
                (
                    x.tok_start
                    for x in s.events
                    if x.tok_start >= e.tok_end and x.modality == "fact" and x.type != e.type
                ),
                default=s.tok_end,
            )
            following = [d for d in plain if e.tok_end <= d.tok_start < nxt]
            if following and any(d.tok_end <= e.tok_start for d in plain):
                d = following[0]
            else:
                # A date after the next event is that event's ("detained in X and deported
                # earlier this month"), unless nothing else dates this one.
                own = [d for d in plain if d.tok_start < nxt_fact] or (
                    plain if nxt_fact == s.tok_end else []
                )
                if not own:
                    return None
                d = min(own, key=lambda d: abs(d.tok_start - e.tok_start))
            return d.when, d
        spoken = [d for d in s.dates if d.speech and not d.since]
        if spoken:
            # "told Daily NK on July 25 that the repatriation ... was completed": the event
            # happened by then; the day is the telling's, so only the month is kept.
            d = spoken[0]
            if d.when.precision == "day":
                m = d.when.start[:7]
                return When(m, m, "month"), d
            return d.when, d
        return None

    def _definite(self, words: list[str], k: int) -> bool:
        """Whether the group noun at ``k`` is not a bare plural newly named ("arrested North
        Korean workers"): a determiner stands before it ("the women", "a Chinese farmer")."""
        marks = self.t.segment.definite_group_markers
        return any(w in marks for w in words[max(0, k - 3) : k])

    def _describes_a_teller(self, words: list[str], s: Sentence, p: PlaceMention) -> bool:
        """ "a shelter worker in Chiang Rai who met the group", "a group based in Seoul", "a
        woman in Seoul whose sister was taken": the town says where the teller is, not where
        an act was ("six North Korean workers in Dandong were arrested" stays an arrest
        there)."""
        k = p.tok_start
        seg = self.t.segment
        if k - 3 < s.tok_start or words[k - 1] not in seg.describer_preps:
            return False
        noun = words[k - 2]
        if noun in seg.describer_places:
            return True  # "a group based in Seoul"
        # One indefinite teller with a clause of its own right after the town ("a shelter
        # worker in Chiang Rai who met the group", "a woman in Seoul whose sister ...").
        after = words[p.tok_end : p.tok_end + 2]
        return (
            (noun in seg.describer_nouns or noun in _LONE_PERSONS)
            and any(w in seg.describer_relatives for w in after)
            and any(w in seg.describer_articles for w in words[max(s.tok_start, k - 5) : k - 2])
        )

    def _role(self, doc: Doc, s: Sentence, p: PlaceMention) -> str:
        words = lower_words(doc)
        for f in s.facilities:
            if f.tok_start <= p.tok_start < f.tok_end:
                return self._facility_role(s, f)
        cues = self.t.places.role_cues
        for n in (4, 3, 2, 1):
            lo = p.tok_start - n
            if lo >= s.tok_start:
                phrase = " ".join(words[lo : p.tok_start])
                if phrase in cues:
                    return cues[phrase]
        if not self._governed(words, s, p):
            return "other"  # a subject ("China repatriated ...") is an actor, not a place
        if self._describes_a_teller(words, s, p):
            return "other"
        usable = [
            e
            for e in s.events
            if e.modality in ("fact", "pending", "nominal")
            # "detention" in "the border detention centre" names the facility, not an act.
            and not any(f.tok_start <= e.tok_start < f.tok_end for f in s.facilities)
        ]
        prev = words[p.tok_start - 1] if p.tok_start > 0 else ""
        inside = [e for e in usable if e.tok_start < p.tok_start and p.tok_end <= e.tok_end]
        if inside:
            # "put on a flight to Pyongyang": the place ends the move.
            e = inside[0]
            if e.type in ("repatriation", "deportation") and prev in ("to", "into"):
                return "destination"
            return self.t.places.event_roles.get(e.type, "other")
        before = [
            e
            for e in usable
            if e.tok_end <= p.tok_start and p.tok_start - e.tok_end <= _ROLE_DISTANCE
        ]
        if before:
            e = before[-1]
            if e.type in ("repatriation", "deportation", "transfer") and prev in ("to", "into"):
                return "destination" if e.type != "transfer" else "transit"
            if prev in ("to", "into", "toward", "towards"):
                return "other"  # "held in Tumen ... across the bridge to Namyang"
            return self.t.places.event_roles.get(e.type, "other")
        after = [e for e in usable if e.tok_start >= p.tok_end and e.tok_start - p.tok_end <= 6]
        if after:
            return self.t.places.event_roles.get(after[0].type, "other")
        far = [e for e in usable if e.tok_end <= p.tok_start and e.modality == "fact"]
        if far and prev in _LOCATIVE and len({e.type for e in far}) == 1:
            # "arrested five North Koreans on September 14, shortly after they came ashore
            # ... near Chiang Saen": the one act the sentence tells happened there.
            return self.t.places.event_roles.get(far[-1].type, "other")
        return "other"

    @staticmethod
    def _governed(words: list[str], s: Sentence, p: PlaceMention) -> bool:
        """Whether a preposition (or a list that starts with one) introduces the place."""
        k = p.tok_start - 1
        while k >= s.tok_start:
            w = words[k]
            if w in _PLACE_PREPS:
                return True
            if w in ("the", ",", "and", "or", "’s", "'s") or any(
                q.tok_end == k + 1 for q in s.places
            ):
                k -= 1
                continue
            if any(q.tok_start <= k < q.tok_end for q in s.places):
                k -= 1
                continue
            return False
        return False

    # -- output ----------------------------------------------------------------------------

    def _finish(self, b: Builder, text: str) -> Incident:
        evidence: list[tuple[str, tuple[Span, ...]]] = []

        def put(key: str, src: str) -> None:
            e = b.evidence.get(src)
            if e is not None and e.best() is not None:
                evidence.append((key, (e.best(),)))  # type: ignore[arg-type]

        total = None
        if b.total is not None:
            c = b.total
            total = Count(c.value, c.min, c.max, c.qualifier)
            put("victims.total", "victims.total")
        victims = Victims(
            nationality=b.nationality,
            total=total,
            adults=b.parts["adults"].value if "adults" in b.parts else None,
            minors=b.parts["minors"].value if "minors" in b.parts else None,
            women=b.parts["women"].value if "women" in b.parts else None,
            men=b.parts["men"].value if "men" in b.parts else None,
        )
        for part in ("adults", "minors", "women", "men"):
            if part in b.parts:
                put(f"victims.{part}", f"victims.{part}")
        if b.nationality:
            put("victims.nationality", "victims.nationality")
        # Places: countries only where nothing more precise has the same role.
        keys = [
            k
            for k in b.place_order
            if not (
                b.places[k].kind == "country"
                and any(o[1] == k[1] and b.places[o].kind != "country" for o in b.place_order)
            )
            and not self._coarser_than(b, k)
        ]
        keys.sort(key=lambda k: self._first_span(b, f"place:{k[0]}:{k[1]}"))
        places: list[PlaceRef] = []
        for idx, k in enumerate(keys):
            p = b.places[k]
            places.append(
                PlaceRef(
                    p.written or p.name,
                    k[1],
                    p.kind,
                    p.country,
                    p.admin1,
                    p.lat,
                    p.lon,
                    p.precision,
                    p.place_id,
                    p.name if p.written else None,
                )
            )
            put(f"places.{idx}", f"place:{k[0]}:{k[1]}")
        facilities: list[Facility] = []
        for idx, f in enumerate(b.facilities):
            facilities.append(Facility(f.name, f.place.name if f.place else None))
            put(f"facilities.{idx}", f"facility:{f.name}")
        # Events in the order they happen to a group.
        types = [t for t in LIFECYCLE if t in b.events and not self._background_step(b, t)]
        whens: dict[str, When | None] = {t: b.events[t].when for t in types}
        det = whens.get("detention")
        if det is not None:
            later = [whens[t] for t in _LATER if whens.get(t) is not None]
            later_ok = [
                w
                for w in later
                if w is not None
                and _cut(w.start, _coarsest(w, det)) >= _cut(det.start, _coarsest(w, det))
            ]
            if later_ok:
                # Detention lasts until the group is moved, returned or freed.
                whens["detention"] = _span_when(det, later_ok[0])
        events: list[Event] = []
        for t in types:
            idxs = tuple(keys.index(k) for k in b.events[t].places if k in keys)
            events.append(Event(t, tuple(sorted(set(idxs))), whens[t]))
            put(f"event_types.{t}", f"event_types.{t}")
        for i, t in enumerate(types):
            if whens[t] is not None:
                put(f"events.{i}.when", f"events.{t}.when")
        dated = self._precise_enough(b, [(t, w) for t, w in whens.items() if w is not None])
        when: When | None = None
        if dated:
            prec = _coarsest(*(w for _, w in dated))
            # The period runs from the first dated event to the last, each end at the
            # precision the text gives it. At a tie (at their shared precision) the earlier
            # step starts it and the later one ends it; within one step the start takes the
            # vaguer date (the group may have been caught before the day another event
            # names) and the end the more precise one (the day the last step is dated).
            # At a tie, an earlier step of the custody path starts it ("arrested on March 3
            # ... moved at the end of the month" starts on March 3).
            start_t, start_w = min(
                dated,
                key=lambda tw: (
                    _cut(tw[1].start, prec),
                    _STEP_ORDER.get(tw[0], len(_STEP_ORDER)),
                    _PRECISION_RANK[_start_precision(tw[1])],
                ),
            )
            ends = self._capped_ends(dated)
            end_t = max(
                reversed([t for t, _ in dated]),
                key=lambda t: (
                    _cut(ends[t][0], prec),
                    _STEP_ORDER.get(t, -1),
                    _PRECISION_RANK[ends[t][1]],
                ),
            )
            start_p, (end, end_p) = _start_precision(start_w), ends[end_t]
            mixed = start_p != end_p
            when = When(
                start_w.start,
                end,
                min((start_p, end_p), key=lambda p: _PRECISION_RANK[p]),
                start_p if mixed else None,
                end_p if mixed else None,
            )
            put("when.start", f"events.{start_t}.when")
            put("when.end", f"events.{end_t}.when")
        # Status: the furthest step the text says happened.
        status = "unknown"
        status_key = None
        if "repatriation" in b.events:
            status, status_key = "repatriated", "status.repatriation"
        elif "release" in b.events:
            status, status_key = "released", "status.release"
        elif b.pending is not None and b.pending.type == "repatriation":
            status = "repatriation_pending"
            b.ev("status.pending", (b.pending.start, b.pending.end), False)
            status_key = "status.pending"
        elif "deportation" in b.events:
            # Sent on to a third country: what became of them there is not told.
            status, status_key = "unknown", "status.deportation"
        elif "detention" in b.events or "transfer" in b.events:
            status, status_key = (
                "detained",
                ("event_types.detention" if "detention" in b.events else "event_types.transfer"),
            )
        elif "arrest" in b.events:
            status, status_key = "arrested", "event_types.arrest"
        if status_key:
            completed = status_key.replace("status.", "status.completed.")
            put("status", completed if completed in b.evidence else status_key)
        destination = b.destination
        returned = "repatriation" in b.events and b.nationality is not None
        if destination is None and b.destination_open and not returned:
            # "not clear whether Vietnam will send them to China": left open (a "whether"
            # after a completed return is about what comes next in North Korea).
            pass
        elif destination is not None:
            put("destination_country", "destination_country")
        elif returned:
            # Repatriation is return to the country of origin: the nationality names it.
            destination = b.nationality
            put("destination_country", "event_types.repatriation")
        elif b.pending is not None and (b.pending.destination or b.nationality):
            # Nothing completed: the move the text says is pending.
            if b.pending.destination:
                destination = b.pending.destination
                b.ev("destination.pending", b.pending.destination_span, False)
            elif b.pending.type == "repatriation":
                destination = b.nationality
                b.ev("destination.pending", (b.pending.start, b.pending.end), False)
            put("destination_country", "destination.pending")
        sources = []
        for idx, src in enumerate(b.sources):
            sources.append(SourceRef(src.text, src.anonymous, src.name, src.affiliation))
            put(f"sources.{idx}", f"source:{src.text}")
        if b.anonymity and not any(x.anonymous for x in sources):
            # The text withholds a source's identity ("asked not to be named").
            span = b.anonymity[0]
            sources.append(SourceRef(text[span[0] : span[1]], True, None, None))
            evidence.append((f"sources.{len(sources) - 1}", (span,)))
        return Incident(
            event_types=tuple(types),
            victims=victims,
            places=tuple(places),
            facilities=tuple(facilities),
            destination_country=destination,
            when=when,
            events=tuple(events),
            status=status,
            sources=tuple(sources),
            evidence=tuple(evidence),
        )

    @staticmethod
    def _background_step(b: Builder, t: str) -> bool:
        """A crossing told long before the arrest ("crossed the Yalu in the spring of 2016
        ... On 9 October 2017, police detained her") is the person's story, not a step of
        this incident; and an expulsion that is the return itself is no deportation."""
        if t == "deportation" and "repatriation" in b.events:
            return b.destination in (None, "KP")
        if t != "border_crossing":
            return False
        when = b.events[t].when
        custody = [
            acc.when for k, acc in b.events.items() if k in _CUSTODY and acc.when is not None
        ]
        if when is None or not custody:
            return False
        first = min(custody, key=lambda w: w.start)
        crossed = int(when.end[:4]) * 12 + (int(when.end[5:7]) if len(when.end) >= 7 else 12)
        caught = int(first.start[:4]) * 12 + (int(first.start[5:7]) if len(first.start) >= 7 else 1)
        return caught - crossed > _BACKGROUND_MONTHS

    @staticmethod
    def _coarser_than(b: Builder, k: tuple[str, str]) -> bool:
        """Whether place ``k`` is a province holding another place of the same role
        ("arrested ... in Yunnan" and "in Mengla county"): the finer one says where."""
        p = b.places[k]
        if p.kind != "province":
            return False
        return any(
            o[1] == k[1]
            and o != k
            and b.places[o].kind not in ("province", "country")
            and b.places[o].admin1 == p.admin1
            and b.places[o].country == p.country
            for o in b.place_order
        )

    @staticmethod
    def _capped_ends(dated: list[tuple[str, When]]) -> dict[str, tuple[str, str]]:
        """Each event's end (and its precision), cut where a later step of the custody
        path begins: "arrested last week and flown home on Friday" ends on Friday, not on
        Sunday."""
        ends: dict[str, tuple[str, str]] = {}
        for k, (t, w) in enumerate(dated):
            end, precision = w.end, _end_precision(w)
            for _, later in dated[k + 1 :]:
                p = _coarsest(w, later)
                begins = _cut(later.start, p)
                if _cut(w.start, p) <= begins < _cut(end, p):
                    end, precision = later.start, _start_precision(later)
            ends[t] = (end, precision)
        return ends

    @staticmethod
    def _precise_enough(b: Builder, dated: list[tuple[str, When]]) -> list[tuple[str, When]]:
        """The event dates that bound the incident: a month read from when a statement
        was made ("said on Monday that it had detained eight") gives way to a day the
        text gives for another event of that month."""
        out = []
        for t, w in dated:
            if b.events[t].spoken and any(
                o is not w
                and _PRECISION_RANK[o.precision] > _PRECISION_RANK[w.precision]
                and _cut(o.start, w.precision) >= w.start
                and _cut(o.end, w.precision) <= w.end
                for _, o in dated
            ):
                continue
            out.append((t, w))
        return out or dated

    @staticmethod
    def _first_span(b: Builder, key: str) -> int:
        e = b.evidence.get(key)
        best = e.best() if e else None
        return best[0] if best else 0
