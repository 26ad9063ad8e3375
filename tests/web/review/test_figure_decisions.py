"""Choosing a victim group's best figure among its sources' figures (review.figure_services)."""

from __future__ import annotations

from typing import Any

import pytest

from refuge.errors import AccessDenied, DomainValidationError, UsageError
from refuge.web.audit.models import AuditEntry
from refuge.web.incidents import services
from refuge.web.review import services as review_services
from refuge.web.review.figure_services import figure_choose
from refuge.web.review.models import FigureDecision

pytestmark = pytest.mark.django_db


def test_a_reviewer_s_choice_is_applied_and_kept_with_who_when_and_why(
    figure_incident: dict[str, Any], alice: Any
) -> None:
    group = figure_incident["group"]
    decision = figure_choose(
        user=alice,
        group=group,
        claim_id=figure_incident["claims"]["over"].pk,
        reason="The lowest credible count.",
    )
    group.refresh_from_db()
    assert (group.total_min, group.total_best, group.total_max) == (500, 500, 600)
    assert group.total_qualifier == "range"
    assert decision.decided_by == alice and decision.decided_at is not None
    assert (decision.value, decision.previous) == (500, 600)
    assert decision.claim == figure_incident["claims"]["over"]
    records = [e.payload["record"] for e in AuditEntry.objects.filter(action="record_change")]
    assert f"review.FigureDecision:{decision.uuid}" in records
    last_group_change = (
        AuditEntry.objects.filter(payload__record=f"incidents.VictimGroup:{group.uuid}")
        .order_by("-seq")
        .first()
    )
    assert last_group_change is not None and last_group_change.actor == "user:alice"
    assert last_group_change.payload["after"]["total_best"] == 500


def test_choosing_a_figure_above_the_range_widens_it_and_keeps_the_others(
    figure_incident: dict[str, Any], alice: Any, team: Any
) -> None:
    group = figure_incident["group"]
    from refuge.web.sources.services import TextSourceInput, source_create_from_text

    source, _ = source_create_from_text(
        data=TextSourceInput(
            text="As many as 700 were sent back.",
            title="Late count",
            reliability="A",
            credibility=2,
            disclosure="organisation",
        ),
        team=team,
    )
    claim = services.claim_create(
        source=source, field="victims.total", value=700, span=(11, 14), extractor_version="test"
    )
    group.figure_claims.create(claim=claim, figure="total")
    figure_choose(user=alice, group=group, claim_id=claim.pk, reason="The official list.")
    group.refresh_from_db()
    assert (group.total_min, group.total_best, group.total_max) == (500, 700, 700)


def test_every_decision_is_kept_and_the_latest_is_in_force(
    figure_incident: dict[str, Any], alice: Any
) -> None:
    group = figure_incident["group"]
    for key in ("over", "about"):
        figure_choose(
            user=alice, group=group, claim_id=figure_incident["claims"][key].pk, reason=key
        )
    assert [d.reason for d in FigureDecision.objects.filter(victim_group=group)] == [
        "about",
        "over",
    ]
    group.refresh_from_db()
    assert group.total_best == 600


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_a_choice_without_a_reason_is_refused(
    figure_incident: dict[str, Any], alice: Any, reason: str
) -> None:
    with pytest.raises(UsageError) as caught:
        figure_choose(
            user=alice,
            group=figure_incident["group"],
            claim_id=figure_incident["claims"]["over"].pk,
            reason=reason,
        )
    assert caught.value.code == "R137"
    assert not FigureDecision.objects.exists()


def test_a_claim_that_does_not_state_the_group_s_figure_is_refused(
    figure_incident: dict[str, Any], make_incident: Any, alice: Any
) -> None:
    other = make_incident("Another incident")
    foreign = other.victim_groups.get().figure_claims.get().claim
    with pytest.raises(UsageError) as caught:
        figure_choose(
            user=alice, group=figure_incident["group"], claim_id=foreign.pk, reason="why not"
        )
    assert caught.value.code == "R137"
    with pytest.raises(UsageError):
        figure_choose(
            user=alice, group=figure_incident["group"], claim_id=1, reason="x", figure="children"
        )


def test_a_rejected_claim_cannot_be_chosen(figure_incident: dict[str, Any], alice: Any) -> None:
    claim = figure_incident["claims"]["rumour"]
    review_services.claim_decide(user=alice, claim=claim, decision="reject")
    with pytest.raises(UsageError) as caught:
        figure_choose(user=alice, group=figure_incident["group"], claim_id=claim.pk, reason="x")
    assert caught.value.code == "R137"


def test_a_claim_edited_into_words_holds_no_figure_to_choose(
    figure_incident: dict[str, Any], alice: Any
) -> None:
    claim = figure_incident["claims"]["rumour"]
    review_services.claim_decide(user=alice, claim=claim, decision="edit", edited_value="dozens")
    with pytest.raises(DomainValidationError) as caught:
        figure_choose(user=alice, group=figure_incident["group"], claim_id=claim.pk, reason="x")
    assert caught.value.code == "R139"


def test_a_breakdown_above_the_total_is_refused(
    figure_incident: dict[str, Any], alice: Any
) -> None:
    group = figure_incident["group"]
    # A claim saying 900 minors, for a group of at most 600 people.
    claim = figure_incident["claims"]["about"]
    services_claim = services.claim_create(
        source=claim.source,
        field="victims.minors",
        value=900,
        span=(0, 5),
        extractor_version="test",
    )
    group.figure_claims.create(claim=services_claim, figure="minors")
    group.adults = 10
    group.save()
    with pytest.raises(DomainValidationError) as caught:
        figure_choose(
            user=alice, group=group, claim_id=services_claim.pk, reason="x", figure="minors"
        )
    assert caught.value.code == "R139"
    group.refresh_from_db()
    assert group.minors is None


def test_only_editors_who_see_the_incident_may_choose(
    figure_incident: dict[str, Any], bob: Any, carol: Any, dave: Any
) -> None:
    for user in (bob, carol, dave):
        with pytest.raises(AccessDenied) as caught:
            figure_choose(
                user=user,
                group=figure_incident["group"],
                claim_id=figure_incident["claims"]["over"].pk,
                reason="x",
            )
        assert caught.value.code == "R138"
    assert not FigureDecision.objects.exists()


def test_an_editor_of_another_team_cannot_choose_a_figure_from_a_team_source(
    figure_incident: dict[str, Any],
) -> None:
    from refuge.web.accounts.models import User
    from refuge.web.accounts.services import team_get_or_create

    other = User.objects.create(
        username="erin", role="editor", team=team_get_or_create(name="Other", slug="other")
    )
    with pytest.raises(AccessDenied) as caught:
        figure_choose(
            user=other,
            group=figure_incident["group"],
            claim_id=figure_incident["claims"]["testimony"].pk,
            reason="x",
        )
    assert caught.value.code == "R138"
