"""Reads of incidents, always through the disclosure policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext, gettext_lazy

from refuge.figures import SourceFigure, StatedFigure, is_credible, stated_figure, summarise
from refuge.periods import enclosing
from refuge.web.disclosure import policy
from refuge.web.incidents.models import (
    Claim,
    Event,
    Incident,
    IncidentSource,
    VictimGroup,
    Victimhood,
)
from refuge.web.incidents.wording import alternatives, period_words, place_name
from refuge.web.sources.models import Source

if TYPE_CHECKING:
    from refuge.web.review.models import FigureDecision


@dataclass(frozen=True)
class IncidentRow:
    """One line of the incident list: what a reader scans for."""

    public_id: str
    title: str
    status: str
    when: str
    places: list[str]
    total: str
    minors: int | None
    event_types: list[str]


def _base() -> QuerySet[Incident]:
    return Incident.objects.prefetch_related(
        Prefetch("events", queryset=Event.objects.order_by("order").prefetch_related("places")),
        "victim_groups",
    )


def format_total(group: VictimGroup) -> str:
    """ "70", "about 600", "over 500", "50–60" from a group's figures and qualifier."""
    if group.total_best is None and group.total_min is None and group.total_max is None:
        return gettext("unknown")
    q = group.total_qualifier
    if q == "range":
        return f"{group.total_min}–{group.total_max}"
    value = group.total_best if group.total_best is not None else group.total_min
    if q == "approx":
        return gettext("about %(n)s") % {"n": value}
    if q == "at_least":
        return gettext("at least %(n)s") % {"n": value}
    if q == "at_most":
        return gettext("at most %(n)s") % {"n": value}
    return str(value)


def _row(incident: Incident) -> IncidentRow:
    events = list(incident.events.all())
    period = enclosing([e.period for e in events if e.period is not None])
    places: list[str] = []
    for event in events:
        for place in event.places.all():
            if place.name not in places:
                places.append(place.name)
    groups = list(incident.victim_groups.all())
    return IncidentRow(
        public_id=incident.public_id,
        title=incident.title,
        status=incident.get_status_display(),
        when=period.render() if period else "",
        places=places,
        total=", ".join(format_total(g) for g in groups) or gettext("unknown"),
        minors=sum(g.minors for g in groups if g.minors is not None)
        if any(g.minors is not None for g in groups)
        else None,
        event_types=list(dict.fromkeys(e.get_type_display() for e in events)),
    )


def incident_list(*, user: Any) -> list[IncidentRow]:
    """The incidents ``user`` may see, newest first, as rows for the list page."""
    return [_row(i) for i in policy.visible(user, _base())]


def incident_get(*, user: Any, public_id: str) -> Incident | None:
    """One incident with its events, groups and sources, or None when hidden or absent.

    Hidden and absent look the same to the caller (both answer 404), so that a URL cannot
    be used to learn that a record exists.
    """
    incident = (
        policy.visible(user, _base())
        .prefetch_related(
            Prefetch(
                "incidentsource_set", queryset=IncidentSource.objects.select_related("source")
            ),
            "events__actors__parent",
            "events__claims__source",
            "victim_groups__figure_claims__claim__source",
            "victim_groups__figure_decisions__decided_by",
            "victim_groups__figure_decisions__claim__source",
            Prefetch(
                "victimhoods",
                queryset=Victimhood.objects.select_related("person", "event").order_by("pk"),
            ),
        )
        .filter(public_id=public_id)
        .first()
    )
    if incident is None or not policy.can_view(user, incident):
        return None
    return incident


# -- The incident record page -----------------------------------------------------------------

FIGURES = ("total", "adults", "minors", "women", "men")
# How many audit entries the record page lists (newest first).
HISTORY_LIMIT = 200


@dataclass(frozen=True)
class Evidence:
    """A claim as a reader sees it: the source and the quoted words, if they may see them."""

    source_title: str
    quote: str | None
    review_status: str
    outlet: str = ""
    grade: str = ""


@dataclass(frozen=True)
class EventView:
    order: int
    type: str
    when: str
    places: list[str]
    place_precision: str
    facility: str
    actors: list[str]
    evidence: list[Evidence]
    where: str = ""  # the places as alternatives in words: "Tumen or Hunchun"
    date_precision: str = ""


@dataclass(frozen=True)
class SourceFigureView:
    """One source's figure for one count, beside the record's (conflicts are shown)."""

    claim_id: int
    shown: bool  # False: the reader may not see this source's words or value
    words: str  # "over 500", "about 600", "50–60"; "" when not shown or not a number
    value: int | None  # the lowest number the words support (what a choice applies)
    quote: str | None
    source_title: str
    outlet: str
    grade: str  # "B2"
    grade_label: str  # "B: usually reliable; 2: probably true"
    credible: bool
    review_status: str
    is_default: bool = False  # the lowest figure from a credible source
    is_chosen: bool = False  # the figure of the reviewer's decision in force


@dataclass(frozen=True)
class DecisionView:
    value: int
    previous: int | None
    reason: str
    by: str
    at: datetime
    source: str
    in_force: bool


@dataclass(frozen=True)
class FigureView:
    """A figure of a victim group: the record's value, every source's, and how best was set.

    ``basis`` says where the recorded best comes from: "decision" (a reviewer chose it,
    ``decision`` says who and why), "default" (the lowest figure from a credible source),
    "differs" (neither: the default would be ``default``), "unset" (the record has none yet)
    or "recorded" (no credible source states one).
    """

    key: str  # "<group uuid>-<figure>": the anchor and form id
    group_uuid: str
    name: str
    label: str
    value: str
    minimum: int | None
    best: int | None
    maximum: int | None
    sources: list[SourceFigureView]
    hidden: int  # figures from sources the reader may not see (left out of the summary)
    conflict: bool
    default: int | None
    basis: str
    decision: DecisionView | None
    decisions: list[DecisionView]
    may_choose: bool
    choice: int | None  # the claim the choice form preselects


@dataclass(frozen=True)
class GroupView:
    description: str
    nationality: str
    figures: list[FigureView]
    uuid: str = ""


@dataclass(frozen=True)
class PersonView:
    public_id: str
    name: str
    name_ko: str
    sex: str
    birth_year: int | None
    role: str
    event: int | None


@dataclass(frozen=True)
class ActorView:
    name: str
    kind: str
    country: str
    parent: str
    events: list[int]


@dataclass(frozen=True)
class SourceView:
    title: str
    outlet: str
    published: str
    relation: str
    reliability: str
    language: str
    grade_label: str = ""
    credible: bool = False
    confidential: bool = False
    uuid: str = ""


@dataclass(frozen=True)
class ChangeView:
    field: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class HistoryEntry:
    """One audit entry about the incident or one of its parts, as the reader may see it."""

    at: datetime
    actor: str
    record: str  # "Incident", "Event", "Victim group", "Figure decision", ...
    created: bool
    changes: list[ChangeView]
    what: str = "changed"  # "created", "changed" or "deleted"


@dataclass(frozen=True)
class IncidentDetail:
    public_id: str
    title: str
    summary: str
    status: str
    events: list[EventView]
    groups: list[GroupView]
    sources: list[SourceView]
    when: str = ""
    where: str = ""
    actors: list[ActorView] = field(default_factory=list)
    # None: the reader is not entitled to persons' identifying fields (nothing is shown).
    persons: list[PersonView] | None = None
    history: list[HistoryEntry] = field(default_factory=list)
    may_edit: bool = False


class _Reader:
    """What one reader may see of sources, asked once per source per page."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self._sources: dict[int, dict[str, Any]] = {}

    def source(self, source: Source) -> dict[str, Any]:
        if source.pk not in self._sources:
            self._sources[source.pk] = policy.redact(self.user, source)
        return self._sources[source.pk]

    def evidence(self, claim: Claim) -> Evidence:
        fields = self.source(claim.source)
        text = fields.get("text")
        quote = text[claim.span_start : claim.span_end] if isinstance(text, str) else None
        return Evidence(
            source_title=_source_title(fields),
            quote=quote,
            review_status=claim.get_review_status_display(),
            outlet=str(fields.get("outlet") or ""),
            grade=_grade(claim.source) if fields else "",
        )


def _source_title(fields: dict[str, Any]) -> str:
    if not fields:
        return gettext("a source not shown to you")
    if "title" not in fields:
        return gettext("(confidential source)")
    return str(fields.get("title") or gettext("untitled source"))


def _grade(source: Source) -> str:
    return f"{source.reliability or '?'}{source.credibility or '?'}"


def _grade_label(source: Source) -> str:
    parts = [
        gettext(source.get_reliability_display()) if source.reliability else "",
        gettext(source.get_credibility_display()) if source.credibility else "",
    ]
    return "; ".join(p for p in parts if p) or gettext("not graded")


def figure_words(figure: StatedFigure) -> str:
    """A source's figure as its words put it: "about 600", "over 500", "50–60"."""
    low, high = figure.low, figure.high
    if figure.qualifier == "range" and low is not None and high is not None and low != high:
        return f"{low}–{high}"
    if figure.qualifier == "approx":
        return gettext("about %(n)s") % {"n": figure.value}
    if figure.qualifier == "at_least":
        return gettext("at least %(n)s") % {"n": figure.value}
    if figure.qualifier == "at_most":
        return gettext("at most %(n)s") % {"n": figure.value}
    return str(figure.value)


def _decision_view(reader: _Reader, decision: FigureDecision, in_force: bool) -> DecisionView:
    return DecisionView(
        value=decision.value,
        previous=decision.previous,
        reason=decision.reason,
        by=decision.decided_by.username if decision.decided_by else gettext("a former account"),
        at=decision.decided_at,
        source=_source_title(reader.source(decision.claim.source)),
        in_force=in_force,
    )


def _figure_view(reader: _Reader, group: VictimGroup, name: str) -> FigureView | None:
    from refuge.web.review.figure_services import claim_figure_value

    if name == "total":
        recorded = group.total_best if group.total_best is not None else group.total_min
        value = format_total(group)
        bounds = (group.total_min, group.total_best, group.total_max)
    else:
        recorded = getattr(group, name)
        value = "" if recorded is None else str(recorded)
        bounds = (recorded, recorded, recorded)
    links = [
        fc
        for fc in group.figure_claims.all()
        if fc.figure == name and fc.claim.review_status != Claim.Review.REJECTED
    ]
    if recorded is None and not links and name != "total":
        return None
    decisions = [d for d in group.figure_decisions.all() if d.figure == name]
    latest = decisions[0] if decisions else None
    in_force = latest if latest is not None and latest.value == recorded else None
    rows: list[tuple[Claim, dict[str, Any], StatedFigure | None]] = []
    usable: list[SourceFigure] = []
    hidden = 0
    for link in links:
        claim = link.claim
        fields = reader.source(claim.source)
        if "text" not in fields:
            hidden += 1  # its value may repeat confidential words: neither shown nor counted
            rows.append((claim, fields, None))
            continue
        stated = stated_figure(claim_figure_value(claim))
        rows.append((claim, fields, stated))
        if stated is not None:
            usable.append(
                SourceFigure(
                    claim.pk,
                    stated,
                    is_credible(claim.source.reliability, claim.source.credibility),
                )
            )
    summary = summarise(usable)
    sources = []
    for claim, fields, stated in rows:
        shown = "text" in fields
        text = fields.get("text")
        sources.append(
            SourceFigureView(
                claim_id=claim.pk,
                shown=shown,
                words=figure_words(stated) if stated is not None else "",
                value=stated.conservative if stated is not None else None,
                quote=text[claim.span_start : claim.span_end] if isinstance(text, str) else None,
                source_title=_source_title(fields),
                outlet=str(fields.get("outlet") or ""),
                grade=_grade(claim.source) if fields else "",
                grade_label=_grade_label(claim.source) if fields else "",
                credible=bool(fields)
                and is_credible(claim.source.reliability, claim.source.credibility),
                review_status=claim.get_review_status_display(),
                is_default=shown and claim.pk == summary.default_key,
                is_chosen=shown and in_force is not None and in_force.claim_id == claim.pk,
            )
        )
    if in_force is not None:
        basis = "decision"
    elif summary.best is None:
        basis = "recorded"
    elif recorded is None:
        basis = "unset"
    elif recorded == summary.best:
        basis = "default"
    else:
        basis = "differs"
    choosable = [f for f in sources if f.shown and f.value is not None]
    default_key = summary.default_key if isinstance(summary.default_key, int) else None
    choice = in_force.claim_id if in_force is not None else default_key
    return FigureView(
        key=f"{group.uuid}-{name}",
        group_uuid=str(group.uuid),
        name=name,
        label=name.capitalize(),
        value=value,
        minimum=bounds[0],
        best=bounds[1],
        maximum=bounds[2],
        sources=sources,
        hidden=hidden,
        conflict=summary.conflict,
        default=summary.best,
        basis=basis,
        decision=_decision_view(reader, in_force, True) if in_force is not None else None,
        decisions=[_decision_view(reader, d, d is in_force) for d in decisions],
        may_choose=policy.may_edit(reader.user) and bool(choosable),
        choice=choice if choice is not None else (choosable[0].claim_id if choosable else None),
    )


def _group_view(reader: _Reader, group: VictimGroup) -> GroupView:
    figures = [_figure_view(reader, group, name) for name in FIGURES]
    return GroupView(
        description=group.description,
        nationality=group.nationality,
        figures=[f for f in figures if f is not None],
        uuid=str(group.uuid),
    )


def _events(reader: _Reader, incident: Incident) -> list[EventView]:
    out = []
    for e in incident.events.all():
        names = [place_name(p.name, p.name_ko) for p in e.places.all()]
        out.append(
            EventView(
                order=e.order,
                type=e.get_type_display(),
                when=period_words(e.period),
                places=names,
                place_precision=e.get_place_precision_display() if e.place_precision else "",
                facility=e.facility,
                actors=[a.name for a in e.actors.all()],
                evidence=[reader.evidence(c) for c in e.claims.all()],
                where=alternatives(names),
                date_precision=e.date_precision,
            )
        )
    return out


def _actors(incident: Incident) -> list[ActorView]:
    by_pk: dict[int, tuple[Any, list[int]]] = {}
    for event in incident.events.all():
        for actor in event.actors.all():
            by_pk.setdefault(actor.pk, (actor, []))[1].append(event.order)
    return [
        ActorView(
            name=actor.name,
            kind=actor.get_kind_display(),
            country=actor.country,
            parent=actor.parent.name if actor.parent else "",
            events=orders,
        )
        for actor, orders in by_pk.values()
    ]


def _persons(user: Any, incident: Incident) -> list[PersonView] | None:
    """The incident's persons for a reader entitled to their identifying fields, else None.

    Each release of a person's fields goes through ``policy.redact``, which audits it.
    """
    if not policy.may_read_identifying_of(user, incident):
        return None
    out = []
    for link in incident.victimhoods.all():
        person = link.person
        if not policy.may_read_identifying_of(user, person):
            continue
        fields = policy.redact(user, person)
        out.append(
            PersonView(
                public_id=person.public_id,
                name=str(fields.get("name") or ""),
                name_ko=str(fields.get("name_ko") or ""),
                sex=person.get_sex_display() if person.sex else "",
                birth_year=fields.get("birth_year"),
                role=link.role,
                event=link.event.order if link.event is not None else None,
            )
        )
    return out


def _sources(reader: _Reader, incident: Incident) -> list[SourceView]:
    out = []
    for link in incident.incidentsource_set.all():
        source = link.source
        if not policy.can_view(reader.user, source):
            continue
        fields = reader.source(source)
        out.append(
            SourceView(
                title=_source_title(fields),
                outlet=str(fields.get("outlet") or ""),
                published=source.published.isoformat() if source.published else "",
                relation=link.get_relation_display(),
                reliability=_grade(source),
                language=source.language,
                grade_label=_grade_label(source),
                credible=is_credible(source.reliability, source.credibility),
                confidential=source.content_class == "confidential",
                uuid=str(source.uuid),
            )
        )
    return out


def incident_detail(*, user: Any, public_id: str) -> IncidentDetail | None:
    """The incident page's content with every field passed through the policy."""
    incident = incident_get(user=user, public_id=public_id)
    if incident is None:
        return None
    reader = _Reader(user)
    events = _events(reader, incident)
    period = enclosing([e.period for e in incident.events.all() if e.period is not None])
    places = list(dict.fromkeys(p for e in events for p in e.places))
    return IncidentDetail(
        public_id=incident.public_id,
        title=incident.title,
        summary=incident.summary,
        status=incident.get_status_display(),
        events=events,
        groups=[_group_view(reader, g) for g in incident.victim_groups.all()],
        sources=_sources(reader, incident),
        when=period_words(period) if period else "",
        where=", ".join(places),
        actors=_actors(incident),
        persons=_persons(user, incident),
        history=incident_history(user=user, incident=incident),
        may_edit=policy.may_edit(user),
    )


def victim_group_get(*, user: Any, uuid: str) -> VictimGroup | None:
    """A victim group of an incident the user may see, or None (hidden and absent alike)."""
    group = (
        VictimGroup.objects.select_related("incident")
        .filter(uuid=uuid, incident__in=policy.visible(user, Incident.objects.all()))
        .prefetch_related(
            "figure_claims__claim__source",
            "figure_decisions__decided_by",
            "figure_decisions__claim__source",
        )
        .first()
    )
    if group is None or not policy.can_view(user, group.incident):
        return None
    return group


def group_figure(*, user: Any, group: VictimGroup, figure: str) -> FigureView | None:
    """One figure of one group, as the record page shows it (for partial updates)."""
    if figure not in FIGURES:
        return None
    return _figure_view(_Reader(user), group, figure)


def merged_into(*, user: Any, public_id: str) -> str | None:
    """The public id of the incident that ``public_id`` was merged into, if the user sees it.

    A merged incident's address keeps leading to the record it joined.
    """
    if not any(f.name == "merged_into" for f in Incident._meta.fields):
        return None
    incident = (
        policy.visible(user, Incident._base_manager.all())
        .filter(public_id=public_id, merged_into__isnull=False)
        .select_related("merged_into")
        .first()
    )
    target: Incident | None = getattr(incident, "merged_into", None)
    if target is None or getattr(target, "merged_into_id", None) is not None:
        return None
    if not policy.can_view(user, target):
        return None
    return target.public_id


# -- Change history ------------------------------------------------------------------------

_RECORD_NAMES = {
    "incidents.Incident": gettext_lazy("Incident"),
    "incidents.Event": gettext_lazy("Event"),
    "incidents.VictimGroup": gettext_lazy("Victim group"),
    "incidents.IncidentSource": gettext_lazy("Source link"),
    "incidents.Victimhood": gettext_lazy("Person in the incident"),
    "review.FigureDecision": gettext_lazy("Figure decision"),
}
# Record kinds about persons: listed only for readers entitled to persons' fields.
_PERSON_RECORDS = frozenset({"incidents.Victimhood", "incidents.Person"})
# Bookkeeping fields that say nothing to a reader of the history.
_QUIET_FIELDS = frozenset({"id", "created_at", "updated_at"})
_VALUE_MAX = 120


def _history_labels(incident: Incident, *, persons: bool) -> dict[str, str]:
    """Audit record labels ("incidents.Event:<uuid>") of the incident and its parts -> name."""
    from refuge.web.review.models import FigureDecision

    labels: dict[str, str] = {f"incidents.Incident:{incident.public_id}": "incidents.Incident"}
    for event in Event.objects.filter(incident=incident).only("uuid", "order"):
        labels[f"incidents.Event:{event.uuid}"] = "incidents.Event"
    groups = list(VictimGroup.objects.filter(incident=incident).only("uuid"))
    for group in groups:
        labels[f"incidents.VictimGroup:{group.uuid}"] = "incidents.VictimGroup"
    for pk in IncidentSource.objects.filter(incident=incident).values_list("pk", flat=True):
        labels[f"incidents.IncidentSource:{pk}"] = "incidents.IncidentSource"
    for decision_uuid in FigureDecision.objects.filter(victim_group__in=groups).values_list(
        "uuid", flat=True
    ):
        labels[f"review.FigureDecision:{decision_uuid}"] = "review.FigureDecision"
    if persons:
        for pk in Victimhood.objects.filter(incident=incident).values_list("pk", flat=True):
            labels[f"incidents.Victimhood:{pk}"] = "incidents.Victimhood"
    return labels


def _shown(value: Any) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= _VALUE_MAX else text[: _VALUE_MAX - 1] + "…"


def _changes(payload: dict[str, Any]) -> tuple[str, list[ChangeView]]:
    """("created" | "deleted" | "changed", the fields changed with their values)."""
    if "created" in payload or "deleted" in payload:
        return ("created" if "created" in payload else "deleted"), []
    before = payload.get("before") or {}
    after = payload.get("after") or {}
    out = []
    for name in sorted(set(before) | set(after)):
        if name in _QUIET_FIELDS:
            continue
        if name.endswith("_id"):
            # A row id means nothing to a reader; say that the link changed.
            out.append(ChangeView(name.removesuffix("_id"), None, None))
            continue
        out.append(ChangeView(name, _shown(before.get(name)), _shown(after.get(name))))
    for name in payload.get("identifying_fields_changed") or ():
        out.append(ChangeView(str(name), None, None))  # named, never shown
    return "changed", out


def incident_history(*, user: Any, incident: Incident) -> list[HistoryEntry]:
    """Who changed what in the incident and its parts, and when, newest first.

    Read from the audit log, which never holds identifying values (audit_change leaves
    them out); entries about persons are listed only for readers entitled to persons'
    fields. Entries are found by the record label audit_change writes, or by an
    ``"incident": <public id>`` key in their details.
    """
    from refuge.web.audit.models import AuditEntry

    if not policy.can_view(user, incident):
        return []
    persons = policy.may_read_identifying_of(user, incident)
    labels = _history_labels(incident, persons=persons)
    entries = AuditEntry.objects.filter(action="record_change").filter(
        Q(payload__record__in=list(labels))
        | Q(payload__incident=incident.public_id)
        # Parts created or deleted since (a deleted event's label is gone with it).
        | Q(payload__created__incident_id=incident.pk)
        | Q(payload__deleted__incident_id=incident.pk)
    )
    out = []
    for entry in entries.order_by("-seq")[:HISTORY_LIMIT]:
        payload = entry.payload if isinstance(entry.payload, dict) else {}
        record = str(payload.get("record") or "")
        kind = labels.get(record) or record.split(":", 1)[0]
        if kind in _PERSON_RECORDS and not persons:
            continue
        what, changes = _changes(payload)
        actor = entry.actor.removeprefix("user:") if entry.actor.startswith("user:") else ""
        out.append(
            HistoryEntry(
                at=entry.at,
                actor=actor or gettext("the system"),
                record=str(_RECORD_NAMES.get(kind, kind.rsplit(".", 1)[-1])),
                created=what == "created",
                changes=changes,
                what=what,
            )
        )
    return out


__all__ = [
    "IncidentDetail",
    "IncidentRow",
    "format_total",
    "group_figure",
    "incident_detail",
    "incident_get",
    "incident_history",
    "incident_list",
    "merged_into",
    "victim_group_get",
]
