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

from spacy.tokens import Doc

from refuge.extract.counts import CountMention, GroupMention
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
from refuge.extract.tokens import tokens_of

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
# Words before "a ..." that make one person a member of a group counted before.
_LONE_PERSONS = {"man": "men", "woman": "women", "boy": "minors", "girl": "minors"}
_ROLE_DISTANCE = 12
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


@dataclass
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


@dataclass
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


@dataclass
class EventAcc:
    type: str
    when: When | None = None
    places: list[tuple[str, str]] = field(default_factory=list)  # (place key, role)


@dataclass
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

    def ev(self, key: str, span: Span | None, title: bool) -> None:
        if span is None:
            return
        self.evidence.setdefault(key, Evidence()).add(span, title)


def _bucket(items: Sequence[object], starts: list[int], get_start: object) -> list[list[object]]:
    out: list[list[object]] = [[] for _ in starts]
    for item in items:
        pos = get_start(item)  # type: ignore[operator]
        k = bisect.bisect_right(starts, pos) - 1
        if k >= 0:
            out[k].append(item)
    return out


def _cut(value: str, precision: str) -> str:
    return value[: _PRECISION_LEN[precision]]


def _coarsest(*whens: When) -> str:
    return min((w.precision for w in whens), key=lambda p: _PRECISION_RANK[p])


def _span_when(a: When, b: When) -> When:
    p = _coarsest(a, b)
    start = min(_cut(a.start, p), _cut(b.start, p))
    end = max(_cut(a.end, p), _cut(b.end, p))
    return When(start, end, p)


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


class Segmenter:
    def __init__(self, tables: LanguageTables, tokenize: object) -> None:
        self.t = tables
        tok = tokenize  # the pipeline's tokenizer function
        self.separators = PhraseTable.of_set(tok, tables.segment.separation_markers)  # type: ignore[arg-type]

    # -- sentences -------------------------------------------------------------------------

    def sentences(self, doc: Doc, title_end: int) -> list[Sentence]:
        toks = tokens_of(doc)
        words = toks.words
        out: list[Sentence] = []
        bounds = sentence_bounds(doc)
        # Sentences holding a line break (which ends a paragraph), from the break positions.
        breaks: dict[int, int] = {}
        for k in toks.positions_where(w for w in toks.index if w.isspace() and "\n" in w):
            sent = toks.sentence_of(k)
            breaks[sent] = breaks.get(sent, 0) + 1
        separated = {toks.sentence_of(k) for k in toks.positions(self.separators.first_words)}
        paragraph = 0
        for index, (first, last) in enumerate(bounds):
            if any(not words[k].isspace() for k in range(first, last)):
                s = Sentence(
                    len(out),
                    toks.starts[first],
                    toks.end(last - 1),
                    first,
                    last,
                    paragraph,
                    toks.starts[first] < title_end,
                )
                s.separated = (
                    index in separated and self.separators.find_in(toks, first, last) is not None
                )
                out.append(s)
            if index in breaks:
                paragraph += 1
        starts = [s.start for s in out]
        ext = doc._
        for name, attr in (
            ("counts", "refuge_counts"),
            ("groups", "refuge_groups"),
            ("events", "refuge_events"),
            ("places", "refuge_places"),
            ("facilities", "refuge_facilities"),
            ("dates", "refuge_dates"),
            ("sources", "refuge_sources"),
        ):
            buckets = _bucket(getattr(ext, attr) or [], starts, lambda m: m.start)
            for s, items in zip(out, buckets, strict=True):
                setattr(s, name, items)
        for s in out:
            if any(d.after is not None for d in s.dates):
                s.later_dates = [d for d in s.dates if d.after is not None]
                s.dates = [d for d in s.dates if d.after is None]
        anon = [f for f in ext.refuge_flags or [] if f.flag == "source_anonymity"]
        for s, items in zip(out, _bucket(anon, starts, lambda m: m.start), strict=True):
            s.anonymity = [(f.start, f.end) for f in items]  # type: ignore[attr-defined]
        return out

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
        for s in sentences:
            counts = [c for c in s.counts if not c.aggregate]
            facts = [e for e in s.events if e.modality == "fact"]
            pending = [e for e in s.events if e.modality == "pending"]
            has_event = bool(facts or pending)
            dated = [d for d in s.dates if not d.since and not d.speech]
            conflict = current is not None and any(_conflicts(d.when, current.dates) for d in dated)
            separated = s.separated or conflict
            in_scope = current is not None and s.paragraph - current.last_paragraph <= 1
            target: Builder | None = None
            totals = [c for c in counts if c.category == "total" and not c.single]
            parts = [c for c in counts if c.category != "total" and not c.single]
            singles = [c for c in counts if c.single]
            if (
                current is not None
                and (parts or totals)
                and facts
                and self._another_group(current, [] if totals else parts, facts, dated)
            ):
                separated = True
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
                if same is not None:
                    target = same
                elif (
                    current is not None
                    and not totals
                    and not separated
                    and (in_scope or current.only_title)
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
                        and (
                            current.only_title
                            or (current.total is None and in_scope)
                            or s.paragraph == current.last_paragraph
                        )
                    ):
                        target = current
                    else:
                        target = self._new(builders, s, separated)
            elif has_event:
                victims_named = bool(s.groups or singles)
                context = (
                    prev
                    if prev is not None
                    and prev.index == s.index - 1
                    and prev.paragraph == s.paragraph
                    and not prev.events
                    and prev.groups
                    else None
                )
                if current is not None and in_scope and not separated and not s.title:
                    target = current
                elif current is None and facts and context is not None:
                    # "In May, eleven of us waited at a flat in X. Police raided it.":
                    # the sentence before sets the scene of the event.
                    target = self._new(builders, s, separated)
                    self._attach_context(doc, target, context, facts)
                elif (singles and facts) or (
                    victims_named
                    and facts
                    and (s.places or dated)
                    and (current is None or separated or not in_scope)
                ):
                    target = self._new(builders, s, separated)
            if target is None:
                prev = s
                if current is not None and in_scope:
                    # "The source asked not to be named": about the incident just told.
                    current.anonymity.extend(s.anonymity)
                    current.anonymity.extend((x.start, x.end) for x in s.sources if x.anonymous)
                continue
            current = target
            prev = None
            if s.later_dates:
                self._resolve_later(s, target.dates[-1] if target.dates else None)
            self._attach(doc, target, s, counts, facts, pending)
        incidents: list[Incident] = []
        minors_flags: list[SensitivityFlag] = []
        nationality = self._document_nationality(sentences)
        anonymity = next(
            (sp for s in sentences for sp in s.anonymity),
            next((x.start, x.end) for s in sentences for x in s.sources if x.anonymous)
            if any(x.anonymous for s in sentences for x in s.sources)
            else None,
        )
        words = lower_words(doc)
        for b in builders:
            if not b.events and b.pending is None:
                continue
            if b.total is None:
                self._earlier_person(b, sentences, words)
            if b.nationality is None and nationality is not None:
                b.nationality = nationality[0]
                b.ev("victims.nationality", nationality[1], False)
            if anonymity is not None and not b.background and not b.anonymity:
                b.anonymity.append(anonymity)
            incidents.append(self._finish(b, text))
            minors_flags.extend(SensitivityFlag("minors_involved", sp) for sp in b.minors_spans)
        return incidents, minors_flags

    @staticmethod
    def _new(builders: list[Builder], s: Sentence, separated: bool = False) -> Builder:
        b = Builder(first_sentence=s.index, last_paragraph=s.paragraph, only_title=s.title)
        b.background = separated and bool(builders)
        builders.append(b)
        return b

    def _attach_context(self, doc: Doc, b: Builder, c: Sentence, facts: list[EventMention]) -> None:
        """Dates, nationality and places of a scene-setting sentence before an event."""
        for g in c.groups:
            if g.nationality and b.nationality is None and not self._is_source(c, g.start):
                b.nationality = g.nationality
                b.ev("victims.nationality", g.nationality_span, c.title)
        plain = [d for d in c.dates if not d.since and not d.speech]
        if plain:
            b.context_date = plain[0]
        role = self.t.places.event_roles.get(facts[0].type, "other")
        words = lower_words(doc)
        for p in c.places:
            if p.locator or p.kind == "country" or not self._governed(words, c, p):
                continue
            key = (p.place_id or f"country:{p.country}", role)
            if key not in b.places:
                b.places[key] = p
                b.place_order.append(key)
                b.pending_places.append((facts[0].type, key))
            b.ev(f"place:{key[0]}:{role}", (p.start, p.end), c.title)

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
    ) -> None:
        title = s.title
        if not title:
            b.only_title = False
        b.last_paragraph = max(b.last_paragraph, s.paragraph)
        words = lower_words(doc)
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
                and e.type in ("repatriation", "deportation")
                and b.destination is None
            ):
                b.destination = e.destination
                b.ev("destination_country", e.destination_span, title)
            if e.type in ("repatriation", "release", "deportation"):
                if e.completion_span is not None:
                    b.ev("status.completed." + e.type, e.completion_span, title)
                b.ev("status." + e.type, (e.start, e.end), title)
        for e in pending:
            if e.type in ("repatriation", "deportation", "transfer") and b.pending is None:
                b.pending = e
        doubtful = any(
            e.modality in ("negated", "generic", "hypothetical", "pending") for e in s.events
        )
        for f in s.facilities:
            b.facilities.append(f) if all(x.name != f.name for x in b.facilities) else None
            b.ev(f"facility:{f.name}", (f.start, f.end), title)
            if f.role == "detention" and not doubtful and "detention" not in b.events:
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
            key = (p.place_id or f"country:{p.country}", role)
            if key not in b.places:
                b.places[key] = p
                b.place_order.append(key)
            b.ev(f"place:{key[0]}:{role}", (p.start, p.end), title)
            for etype, roles in _EVENT_ROLES.items():
                if role in roles and etype in b.events and key not in b.events[etype].places:
                    b.events[etype].places.append(key)
        b.anonymity.extend(s.anonymity)
        for src in s.sources:
            if all(x.text != src.text for x in b.sources):
                b.sources.append(src)
                b.ev(f"source:{src.text}", (src.start, src.end), title)

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

    @staticmethod
    def _earlier_person(b: Builder, sentences: list[Sentence], words: list[str]) -> None:
        """ "... the expulsion of a North Korean man ... The man was arrested in October":
        an incident that opens on "The man" is about the one person a sentence just before
        introduced, so that person is its count."""
        first = sentences[b.first_sentence]
        k = first.tok_start
        if k + 1 >= first.tok_end or words[k] != "the":
            return
        noun = words[k + 1]
        category = _LONE_PERSONS.get(noun)
        if category is None:
            return
        for s in reversed(sentences[max(0, b.first_sentence - 3) : b.first_sentence]):
            lone = [
                c
                for c in s.counts
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
    def _resolve_later(s: Sentence, last: When | None) -> None:
        """ "Two days later, they were moved": dated from the date before it in the
        sentence ("caught last Thursday and returned two days later"), else from the
        incident's last date."""
        for d in s.later_dates:
            assert d.after is not None
            before = [x for x in s.dates if x.end <= d.start and not x.since and not x.speech]
            ref = before[-1].when if before else last
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
        """ "in their thirties" (a group), "in her fifties" (one person) in the sentence."""
        decades = self.t.counts.adult_decades
        owner = "their" if total > 1 else ("his", "her")
        for k in range(s.tok_start + 2, s.tok_end):
            if words[k] in decades and words[k - 1] in owner and words[k - 2] == "in":
                return True
        return False

    @staticmethod
    def _gendered_reference(words: list[str], s: Sentence) -> str | None:
        """ "The men, ..." / "The women were ..." opening a sentence: the group by sex."""
        k = s.tok_start
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
        if plain:
            # A date between this event and the next one is this event's ("caught them
            # last Thursday and returned them two days later"); else the nearest.
            nxt = min(
                (x.tok_start for x in s.events if x.tok_start >= e.tok_end),
                default=s.tok_end,
            )
            following = [d for d in plain if e.tok_end <= d.tok_start < nxt]
            if following and any(d.tok_end <= e.tok_start for d in plain):
                d = following[0]
            else:
                d = min(plain, key=lambda d: abs(d.tok_start - e.tok_start))
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

    def _role(self, doc: Doc, s: Sentence, p: PlaceMention) -> str:
        words = lower_words(doc)
        for f in s.facilities:
            if f.tok_start <= p.tok_start < f.tok_end:
                return f.role
        cues = self.t.places.role_cues
        for n in (4, 3, 2, 1):
            lo = p.tok_start - n
            if lo >= s.tok_start:
                phrase = " ".join(words[lo : p.tok_start])
                if phrase in cues:
                    return cues[phrase]
        if not self._governed(words, s, p):
            return "other"  # a subject ("China repatriated ...") is an actor, not a place
        usable = [e for e in s.events if e.modality in ("fact", "pending", "nominal")]
        before = [
            e
            for e in usable
            if e.tok_end <= p.tok_start and p.tok_start - e.tok_end <= _ROLE_DISTANCE
        ]
        if before:
            e = before[-1]
            prev = words[p.tok_start - 1] if p.tok_start > 0 else ""
            if e.type in ("repatriation", "deportation", "transfer") and prev in ("to", "into"):
                return "destination" if e.type != "transfer" else "transit"
            return self.t.places.event_roles.get(e.type, "other")
        after = [e for e in usable if e.tok_start >= p.tok_end and e.tok_start - p.tok_end <= 6]
        if after:
            return self.t.places.event_roles.get(after[0].type, "other")
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
        ]
        keys.sort(key=lambda k: self._first_span(b, f"place:{k[0]}:{k[1]}"))
        places: list[PlaceRef] = []
        for idx, k in enumerate(keys):
            p = b.places[k]
            places.append(
                PlaceRef(
                    p.name, k[1], p.kind, p.country, p.admin1, p.lat, p.lon, p.precision, p.place_id
                )
            )
            put(f"places.{idx}", f"place:{k[0]}:{k[1]}")
        facilities: list[Facility] = []
        for idx, f in enumerate(b.facilities):
            facilities.append(Facility(f.name, f.place.name if f.place else None))
            put(f"facilities.{idx}", f"facility:{f.name}")
        # Events in the order they happen to a group.
        types = [t for t in LIFECYCLE if t in b.events]
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
        dated = [(t, w) for t, w in whens.items() if w is not None]
        when: When | None = None
        if dated:
            prec = _coarsest(*(w for _, w in dated))
            start_t, start_w = min(dated, key=lambda tw: _cut(tw[1].start, prec))
            ends = self._capped_ends(dated, prec)
            end_t = max(reversed([t for t, _ in dated]), key=lambda t: ends[t])
            when = When(_cut(start_w.start, prec), ends[end_t], prec)
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
        if destination is not None:
            put("destination_country", "destination_country")
        elif "repatriation" in b.events and b.nationality is not None:
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
    def _capped_ends(dated: list[tuple[str, When]], prec: str) -> dict[str, str]:
        """Each event's end at ``prec``, cut where a later step of the custody path begins:
        "arrested last week and flown home on Friday" ends on Friday, not on Sunday."""
        ends: dict[str, str] = {}
        for k, (t, w) in enumerate(dated):
            start, end = _cut(w.start, prec), _cut(w.end, prec)
            for _, later in dated[k + 1 :]:
                begins = _cut(later.start, prec)
                if start <= begins < end:
                    end = begins
            ends[t] = end
        return ends

    @staticmethod
    def _first_span(b: Builder, key: str) -> int:
        e = b.evidence.get(key)
        best = e.best() if e else None
        return best[0] if best else 0
