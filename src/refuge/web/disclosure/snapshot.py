"""From released incidents to the publication stores: the one road out of the database.

``snapshot(audience)`` reads the approved, not withdrawn releases of an audience (the
partner store also holds every public release), drops every incident an active embargo
holds back and every incident merged into another, and turns each into a
``PublishedIncident`` generalised by ``refuge.publish.generalise``'s rules for that audience
and sensitivity, plus an ``AggregateInput`` (exact figures, for the aggregate tables only).

What a ``PublishedIncident`` is made of, field by field, and nothing else: the Release's
``public_title`` and ``public_summary`` (the only free text), the incident's public id and
status, the event types, dates and places of its events (coarsened; places come from the
gazetteer, never a facility), and its victim groups' nationality and counts (small counts as
ranges). Never the internal title or summary, a source, a claim, a person, an actor, a
facility's free-text name or any note.

``publish()`` builds both stores (``refuge.publish.store``), refusing when the aggregate
tables fail the disclosure audit (``refuge.publish.sdc_audit``); the services run it after
every approval and withdrawal.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from refuge.env import env_int
from refuge.gazetteer import default_gazetteer
from refuge.periods import Period, enclosing
from refuge.publish.generalise import (
    GeneralisationRules,
    coarsen_date,
    coarsen_place,
    generalise_count,
    generalise_figure,
    generalise_range,
    public_facility,
    rules_for,
)
from refuge.publish.records import (
    AggregateInput,
    Audience,
    PublishedCount,
    PublishedEvent,
    PublishedIncident,
    PublishedPlace,
)
from refuge.publish.sdc import aggregate_month
from refuge.web.disclosure.embargoes import embargoed_incidents_q
from refuge.web.disclosure.errors import PublishingError
from refuge.web.disclosure.models import Release
from refuge.web.incidents.models import Event, Incident, Place, VictimGroup

log = logging.getLogger(__name__)

AUDIENCES: tuple[Audience, ...] = ("public", "partners")
# Which releases feed which store: partners see everything released to the public too.
RELEASED_TO: dict[str, tuple[str, ...]] = {
    "public": ("public",),
    "partners": ("public", "partners"),
}
FACILITY_KINDS = ("facility", "border_crossing")
BREAKDOWNS = ("adults", "minors", "women", "men")
# A release marked sensitive is generalised as one with this flag (refuge.vocabulary).
SENSITIVE_FLAG = "publicity_risk"
DEFAULT_K = 5


@dataclass(frozen=True)
class Snapshot:
    audience: Audience
    incidents: tuple[PublishedIncident, ...]
    inputs: tuple[AggregateInput, ...]


def live_releases(audience: Audience, now: datetime | None = None) -> list[Release]:
    """The releases a store of ``audience`` is built from: one per incident, the newest.

    Approved (not withdrawn, rejected or superseded), of an incident not merged into
    another and not held back by an active embargo at ``now``.
    """
    now = now or timezone.now()
    current = Incident.objects.exclude(embargoed_incidents_q(now)).values("pk")
    releases = (
        Release.objects.filter(
            state=Release.State.APPROVED,
            audience__in=RELEASED_TO[audience],
            incident_id__in=current,
        )
        .select_related("incident")
        .order_by("incident_id", "-approved_at", "-pk")
    )
    chosen: dict[int, Release] = {}
    for release in releases:
        chosen.setdefault(release.incident_id, release)
    return list(chosen.values())


def snapshot(audience: Audience, now: datetime | None = None) -> Snapshot:
    """Every released incident of ``audience``, generalised, with its aggregate input."""
    now = now or timezone.now()
    releases = live_releases(audience, now)
    incidents = {
        i.pk: i
        for i in Incident.all_objects.filter(pk__in=[r.incident_id for r in releases])
        .prefetch_related(
            Prefetch("events", queryset=Event.objects.order_by("order").prefetch_related("places")),
            Prefetch("victim_groups", queryset=VictimGroup.objects.order_by("pk")),
        )
        .order_by("public_id")
    }
    published: list[PublishedIncident] = []
    inputs: list[AggregateInput] = []
    for release in sorted(releases, key=lambda r: incidents[r.incident_id].public_id):
        incident = incidents[release.incident_id]
        facts = _Facts.of(incident)
        rules = rules_for(
            audience,
            flags=(SENSITIVE_FLAG,) if release.sensitive else (),
            minors_involved=facts.minors_involved,
        )
        published.append(_published(incident, release, facts, audience, rules))
        inputs.append(_aggregate_input(incident, facts, rules))
    return Snapshot(audience, tuple(published), tuple(inputs))


# --- what an incident is made of --------------------------------------------------------------


@dataclass(frozen=True)
class _Facts:
    events: tuple[Event, ...]
    places: tuple[tuple[Place, ...], ...]  # per event, its alternative places
    groups: tuple[VictimGroup, ...]

    @classmethod
    def of(cls, incident: Incident) -> _Facts:
        events = tuple(incident.events.all())
        return cls(
            events=events,
            places=tuple(tuple(e.places.all()) for e in events),
            groups=tuple(incident.victim_groups.all()),
        )

    @property
    def minors_involved(self) -> bool:
        return any((g.minors or 0) > 0 for g in self.groups)

    @property
    def period(self) -> Period | None:
        return enclosing([e.period for e in self.events if e.period is not None])


def _published(
    incident: Incident,
    release: Release,
    facts: _Facts,
    audience: Audience,
    rules: GeneralisationRules,
) -> PublishedIncident:
    period = facts.period
    when = coarsen_date(
        period.start if period else None,
        period.end if period else None,
        period.precision if period else None,
        rules,
    )
    events = tuple(
        _published_event(event, places, rules)
        for event, places in zip(facts.events, facts.places, strict=True)
    )
    place = _common([e.place for e in events], rules)
    released_at = release.approved_at or release.created_at
    return PublishedIncident(
        public_id=incident.public_id,
        audience=audience,
        title=release.public_title,
        summary=release.public_summary,
        status=incident.status,
        event_types=tuple(dict.fromkeys(e.type for e in facts.events)),
        date_start=when.start,
        date_end=when.end,
        date_precision=when.precision,
        place=place,
        nationality=_nationality(facts.groups),
        total=_total(facts.groups, rules),
        adults=_breakdown(facts.groups, "adults", rules),
        minors=_breakdown(facts.groups, "minors", rules),
        women=_breakdown(facts.groups, "women", rules),
        men=_breakdown(facts.groups, "men", rules),
        events=events,
        released_at=released_at.astimezone(UTC),
    )


def _published_event(
    event: Event, places: Sequence[Place], rules: GeneralisationRules
) -> PublishedEvent:
    when = coarsen_date(event.date_start, event.date_end, event.date_precision or None, rules)
    coarse = [coarsen_place(p, rules, precision=event.place_precision or None) for p in places]
    return PublishedEvent(
        order=event.order,
        type=event.type,
        date_start=when.start,
        date_end=when.end,
        date_precision=when.precision,
        place=_common(coarse, rules),
    )


def _common(
    places: Iterable[PublishedPlace | None], rules: GeneralisationRules
) -> PublishedPlace | None:
    """One place standing for several (alternatives, or an incident's events): the place
    itself when they agree, else their common province, else their common country."""
    known = [p for p in places if p is not None]
    if not known:
        return None
    if all(p == known[0] for p in known):
        return known[0]
    for floor in ("admin1", "country"):
        wider = dataclasses.replace(rules, place_precision=floor)
        coarse = [coarsen_place(p, wider) for p in known]
        if all(c is not None and c == coarse[0] for c in coarse):
            return coarse[0]
    return None


def _nationality(groups: Sequence[VictimGroup]) -> str:
    nationalities = {g.nationality for g in groups if g.nationality}
    return nationalities.pop() if len(nationalities) == 1 else ""


def _total(groups: Sequence[VictimGroup], rules: GeneralisationRules) -> PublishedCount:
    """The groups' totals as one published count (their figures' bounds added up)."""
    if not groups:
        return PublishedCount.unknown()
    if len(groups) == 1:
        g = groups[0]
        return generalise_figure(
            g.total_min, g.total_best, g.total_max, g.total_qualifier or None, rules
        )
    low = 0
    high: int | None = 0
    approx = False
    for g in groups:
        figures = [v for v in (g.total_min, g.total_best, g.total_max) if v is not None]
        if not figures:
            high = None  # a group of unknown size: the total has no upper bound
            continue
        approx = approx or g.total_qualifier == "approx"
        if g.total_qualifier != "at_most":
            low += min(figures)
        if g.total_qualifier == "at_least" or high is None:
            high = None
        else:
            high += max(figures)
    return generalise_range(low, high, rules, approx=approx)


def _breakdown(
    groups: Sequence[VictimGroup], name: str, rules: GeneralisationRules
) -> PublishedCount:
    values = [getattr(g, name) for g in groups]
    known = [v for v in values if v is not None]
    if not known:
        return PublishedCount.unknown()
    if len(known) == len(values):
        return generalise_count(sum(known), rules)
    return generalise_range(sum(known), None, rules)  # some groups unknown: at least


# --- aggregate input ----------------------------------------------------------------------------


def _exact_total(groups: Sequence[VictimGroup]) -> int | None:
    figures = [
        next((v for v in (g.total_best, g.total_min, g.total_max) if v is not None), None)
        for g in groups
    ]
    known = [f for f in figures if f is not None]
    return sum(known) if known else None


def _exact(groups: Sequence[VictimGroup], name: str) -> int | None:
    known = [getattr(g, name) for g in groups if getattr(g, name) is not None]
    return sum(known) if known else None


def _month(facts: _Facts) -> str:
    """The month the tables count the incident in (refuge.publish.sdc's rule), else ""."""
    period = facts.period
    if period is None:
        return ""
    return aggregate_month(period.start, period.end, period.precision)


def _facility(facts: _Facts, rules: GeneralisationRules) -> str:
    """The gazetteer's public name of the first facility an event names, else "".

    An event's free-text facility is used only when the gazetteer knows it as a facility
    (its canonical name is published, never the text typed in): free text can hold anything.
    """
    gazetteer = default_gazetteer()
    for event, places in zip(facts.events, facts.places, strict=True):
        for place in places:
            if place.kind in FACILITY_KINDS:
                return public_facility(place.name, rules)
        if event.facility:
            for entry in gazetteer.lookup(event.facility):
                if entry.kind in FACILITY_KINDS:
                    return public_facility(entry.name, rules)
    return ""


def _aggregate_input(
    incident: Incident, facts: _Facts, rules: GeneralisationRules
) -> AggregateInput:
    # Province and country at province precision, whatever the audience: the tables are
    # protected by suppression, not by coarsening.
    province_rules = dataclasses.replace(rules, place_precision="admin1")
    coarse = [
        _common(
            [coarsen_place(p, province_rules, precision=e.place_precision or None) for p in ps],
            province_rules,
        )
        for e, ps in zip(facts.events, facts.places, strict=True)
    ]
    place = _common(coarse, province_rules)
    return AggregateInput(
        public_id=incident.public_id,
        month=_month(facts),
        country=place.country if place else "",
        province=place.admin1 if place else "",
        facility=_facility(facts, rules),
        total=_exact_total(facts.groups),
        adults=_exact(facts.groups, "adults"),
        minors=_exact(facts.groups, "minors"),
        women=_exact(facts.groups, "women"),
        men=_exact(facts.groups, "men"),
    )


# --- the stores ---------------------------------------------------------------------------------


def publication_dir() -> Path:
    return Path(settings.DATA_DIR)


def store_file(audience: Audience) -> Path:
    from refuge.publish.store import store_path

    return Path(store_path(audience, publication_dir()))


def remove_stores() -> None:
    """Delete both stores (fail closed: a missing store reads as empty)."""
    for audience in AUDIENCES:
        store_file(audience).unlink(missing_ok=True)


@dataclass(frozen=True)
class StoreResult:
    audience: Audience
    path: Path
    incidents: int
    tables: int
    cells: int
    suppressed: int


@dataclass(frozen=True)
class PublishSummary:
    generated_at: datetime
    stores: tuple[StoreResult, ...]
    tables_withheld: bool  # the audit failed and the automatic rebuild left tables out


OnAuditFailure = Literal["refuse", "withhold_tables"]


def sdc_threshold() -> int:
    """k of the aggregate tables: ``REFUGE_SDC_K`` (default 5; at least 2, or nothing is
    protected); read at each build, so the web's rebuilds and `refuge publish` agree."""
    return env_int("REFUGE_SDC_K", DEFAULT_K, minimum=2)


def publish(
    *,
    now: datetime | None = None,
    k: int | None = None,
    on_audit_failure: OnAuditFailure = "refuse",
    actor: str = "system:publish",
    user: Any = None,
) -> PublishSummary:
    """Build the public and the partner store from released records; audited.

    Both stores are computed and audited before either is written. When the disclosure
    audit of the aggregate tables fails, ``refuse`` raises (R146) and writes nothing;
    ``withhold_tables`` (the automatic rebuild after a withdrawal, which must not leave the
    withdrawn record online) writes the incidents without any aggregate table.
    """
    from refuge.publish.sdc import build_tables
    from refuge.publish.sdc_audit import audit_tables
    from refuge.publish.store import build_store
    from refuge.web.audit.services import audit_record

    now = now or timezone.now()
    k = k if k is not None else sdc_threshold()
    built = []
    withheld = False
    for audience in AUDIENCES:
        snap = snapshot(audience, now)
        tables = build_tables(snap.inputs, k=k)
        findings = audit_tables(tables, k)
        if findings:
            if on_audit_failure == "refuse":
                raise PublishingError(
                    f"the {audience} aggregate tables fail the disclosure audit "
                    f"({len(findings)} finding(s)); nothing was published",
                    code="R146",
                )
            log.error("%s tables failed the disclosure audit: tables withheld", audience)
            tables = []
            withheld = True
        built.append((snap, tables))
    results = []
    for snap, tables in built:
        path = store_file(snap.audience)
        path.parent.mkdir(parents=True, exist_ok=True)
        build_store(path, snap.audience, snap.incidents, tables, generated_at=now)
        results.append(
            StoreResult(
                audience=snap.audience,
                path=path,
                incidents=len(snap.incidents),
                tables=len(tables),
                cells=sum(len(t.rows) for t in tables),
                suppressed=sum(t.suppressed for t in tables),
            )
        )
    audit_record(
        action="export",
        user=user,
        actor=actor if user is None else "",
        details={
            "what": "publication stores",
            "generated_at": now.isoformat(),
            "tables_withheld": withheld,
            **{f"{r.audience}_incidents": r.incidents for r in results},
            "public_ids": {
                r.audience: [i.public_id for i in snap.incidents]
                for r, (snap, _t) in zip(results, built, strict=True)
            },
        },
    )
    return PublishSummary(generated_at=now, stores=tuple(results), tables_withheld=withheld)


__all__ = [
    "AUDIENCES",
    "PublishSummary",
    "Snapshot",
    "StoreResult",
    "live_releases",
    "publication_dir",
    "publish",
    "remove_stores",
    "snapshot",
    "store_file",
]
