"""Reads for the review screens, through the disclosure policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext

from refuge.vocabulary import EVENT_TYPES, choices
from refuge.web.disclosure import policy
from refuge.web.incidents.models import Claim, Incident
from refuge.web.sources.models import Source


@dataclass(frozen=True)
class QueueRow:
    uuid: str
    title: str
    language: str
    published: str
    pending: int
    reviewed: int


def review_queue(
    *, user: Any, language: str = "", pending_only: bool = True, limit: int = 200
) -> list[QueueRow]:
    """Sources waiting for review, newest first; counts of pending and reviewed claims."""
    sources = (
        policy.visible(user, Source.objects.all())
        .annotate(
            pending=Count(
                "claims", filter=Q(claims__review_status=Claim.Review.PROPOSED), distinct=True
            ),
            reviewed=Count(
                "claims", filter=~Q(claims__review_status=Claim.Review.PROPOSED), distinct=True
            ),
            linked=Count("incidents", distinct=True),
        )
        .order_by("-captured_at")
    )
    if language:
        sources = sources.filter(language=language)
    if pending_only:
        # A source with no claim and no incident waits too: the extractor does not read its
        # language (Korean, Chinese) or found nothing, and a person must read it.
        sources = sources.filter(Q(pending__gt=0) | Q(reviewed=0, linked=0))
    rows = []
    for source in sources[:limit]:
        fields = policy.redact(user, source)
        title = (
            (fields.get("title") or gettext("untitled"))
            if "title" in fields
            else gettext("(confidential source)")
        )
        rows.append(
            QueueRow(
                str(source.uuid),
                title,
                source.language,
                source.published.isoformat() if source.published else "",
                source.pending,
                source.reviewed,
            )
        )
    return rows


@dataclass
class Segment:
    """A run of the source text and the claims whose spans cover it."""

    text: str
    claims: list[int] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)


def field_class(field: str) -> str:
    """The colour class of a claim's field: "total", "places", "event_types", ..."""
    parts = field.split(".")
    parts = parts[2:] if parts[0] == "incidents" else parts[1:] if parts[0] == "manual" else parts
    if not parts:
        return "other"
    return parts[1] if parts[0] == "victims" and len(parts) > 1 else parts[0]


def segments(text: str, claims: list[Claim]) -> list[Segment]:
    """The text cut at every span boundary, so each piece knows which claims cover it."""
    cuts = {0, len(text)}
    for claim in claims:
        for start, end in claim.spans or [[claim.span_start, claim.span_end]]:
            if 0 <= start < end <= len(text):
                cuts |= {start, end}
    bounds = sorted(cuts)
    out = []
    for start, end in pairwise(bounds):
        covering = [
            c
            for c in claims
            if any(s <= start and end <= e for s, e in (c.spans or [[c.span_start, c.span_end]]))
        ]
        out.append(
            Segment(
                text[start:end], [c.pk for c in covering], [field_class(c.field) for c in covering]
            )
        )
    return out


@dataclass(frozen=True)
class ClaimRow:
    pk: int
    field: str
    value: Any
    edited_value: Any
    quote: str
    status: str
    extractor: str


def _claim_row(claim: Claim, can_read: bool, text: str) -> ClaimRow:
    return ClaimRow(
        claim.pk,
        claim.field,
        claim.plain_value if can_read else None,
        claim.plain_edited_value if can_read else None,
        text[claim.span_start : claim.span_end] if can_read else "",
        claim.review_status,
        claim.extractor_version,
    )


def claim_row(*, user: Any, source: Source, pk: int) -> ClaimRow | None:
    """One claim of a source as its row on the review screen (for a partial update)."""
    if not policy.can_view(user, source):
        return None
    claim = Claim.objects.filter(pk=pk, source=source).first()
    if claim is None:
        return None
    fields = policy.redact(user, source)
    return _claim_row(claim, "text" in fields, fields.get("text") or "")


@dataclass
class ReviewContext:
    source: Source
    fields: dict[str, Any]
    can_read_text: bool
    segments: list[Segment]
    claims: list[ClaimRow]
    may_edit: bool


def review_context(*, user: Any, uuid: str) -> ReviewContext | None:
    source = policy.visible(user, Source.objects.all()).filter(uuid=uuid).first()
    if source is None or not policy.can_view(user, source):
        return None
    fields = policy.redact(user, source)
    claims = list(Claim.objects.filter(source=source).order_by("span_start", "pk"))
    can_read = "text" in fields
    text = fields.get("text") or ""
    rows = [_claim_row(c, can_read, text) for c in claims]
    return ReviewContext(
        source,
        fields,
        can_read,
        segments(text, claims) if can_read else [],
        rows,
        policy.may_edit(user),
    )


@dataclass(frozen=True)
class Candidate:
    public_id: str
    title: str
    score: int
    reasons: list[str]


def _event_words(types: list[str]) -> str:
    """Event types in the reader's language ("arrest" -> "Arrest" / "체포"; see pages.labels)."""
    labels = dict(choices(EVENT_TYPES))
    return ", ".join(gettext(labels.get(t, t)) for t in types)


def incident_candidates(*, user: Any, source: Source, limit: int = 5) -> list[Candidate]:
    """Incidents this source may be about: close in date and place, similar counts and types.

    Each suggestion says why; the reviewer decides.
    """
    claims = [
        c for c in Claim.objects.filter(source=source) if c.review_status != Claim.Review.REJECTED
    ]
    values = {
        c.field: (c.plain_edited_value if c.review_status == "edited" else c.plain_value)
        for c in claims
    }
    types = {f.rsplit(".", 1)[1] for f in values if ".event_types." in f}
    # The gazetteer's name when the text spells the place its own way ("Tantung").
    places = {
        str(v.get("gazetteer_name") or v.get("name"))
        for f, v in values.items()
        if ".places." in f and isinstance(v, dict)
    }
    total = next(
        (
            v.get("value")
            for f, v in values.items()
            if f.endswith("victims.total") and isinstance(v, dict)
        ),
        None,
    )
    out = []
    incidents = policy.visible(user, Incident.objects.exclude(sources=source)).prefetch_related(
        "events__places", "victim_groups"
    )
    for incident in incidents[:500]:
        reasons = []
        score = 0
        their_types = {e.type for e in incident.events.all()}
        if types & their_types:
            score += len(types & their_types)
            shared = sorted(types & their_types)
            reasons.append(gettext("same events: %(types)s") % {"types": _event_words(shared)})
        their_places = {p.name for e in incident.events.all() for p in e.places.all()}
        if places & their_places:
            score += 2 * len(places & their_places)
            reasons.append(
                gettext("same places: %(places)s")
                % {"places": ", ".join(sorted(places & their_places))}
            )
        if total is not None:
            for group in incident.victim_groups.all():
                best = group.total_best or group.total_min
                if best and abs(best - int(total)) <= max(2, int(0.2 * best)):
                    score += 2
                    reasons.append(
                        gettext("similar count: %(here)s here, %(there)s in this source")
                        % {"here": best, "there": total}
                    )
                    break
        if score:
            out.append(Candidate(incident.public_id, incident.title, score, reasons))
    return sorted(out, key=lambda c: -c.score)[:limit]


def claim_on(*, source: Source, pk: int) -> Claim | None:
    """A claim of a source the caller has already found through the policy."""
    claim: Claim | None = Claim.objects.filter(pk=pk, source=source).first()
    return claim
