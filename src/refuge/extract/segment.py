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
from refuge.extract.dates import DateMention
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
        words = lower_words(doc)
        out: list[Sentence] = []
        paragraph = 0
        for first, last in sentence_bounds(doc):
            tail = doc[last - 1]
            start_char, end_char = doc[first].idx, tail.idx + len(tail.text)
            chunk = words[first:last]
            nl = sum(w.count("\n") for w in chunk if w.isspace())
            if any(not w.isspace() for w in chunk):
                s = Sentence(
                    len(out),
                    start_char,
                    end_char,
                    first,
                    last,
                    paragraph,
                    start_char < title_end,
                )
                s.separated = self.separators.find(words, first, last) is not None
                out.append(s)
            if nl:
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
        anon = [f for f in ext.refuge_flags or [] if f.flag == "source_anonymity"]
        for s, items in zip(out, _bucket(anon, starts, lambda m: m.start), strict=True):
            s.anonymity = [(f.start, f.end) for f in items]  # type: ignore[attr-defined]
        return out

    # -- assembly --------------------------------------------------------------------------

    def incidents(
        self, doc: Doc, sentences: list[Sentence]
    ) -> tuple[list[Incident], list[SensitivityFlag]]:
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
        for b in builders:
            if not b.events and b.pending is None:
                continue
            if b.nationality is None and nationality is not None:
                b.nationality = nationality[0]
                b.ev("victims.nationality", nationality[1], False)
            if anonymity is not None and not b.background and not b.anonymity:
                b.anonymity.append(anonymity)
            incidents.append(self._finish(b, doc.text))
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
        for c in counts:
            if c.single:
                if b.total is None and (facts or pending):
                    b.total, b.total_title = c, title
                    b.ev("victims.total", (c.start, c.phrase_end), title)
                    if c.category != "total":
                        b.parts.setdefault(c.category, c)
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
    def _is_source(s: Sentence, pos: int) -> bool:
        return any(src.start <= pos < src.end for src in s.sources)

    @staticmethod
    def _date_for(s: Sentence, e: EventMention) -> tuple[When, DateMention] | None:
        plain = [d for d in s.dates if not d.since and not d.speech]
        if plain:
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
            end_t, end_w = max(reversed(dated), key=lambda tw: _cut(tw[1].end, prec))
            when = When(_cut(start_w.start, prec), _cut(end_w.end, prec), prec)
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
    def _first_span(b: Builder, key: str) -> int:
        e = b.evidence.get(key)
        best = e.best() if e else None
        return best[0] if best else 0
