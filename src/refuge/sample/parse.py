"""Decoded records.json plus the report texts -> a validated, frozen SampleData.

Pure: the caller passes ``read_text(file) -> str`` so that this module never touches the
file system. Every error names the record (``incident i01, event 3, claim 2``) and the
rule it breaks; the codes are listed in the package docstring.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import date
from urllib.parse import urlsplit

from refuge.counts import check_count
from refuge.errors import DomainValidationError
from refuge.periods import parse_prefix
from refuge.sample.errors import SampleDataError
from refuge.sample.fields import Fields
from refuge.sample.model import (
    SampleActor,
    SampleClaim,
    SampleCount,
    SampleData,
    SampleEmbargo,
    SampleEvent,
    SampleIncident,
    SampleIncidentSource,
    SamplePerson,
    SamplePersonEvent,
    SamplePlace,
    SampleRelease,
    SampleSource,
    SampleVictimGroup,
)
from refuge.vocabulary import (
    COUNT_QUALIFIERS,
    DATE_PRECISIONS,
    EVENT_TYPES,
    PLACE_PRECISIONS,
    STATUSES,
    VICTIM_BREAKDOWNS,
)

# The first line of every sample report, so that no one mistakes a demo text for real news.
SAMPLE_MARKERS = (
    "[SAMPLE DATA — fictional report written for the Refuge demo]",
    "[샘플 데이터 — Refuge 시연용 가상 보도]",
)
LANGUAGES = ("en", "ko", "zh")
RELIABILITIES = ("A", "B", "C", "D", "E", "F")
CONTENT_CLASSES = ("published", "confidential")
ACTOR_KINDS = ("institution", "person_in_role")
RELATIONS = ("reports", "corroborates", "contradicts")
COUNT_CLAIM_FIELDS = ("total", *VICTIM_BREAKDOWNS)
EVENT_CLAIM_FIELDS = ("type", "date", "place", "facility")
SEXES = ("F", "M")
PERSON_ROLES = ("victim", "witness", "relative")
# The publishing vocabularies (refuge.web.disclosure.models Audience, EmbargoCondition,
# checked equal by tests/web/disclosure/test_sample_publishing.py).
RELEASE_AUDIENCES = ("public", "partners")
EMBARGO_CONDITIONS = (
    "family_consents",
    "repatriation_completed",
    "person_reached_safety",
    "other",
)
# Sample people must never be confused with real ones, in either language.
FICTIONAL_NAME_PREFIXES = {"name": "(fictional)", "name_ko": "(가상)"}

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")

ReadText = Callable[[str], str]


def parse_sample_data(raw: object, read_text: ReadText) -> SampleData:
    """Validate decoded records.json; ``read_text`` returns a source file's text."""
    top = Fields(raw, "records.json")
    notice = top.text("notice")
    if "SAMPLE DATA" not in notice:
        raise SampleDataError(
            "records.json: the notice must say 'SAMPLE DATA' so the demo is never taken as real",
            code="R097",
        )
    sources = tuple(
        _source(item, n, read_text) for n, item in enumerate(top.items("sources"), start=1)
    )
    _check_unique((s.key for s in sources), "source")
    actors = tuple(_actor(item, n) for n, item in enumerate(top.items("actors"), start=1))
    _check_unique((a.key for a in actors), "actor")
    _check_actor_parents(actors)
    by_key = {s.key: s for s in sources}
    actor_keys = frozenset(a.key for a in actors)
    incidents = tuple(
        _incident(item, n, by_key, actor_keys)
        for n, item in enumerate(top.items("incidents"), start=1)
    )
    _check_unique((i.key for i in incidents), "incident")
    orders = {i.key: {e.order for e in i.events} for i in incidents}
    persons = tuple(
        _person(item, n, orders)
        for n, item in enumerate(top.items("persons", required=False), start=1)
    )
    _check_unique((p.key for p in persons), "person")
    _check_unique((p.public_id for p in persons), "person public_id")
    incident_keys = frozenset(i.key for i in incidents)
    publishing = top.optional_object("publishing", "publishing")
    releases, embargoes = _publishing(publishing, incident_keys)
    top.done()
    return SampleData(notice, sources, actors, incidents, persons, releases, embargoes)


def _publishing(
    f: Fields | None, incidents: frozenset[str]
) -> tuple[tuple[SampleRelease, ...], tuple[SampleEmbargo, ...]]:
    if f is None:
        return (), ()
    releases = tuple(
        _release(item, f"publishing, release #{n}", incidents)
        for n, item in enumerate(f.items("releases", required=False), start=1)
    )
    _check_unique((f"{r.incident}/{r.audience}" for r in releases), "release")
    embargoes = tuple(
        _embargo(item, f"publishing, embargo #{n}", incidents)
        for n, item in enumerate(f.items("embargoes", required=False), start=1)
    )
    f.done()
    held = {e.incident for e in embargoes} & {r.incident for r in releases}
    if held:
        raise SampleDataError(
            f"publishing: incident(s) {', '.join(sorted(held))} are both released and under "
            "embargo; an embargo holds an incident back from every release",
            code="R092",
        )
    return releases, embargoes


def _release(raw: object, where: str, incidents: frozenset[str]) -> SampleRelease:
    f = Fields(raw, where)
    release = SampleRelease(
        incident=_known(where, "incident", f.text("incident"), incidents),
        audience=f.choice("audience", RELEASE_AUDIENCES),
        public_title=f.text("public_title"),
        public_summary=f.text("public_summary"),
    )
    f.done()
    # Published text is what strangers read: it must say it is invented, in itself.
    if "SAMPLE DATA" not in release.public_summary:
        raise SampleDataError(
            f"{where}: public_summary must say 'SAMPLE DATA' so the demo is never taken as real",
            code="R097",
        )
    return release


def _embargo(raw: object, where: str, incidents: frozenset[str]) -> SampleEmbargo:
    f = Fields(raw, where)
    until = f.optional_text("until")
    embargo = SampleEmbargo(
        incident=_known(where, "incident", f.text("incident"), incidents),
        until=None if until is None else _day(where, "until", until).isoformat(),
        condition=f.optional_choice("condition", EMBARGO_CONDITIONS),
        reason=f.text("reason"),
    )
    f.done()
    if embargo.until is None and embargo.condition is None:
        raise SampleDataError(f"{where}: give the embargo an until day or a condition", code="R091")
    return embargo


def _source(raw: object, n: int, read_text: ReadText) -> SampleSource:
    f = Fields(raw, f"source #{n}")
    key = f.text("key")
    f.where = f"source {key}"
    file = f.text("file")
    url = f.optional_text("url")
    if url is not None:
        _check_sample_url(f.where, url)
    source = SampleSource(
        key=key,
        file=file,
        title=f.text("title"),
        outlet=f.text("outlet"),
        author=f.optional_text("author"),
        url=url,
        published=_day(f.where, "published", f.text("published")),
        language=f.choice("language", LANGUAGES),
        reliability=f.choice("reliability", RELIABILITIES),
        credibility=_credibility(f),
        content_class=f.choice("content_class", CONTENT_CLASSES),
        text=read_text(file),
    )
    f.done()
    if source.text.split("\n", 1)[0].strip() not in SAMPLE_MARKERS:
        raise SampleDataError(
            f"{f.where}: {file} must begin with the line {SAMPLE_MARKERS[0]!r} "
            f"(or {SAMPLE_MARKERS[1]!r} in Korean)",
            code="R097",
        )
    return source


def _check_sample_url(where: str, url: str) -> None:
    # A sample URL that resolved would send a demo user to a real site as if it were the source.
    host = urlsplit(url).hostname or ""
    if host != "sample.invalid" and not host.endswith(".sample.invalid"):
        raise SampleDataError(
            f"{where}: url {url!r} must use the reserved host sample.invalid, or be null",
            code="R097",
        )


def _credibility(f: Fields) -> int:
    value = f.integer("credibility")
    if not 1 <= value <= 6:
        raise SampleDataError(
            f"{f.where}: credibility {value} is not in the vocabulary; use 1 to 6", code="R095"
        )
    return value


def _day(where: str, name: str, text: str) -> date:
    try:
        if _ISO_DAY.match(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise SampleDataError(f"{where}: {name} {text!r} must be a real day, YYYY-MM-DD", code="R096")


def _actor(raw: object, n: int) -> SampleActor:
    f = Fields(raw, f"actor #{n}")
    key = f.text("key")
    f.where = f"actor {key}"
    actor = SampleActor(
        key=key,
        name=f.text("name"),
        kind=f.choice("kind", ACTOR_KINDS),
        country=_country(f.where, "country", f.text("country")),
        parent=f.optional_text("parent"),
    )
    f.done()
    return actor


def _check_actor_parents(actors: tuple[SampleActor, ...]) -> None:
    # Parents come first so that a loader can create each actor with its parent in one pass
    # (refuge.web.incidents.sample does); this also rules out loops.
    listed: set[str] = set()
    for actor in actors:
        if actor.parent is not None and actor.parent not in listed:
            raise SampleDataError(
                f"actor {actor.key}: parent {actor.parent!r} must be an actor listed before it",
                code="R092",
            )
        listed.add(actor.key)


def _country(where: str, name: str, value: str) -> str:
    if not _COUNTRY.match(value):
        raise SampleDataError(
            f"{where}: {name} {value!r} must be an ISO 3166-1 alpha-2 code such as CN or KP",
            code="R095",
        )
    return value


def _incident(
    raw: object, n: int, sources: Mapping[str, SampleSource], actor_keys: frozenset[str]
) -> SampleIncident:
    f = Fields(raw, f"incident #{n}")
    key = f.text("key")
    f.where = f"incident {key}"
    title = f.text("title")
    summary = f.text("summary")
    status = f.choice("status", STATUSES)
    links = tuple(
        _incident_source(item, f"{f.where}, source #{m}", sources)
        for m, item in enumerate(f.items("sources"), start=1)
    )
    if not links:
        raise SampleDataError(f"{f.where}: list at least one source", code="R091")
    _check_unique((link.source for link in links), f"source of {f.where}")
    own = {link.source: sources[link.source] for link in links}
    groups = tuple(
        _victim_group(item, f"{f.where}, victim group {m}", own)
        for m, item in enumerate(f.items("victim_groups"), start=1)
    )
    events = tuple(
        _event(item, f.where, m, own, actor_keys)
        for m, item in enumerate(f.items("events"), start=1)
    )
    _check_unique((str(e.order) for e in events), f"event order of {f.where}")
    f.done()
    return SampleIncident(key, title, summary, status, links, groups, events)


def _incident_source(
    raw: object, where: str, sources: Mapping[str, SampleSource]
) -> SampleIncidentSource:
    f = Fields(raw, where)
    key = _known(where, "source", f.text("source"), sources)
    link = SampleIncidentSource(key, f.choice("relation", RELATIONS))
    f.done()
    return link


def _victim_group(
    raw: object, where: str, sources: Mapping[str, SampleSource]
) -> SampleVictimGroup:
    f = Fields(raw, where)
    nationality = _country(where, "nationality", f.text("nationality"))
    description = f.text("description")
    total_fields = f.optional_object("total", f"{where}, total")
    total = None if total_fields is None else _count(total_fields)
    breakdown = {name: _non_negative(f, name) for name in VICTIM_BREAKDOWNS}
    claims = tuple(
        _claim(item, f"{where}, claim {m}", COUNT_CLAIM_FIELDS, sources, with_value=True)
        for m, item in enumerate(f.items("claims"), start=1)
    )
    f.done()
    for m, claim in enumerate(claims, start=1):
        if claim.field == "total":
            _check_total_claim(f"{where}, claim {m}", claim, total)
    return SampleVictimGroup(
        nationality=nationality,
        description=description,
        total=total,
        adults=breakdown["adults"],
        minors=breakdown["minors"],
        women=breakdown["women"],
        men=breakdown["men"],
        claims=claims,
    )


def _count(f: Fields) -> SampleCount:
    count = SampleCount(
        min=f.integer("min"),
        best=f.integer("best"),
        max=f.integer("max"),
        qualifier=f.choice("qualifier", COUNT_QUALIFIERS),
    )
    f.done()
    try:
        check_count(count.min, count.best, count.max, count.qualifier)
    except DomainValidationError as error:
        raise SampleDataError(f"{f.where}: {error.message}", code="R094") from error
    return count


def _non_negative(f: Fields, name: str) -> int | None:
    value = f.optional_integer(name)
    if value is not None and value < 0:
        raise SampleDataError(f"{f.where}: {name} must not be negative (got {value})", code="R094")
    return value


def _check_total_claim(where: str, claim: SampleClaim, total: SampleCount | None) -> None:
    # Conflicting totals are kept as min..max (DESIGN principle 2), so each claimed total
    # must lie inside that range or the record has dropped a source's figure.
    assert claim.value is not None
    if total is None:
        raise SampleDataError(
            f"{where}: a total of {claim.value} is claimed but the group has no total; add one",
            code="R094",
        )
    if not total.min <= claim.value <= total.max:
        raise SampleDataError(
            f"{where}: claimed total {claim.value} lies outside the group's range "
            f"{total.min}..{total.max}; widen the range or correct the claim",
            code="R094",
        )


def _event(
    raw: object,
    incident: str,
    n: int,
    sources: Mapping[str, SampleSource],
    actor_keys: frozenset[str],
) -> SampleEvent:
    f = Fields(raw, f"{incident}, event #{n}")
    order = f.integer("order")
    if order < 1:
        raise SampleDataError(f"{f.where}: order must be 1 or more (got {order})", code="R091")
    f.where = where = f"{incident}, event {order}"
    event_type = f.choice("type", EVENT_TYPES)
    date_start, date_end, date_precision = _event_dates(f)
    places = tuple(
        _place(item, f"{where}, place #{m}") for m, item in enumerate(f.items("places"), 1)
    )
    place_precision = f.optional_choice("place_precision", PLACE_PRECISIONS)
    if bool(places) != (place_precision is not None):
        raise SampleDataError(
            f"{where}: give place_precision exactly when the event has places", code="R091"
        )
    facility = f.optional_text("facility")
    actors = tuple(_actor_key(where, item, actor_keys) for item in f.items("actors"))
    claims = tuple(
        _claim(item, f"{where}, claim {m}", EVENT_CLAIM_FIELDS, sources, with_value=False)
        for m, item in enumerate(f.items("claims"), start=1)
    )
    f.done()
    return SampleEvent(
        order=order,
        type=event_type,
        date_start=date_start,
        date_end=date_end,
        date_precision=date_precision,
        places=places,
        place_precision=place_precision,
        facility=facility,
        actors=actors,
        claims=claims,
    )


def _event_dates(f: Fields) -> tuple[str | None, str | None, str | None]:
    start = f.optional_text("date_start")
    end = f.optional_text("date_end")
    precision = f.optional_choice("date_precision", DATE_PRECISIONS)
    if start is None:
        if end is not None or precision is not None:
            raise SampleDataError(
                f"{f.where}: date_end and date_precision need a date_start", code="R096"
            )
        return None, None, None
    if precision is None:
        raise SampleDataError(f"{f.where}: give the date_precision of {start!r}", code="R096")
    first_day = _prefix(f.where, "date_start", start, precision)
    if end is not None and _prefix(f.where, "date_end", end, precision) < first_day:
        raise SampleDataError(
            f"{f.where}: date_end {end!r} is before date_start {start!r}", code="R096"
        )
    return start, end, precision


def _prefix(where: str, name: str, text: str, precision: str) -> date:
    """The first day of an ISO prefix that must be written at exactly ``precision``."""
    try:
        first_day, _, stated = parse_prefix(text)
    except DomainValidationError as error:
        raise SampleDataError(f"{where}: {name}: {error.message}", code="R096") from error
    if stated != precision:
        raise SampleDataError(
            f"{where}: {name} {text!r} is written to the {stated} but date_precision is "
            f"{precision!r}; make them agree",
            code="R096",
        )
    return first_day


def _place(raw: object, where: str) -> SamplePlace:
    f = Fields(raw, where)
    place = SamplePlace(f.text("name"), _country(where, "country", f.text("country")))
    f.done()
    return place


def _actor_key(where: str, value: object, actor_keys: frozenset[str]) -> str:
    if not isinstance(value, str):
        raise SampleDataError(f"{where}: actors must be actor keys, got {value!r}", code="R091")
    return _known(where, "actor", value, actor_keys)


def _claim(
    raw: object,
    where: str,
    fields: tuple[str, ...],
    sources: Mapping[str, SampleSource],
    *,
    with_value: bool,
) -> SampleClaim:
    f = Fields(raw, where)
    field = f.choice("field", fields)
    key = f.text("source")
    if key not in sources:
        raise SampleDataError(
            f"{where}: source {key!r} is not among the incident's sources; list it there first",
            code="R092",
        )
    quote = f.text("quote")
    occurrence = f.optional_integer("occurrence")
    value = f.integer("value") if with_value else None
    f.done()
    if value is not None and value < 0:
        raise SampleDataError(f"{where}: value must not be negative (got {value})", code="R094")
    span = _find(where, sources[key], quote, 1 if occurrence is None else occurrence)
    return SampleClaim(field=field, source=key, quote=quote, span=span, value=value)


def _find(where: str, source: SampleSource, quote: str, occurrence: int) -> tuple[int, int]:
    if occurrence < 1:
        raise SampleDataError(f"{where}: occurrence must be 1 or more", code="R091")
    start = -1
    for seen in range(occurrence):
        start = source.text.find(quote, start + 1)
        if start < 0:
            raise SampleDataError(
                f"{where}: quote {quote!r} occurs {seen} time(s) in source {source.key}, "
                f"not {occurrence}; copy the words exactly from {source.file}",
                code="R093",
            )
    return start, start + len(quote)


def _person(raw: object, n: int, orders: Mapping[str, Collection[int]]) -> SamplePerson:
    f = Fields(raw, f"person #{n}")
    key = f.text("key")
    f.where = f"person {key}"
    name, name_ko = f.text("name"), f.optional_text("name_ko")
    for field, value in (("name", name), ("name_ko", name_ko)):
        prefix = FICTIONAL_NAME_PREFIXES[field]
        if value is not None and not value.startswith(prefix):
            raise SampleDataError(
                f"{f.where}: {field} must start with {prefix!r}: sample people are fictional",
                code="R097",
            )
    person = SamplePerson(
        key=key,
        public_id=f.text("public_id"),
        name=name,
        name_ko=name_ko,
        sex=f.optional_choice("sex", SEXES),
        birth_year=f.optional_integer("birth_year"),
        hometown=f.optional_text("hometown"),
        notes=f.optional_text("notes") or "",
        events=tuple(
            _person_event(item, f"{f.where}, event #{m}", orders)
            for m, item in enumerate(f.items("events"), start=1)
        ),
    )
    f.done()
    return person


def _person_event(
    raw: object, where: str, orders: Mapping[str, Collection[int]]
) -> SamplePersonEvent:
    f = Fields(raw, where)
    incident = _known(where, "incident", f.text("incident"), orders)
    order = f.integer("event_order")
    if order not in orders[incident]:
        raise SampleDataError(
            f"{where}: incident {incident} has no event with order {order}", code="R092"
        )
    link = SamplePersonEvent(incident, order, f.choice("role", PERSON_ROLES))
    f.done()
    return link


def _known(where: str, kind: str, key: str, known: Collection[str]) -> str:
    if key not in known:
        raise SampleDataError(f"{where}: unknown {kind} key {key!r}; define it first", code="R092")
    return key


def _check_unique(keys: Iterable[str], kind: str) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise SampleDataError(
                f"duplicate {kind} key {key!r}; give each record its own key", code="R092"
            )
        seen.add(key)


__all__ = ["SAMPLE_MARKERS", "parse_sample_data"]
