"""A reviewer's choice of a victim group's best figure among its sources' figures.

The default best figure is the lowest one stated by a credible source (refuge.figures); a
reviewer who has reasons to prefer another source's figure chooses it here, with the reason.
The choice is kept as a ``FigureDecision`` (who, when, which source's figure, why), applied to
the group's stored figures and written to the audit log, in one transaction.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from refuge.errors import AccessDenied, DomainValidationError, UsageError
from refuge.figures import apply_best, stated_figure
from refuge.web.audit.services import audit_change, snapshot
from refuge.web.disclosure import policy
from refuge.web.incidents.models import Claim, VictimFigureClaim, VictimGroup
from refuge.web.review.models import FigureDecision

REASON_MAX = 2000


def claim_figure_value(claim: Claim) -> Any:
    """The value a claim states now: the reviewer's edit where there is one."""
    if claim.review_status == Claim.Review.EDITED and claim.edited_value is not None:
        return claim.plain_edited_value
    return claim.plain_value


def figure_choose(
    *, user: Any, group: VictimGroup, claim_id: int, reason: str, figure: str = "total"
) -> FigureDecision:
    """Make the figure stated by claim ``claim_id`` the group's best ``figure``, with a reason.

    Raises AccessDenied (R138) unless the user may edit and sees the incident and the
    source, UsageError (R137) for a missing reason or a claim that does not state this
    group's figure, DomainValidationError (R139) when the claim holds no usable number.
    """
    if not policy.may_edit(user):
        raise AccessDenied("choosing a figure needs the editor role", code="R138")
    if not policy.can_view(user, group.incident):
        raise AccessDenied("no such incident", code="R138")
    if figure not in FigureDecision.Figure.values:
        raise UsageError(f"unknown figure {figure!r}", code="R137")
    reason = reason.strip()
    if not reason:
        raise UsageError("give the reason for choosing this figure", code="R137")
    if len(reason) > REASON_MAX:
        raise UsageError(f"the reason is longer than {REASON_MAX} characters", code="R137")
    link = (
        VictimFigureClaim.objects.select_related("claim__source")
        .filter(victim_group=group, figure=figure, claim_id=claim_id)
        .first()
    )
    if link is None or link.claim.review_status == Claim.Review.REJECTED:
        raise UsageError("that is not a figure the sources of this group state", code="R137")
    claim = link.claim
    if not policy.can_view(user, claim.source):
        raise AccessDenied("no such source", code="R138")
    stated = stated_figure(claim_figure_value(claim))
    if stated is None:
        raise DomainValidationError(
            "that source's figure is not a number; edit its claim first", code="R139"
        )
    value = stated.conservative
    before = snapshot(group)
    previous = group.total_best if figure == "total" else getattr(group, figure)
    try:
        if figure == "total":
            low, best, high, qualifier = apply_best(
                group.total_min, group.total_best, group.total_max, group.total_qualifier, value
            )
            group.total_min, group.total_best, group.total_max = low, best, high
            group.total_qualifier = qualifier
        else:
            setattr(group, figure, value)
        group.full_clean()
    except (DomainValidationError, ValidationError) as exc:
        message = exc.message if isinstance(exc, DomainValidationError) else "; ".join(exc.messages)
        raise DomainValidationError(
            f"that figure does not fit the group's other figures: {message}", code="R139"
        ) from None
    decision = FigureDecision(
        victim_group=group,
        figure=figure,
        claim=claim,
        value=value,
        previous=previous,
        reason=reason,
        decided_by=user,
    )
    decision.full_clean()
    with transaction.atomic():
        group.save()
        decision.save()
        audit_change(obj=group, before=before, user=user)
        audit_change(obj=decision, before=None, user=user)
    from refuge.web.search.services import search_index_incident

    search_index_incident(incident=group.incident)
    return decision


__all__ = ["REASON_MAX", "claim_figure_value", "figure_choose"]
