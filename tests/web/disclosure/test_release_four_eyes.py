"""Four eyes: an editor proposes, another editor or an admin approves; nobody approves alone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from refuge.errors import RefugeError
from refuge.web.audit.models import AuditEntry
from refuge.web.disclosure import services
from refuge.web.disclosure.models import Release

pytestmark = pytest.mark.django_db


def _propose(user: Any, incident: Any, audience: str = "public") -> Release:
    return services.release_propose(
        user=user,
        incident=incident,
        audience=audience,
        public_title="Sixty returned through Tumen",
        public_summary="About sixty people were returned in spring 2024.",
    )


def test_the_proposer_can_never_approve_their_own_release(
    make_incident: Callable[..., Any], alice: Any, ada: Any
) -> None:
    incident = make_incident(disclosure="organisation")
    for proposer in (alice, ada):  # an admin neither
        release = _propose(proposer, incident)
        with pytest.raises(RefugeError) as refused:
            services.release_approve(user=proposer, release=release)
        assert refused.value.code == "R140"
        release.refresh_from_db()
        assert release.state == "proposed"
        services.release_reject(user=proposer, release=release, note="withdrawn by proposer")


def test_another_editor_or_an_admin_approves(
    make_incident: Callable[..., Any], alice: Any, erin: Any, ada: Any
) -> None:
    first = make_incident("First", disclosure="organisation")
    second = make_incident("Second", disclosure="organisation")
    by_editor = services.release_approve(user=erin, release=_propose(alice, first))
    by_admin = services.release_approve(user=ada, release=_propose(alice, second))
    for release, approver in ((by_editor, erin), (by_admin, ada)):
        release.refresh_from_db()
        assert release.state == "approved"
        assert release.approved_by == approver
        assert release.proposed_by == alice
        assert release.approved_at is not None


def test_analysts_partners_and_accounts_without_a_role_never_release(
    make_incident: Callable[..., Any], alice: Any, bob: Any, carol: Any, dave: Any
) -> None:
    incident = make_incident(disclosure="partners")
    release = _propose(alice, incident)
    for user in (bob, carol, dave):
        with pytest.raises(RefugeError) as refused:
            services.release_approve(user=user, release=release)
        assert refused.value.code == "R141"
        with pytest.raises(RefugeError) as refused:
            _propose(user, incident, audience="partners")
        assert refused.value.code == "R141"
    release.refresh_from_db()
    assert release.state == "proposed"


def test_an_active_embargo_blocks_approval_whatever_the_level(
    make_incident: Callable[..., Any], alice: Any, erin: Any
) -> None:
    incident = make_incident(disclosure="public")
    release = _propose(alice, incident)
    services.embargo_set(
        user=alice, incident=incident, condition="family_consents", reason="family asked"
    )
    with pytest.raises(RefugeError) as refused:
        services.release_approve(user=erin, release=release)
    assert refused.value.code == "R142"
    release.refresh_from_db()
    assert release.state == "proposed"


def test_an_embargo_on_a_person_of_the_incident_also_blocks_it(
    make_incident: Callable[..., Any], alice: Any, erin: Any
) -> None:
    incident = make_incident(disclosure="organisation", person={"name": "Kim Canary"})
    person = incident.victimhoods.get().person
    services.embargo_set(user=alice, person=person, condition="person_reached_safety")
    with pytest.raises(RefugeError) as refused:
        services.release_approve(user=erin, release=_propose(alice, incident))
    assert refused.value.code == "R142"


def test_a_public_title_is_required_and_one_proposal_waits_at_a_time(
    make_incident: Callable[..., Any], alice: Any, erin: Any
) -> None:
    incident = make_incident(disclosure="organisation")
    with pytest.raises(RefugeError) as refused:
        services.release_propose(user=alice, incident=incident, audience="public", public_title=" ")
    assert refused.value.code == "R149"
    _propose(alice, incident)
    with pytest.raises(RefugeError) as refused:
        _propose(erin, incident)
    assert refused.value.code == "R143"


def test_an_editor_who_cannot_see_the_incident_cannot_release_it(
    make_incident: Callable[..., Any], erin: Any
) -> None:
    from refuge.web.accounts.models import Team

    other = Team.objects.create(name="Other", slug="other")
    stranger = type(erin).objects.create(username="sam", role="editor", team=other)
    incident = make_incident(disclosure="team")  # alice's and erin's team only
    with pytest.raises(RefugeError) as refused:
        _propose(stranger, incident)
    assert refused.value.code == "R145"


def test_a_newer_approval_supersedes_the_older_release(
    make_incident: Callable[..., Any], alice: Any, erin: Any
) -> None:
    incident = make_incident(disclosure="organisation")
    old = services.release_approve(user=erin, release=_propose(alice, incident))
    new = services.release_approve(user=alice, release=_propose(erin, incident))
    old.refresh_from_db()
    assert (old.state, new.state) == ("superseded", "approved")


def test_every_step_is_audited_without_its_notes(
    make_incident: Callable[..., Any], alice: Any, erin: Any
) -> None:
    incident = make_incident(disclosure="organisation")
    before = AuditEntry.objects.count()
    release = services.release_approve(user=erin, release=_propose(alice, incident))
    services.release_withdraw(user=alice, release=release, reason="zqx family in danger")
    entries = list(AuditEntry.objects.order_by("seq")[before:])
    states = [e.payload.get("after", {}).get("state") for e in entries]
    assert "approved" in states and "withdrawn" in states
    assert all("zqx" not in str(e.payload) for e in entries)
    actors = {e.actor for e in entries}
    assert {"user:alice", "user:erin"} <= actors
