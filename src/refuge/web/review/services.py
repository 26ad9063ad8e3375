"""Review decisions and incident building; each checks the policy and is audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from refuge.errors import AccessDenied, DomainValidationError, UsageError
from refuge.periods import parse_prefix
from refuge.vocabulary import COUNT_QUALIFIERS, EVENT_TYPES, STATUSES
from refuge.web.audit.services import audit_change, snapshot
from refuge.web.disclosure import policy
from refuge.web.incidents import services as incidents
from refuge.web.incidents.models import Claim, Incident, IncidentSource
from refuge.web.sources.models import Source

DECISIONS = ("accept", "edit", "reject")
# Fields a reviewer may create from a selection (the extraction contract's evidence keys).
MANUAL_FIELDS = (
    "victims.total",
    "victims.adults",
    "victims.minors",
    "victims.women",
    "victims.men",
    "victims.nationality",
    "places",
    "facilities",
    "when.start",
    "when.end",
    "status",
    *(f"event_types.{t}" for t in EVENT_TYPES),
)


def _writable(user: Any, source: Source) -> None:
    if not policy.can_view(user, source):
        raise AccessDenied("no such source", code="R066")
    if not policy.may_edit(user):
        raise AccessDenied("reviewing needs the editor role", code="R066")


def claim_decide(*, user: Any, claim: Claim, decision: str, edited_value: Any = None) -> Claim:
    """Accept, edit (the edit kept beside the machine's value) or reject one claim."""
    _writable(user, claim.source)
    if decision not in DECISIONS:
        raise UsageError(f"decision must be one of {', '.join(DECISIONS)}", code="R026")
    before = snapshot(claim)
    claim.review_status = {
        "accept": Claim.Review.ACCEPTED,
        "edit": Claim.Review.EDITED,
        "reject": Claim.Review.REJECTED,
    }[decision]
    claim.reviewer = user
    if decision == "edit":
        if edited_value in (None, ""):
            raise UsageError("an edit needs a value", code="R026")
        claim.edited_value = edited_value
        claim.seal_values()
    with transaction.atomic():
        claim.save(update_fields=["review_status", "reviewer", "edited_value"])
        audit_change(obj=claim, before=before, user=user)
    return claim


def claim_add(*, user: Any, source: Source, field: str, value: Any, start: int, end: int) -> Claim:
    """A claim a person makes by selecting words of the source (any language)."""
    _writable(user, source)
    if field not in MANUAL_FIELDS:
        raise UsageError(f"unknown field {field!r}", code="R026")
    if not (0 <= start < end <= len(source.text)):
        raise UsageError("the selection is not inside the source's text", code="R026")
    claim = incidents.claim_create(
        source=source,
        field=f"manual.{field}",
        value=value,
        span=(start, end),
        extractor_version="manual",
        review_status=Claim.Review.ACCEPTED,
        reviewer=user,
    )
    audit_change(obj=claim, before=None, user=user)
    return claim


def _value(claim: Claim) -> Any:
    return claim.plain_edited_value if claim.review_status == "edited" else claim.plain_value


def _key(field: str) -> str:
    """ "incidents.0.victims.total" or "manual.victims.total" -> "victims.total"."""
    parts = field.split(".")
    parts = parts[2:] if parts[0] == "incidents" else parts[1:]
    if parts and parts[-1].isdigit():  # "places.0" -> "places": the list index is positional
        parts = parts[:-1]
    return ".".join(parts)


def _count(value: Any) -> tuple[int | None, int | None, int | None, str]:
    if isinstance(value, dict):
        qualifier = str(value.get("qualifier") or "exact")
        best = value.get("value")
        low, high = value.get("min", best), value.get("max", best)
        if qualifier == "at_least":
            high = None
        if qualifier not in COUNT_QUALIFIERS:
            qualifier = "exact"
        return low, best, high, qualifier
    number = int(value)
    return number, number, number, "exact"


def incident_from_claims(*, user: Any, source: Source, title: str) -> Incident:
    """A new incident built from the source's accepted and edited claims."""
    _writable(user, source)
    if not title.strip():
        raise UsageError("give the incident a title", code="R026")
    claims = [
        c
        for c in Claim.objects.filter(source=source)
        if c.review_status in (Claim.Review.ACCEPTED, Claim.Review.EDITED)
    ]
    by_key: dict[str, list[Claim]] = {}
    for claim in claims:
        by_key.setdefault(_key(claim.field), []).append(claim)
    status = next(
        (str(_value(c)) for c in by_key.get("status", []) if str(_value(c)) in STATUSES), "unknown"
    )
    with transaction.atomic():
        incident = incidents.incident_create(
            title=title.strip()[:300],
            team=source.team,
            status=status,
            disclosure=source.disclosure,
            sources=[(source, "reports")],
        )
        figures: dict[str, Any] = {}
        links = []
        for name in ("total", "adults", "minors", "women", "men"):
            for claim in by_key.get(f"victims.{name}", [])[:1]:
                figures[name] = _value(claim)
                links.append((name, claim))
        if figures:
            try:
                low, best, high, qualifier = (
                    _count(figures.get("total")) if "total" in figures else (None, None, None, "")
                )
                parts = {
                    n: int(v["value"] if isinstance(v, dict) else v)
                    for n, v in figures.items()
                    if n != "total"
                }
            except (TypeError, ValueError, KeyError):
                raise UsageError(
                    "a count claim does not hold a number; edit it first", code="R026"
                ) from None
            nationality = next((str(_value(c)) for c in by_key.get("victims.nationality", [])), "")
            incidents.victim_group_create(
                incident=incident,
                nationality=nationality[:2],
                total=(low, best, high),
                qualifier=qualifier,
                figure_claims=links,
                adults=parts.get("adults"),
                minors=parts.get("minors"),
                women=parts.get("women"),
                men=parts.get("men"),
            )
        places = []
        for claim in by_key.get("places", []):
            value = _value(claim)
            gid = value.get("place_id") if isinstance(value, dict) else None
            place = incidents.place_for(str(gid)) if gid else None
            if place is not None:
                places.append(place)
        when = [str(_value(c)) for c in by_key.get("when.start", [])]
        event_keys = sorted(k for k in by_key if k.startswith("event_types."))
        for order, key in enumerate(event_keys, start=1):
            start = end = None
            precision = ""
            if when:
                try:
                    start, end, precision = parse_prefix(when[0])
                except DomainValidationError:
                    start = end = None
            incidents.event_create(
                incident=incident,
                order=order,
                type=key.split(".", 1)[1],
                date_start=start,
                date_end=end,
                date_precision=precision or "",
                places=places[:3],
                claims=by_key[key],
            )
    return incident


def incident_attach_source(
    *, user: Any, incident: Incident, source: Source, relation: str = "reports"
) -> None:
    """Link a source to an existing incident (its claims then support that incident)."""
    _writable(user, source)
    if not policy.can_view(user, incident):
        raise AccessDenied("no such incident", code="R066")
    if relation not in IncidentSource.Relation.values:
        raise UsageError("relation must be reports, corroborates or contradicts", code="R026")
    link, created = IncidentSource.objects.get_or_create(
        incident=incident, source=source, defaults={"relation": relation}
    )
    if created:
        audit_change(obj=link, before=None, user=user)
        from refuge.web.search.services import search_index_incident

        search_index_incident(incident=incident)
