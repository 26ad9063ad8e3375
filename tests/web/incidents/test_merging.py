"""Merging duplicates and splitting incidents: provenance kept, undo exact, policy and audit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from refuge.errors import AccessDenied, RefugeError
from refuge.web.audit.models import AuditEntry
from refuge.web.incidents import merging, selectors, services
from refuge.web.incidents.models import (
    Claim,
    Event,
    Incident,
    IncidentSource,
    MergeRecord,
    Victimhood,
)
from refuge.web.sources.services import TextSourceInput, source_create_from_text

pytestmark = pytest.mark.django_db

OTHER_REPORT = (
    "SAMPLE DATA. Northern Lights Radio, 6 May 2024.\n"
    "About 60 people from the North were caught near Tumen in April; a witness said "
    "they were moved to Sinuiju within days."
)


@pytest.fixture
def pair(make_incident: Callable[..., Any], alice: Any) -> tuple[Incident, Incident]:
    """Two organisation-level records of one event, each with its own source and claims.

    The duplicate also has a second event supported by a claim, a person linked to that
    event, and a person linked to both incidents (whose two links become one on merge).
    """
    keep = make_incident("Sixty returned from Tumen", disclosure="organisation")
    duplicate = make_incident(
        "Sixty caught near Tumen", text=OTHER_REPORT, disclosure="organisation"
    )
    source = duplicate.sources.get()
    start = OTHER_REPORT.index("moved to Sinuiju")
    claim = services.claim_create(
        source=source,
        field="event_types.transfer",
        value="transfer",
        span=(start, start + len("moved to Sinuiju")),
        extractor_version="test",
    )
    transfer = services.event_create(
        incident=duplicate,
        order=2,
        type="transfer",
        date_start=date(2024, 4, 1),
        date_end=date(2024, 4, 30),
        date_precision="month",
        claims=[claim],
    )
    witness = services.person_create(team=keep.team, disclosure="organisation", name="Witness")
    services.victimhood_create(person=witness, incident=duplicate, event=transfer)
    shared = services.person_create(team=keep.team, disclosure="organisation", name="Shared")
    services.victimhood_create(person=shared, incident=keep)
    services.victimhood_create(person=shared, incident=duplicate, role="witness")
    return keep, duplicate


def _entries_by(user: Any) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(actor=f"user:{user.username}").order_by("seq"))


def test_merging_moves_every_fact_with_its_claims_and_hides_the_duplicate(
    pair: tuple[Incident, Incident], alice: Any
) -> None:
    keep, duplicate = pair
    claims_before = {
        e.uuid: sorted(e.claims.values_list("pk", flat=True)) for e in duplicate.events.all()
    }
    figure_claims = sorted(
        duplicate.victim_groups.get().figure_claims.values_list("claim_id", flat=True)
    )
    dup_source = duplicate.sources.get()

    record = merging.incident_merge(user=alice, keep=keep, duplicate=duplicate, reason="same")

    duplicate.refresh_from_db()
    assert duplicate.merged_into == keep
    assert record.kind == "merge" and record.from_incident == duplicate
    # Events follow the kept incident's own, in their order, with the same claims.
    assert list(keep.events.order_by("order").values_list("order", "type")) == [
        (1, "arrest"),
        (2, "arrest"),
        (3, "transfer"),
    ]
    for uuid, claim_ids in claims_before.items():
        moved = Event.objects.get(uuid=uuid)
        assert moved.incident == keep
        assert sorted(moved.claims.values_list("pk", flat=True)) == claim_ids
    assert keep.victim_groups.count() == 2
    assert figure_claims[0] in set(
        keep.victim_groups.values_list("figure_claims__claim_id", flat=True)
    )
    # The kept incident now cites the duplicate's source; the duplicate still does too.
    assert keep.sources.filter(pk=dup_source.pk).exists()
    assert duplicate.sources.filter(pk=dup_source.pk).exists()
    # One link per person and place: the shared person's second link was folded.
    assert Victimhood.objects.filter(incident=duplicate).count() == 0
    assert Victimhood.objects.filter(incident=keep).count() == 2
    # Lists, search and the detail page show one incident.
    assert not Incident.objects.filter(pk=duplicate.pk).exists()
    titles = [row.title for row in selectors.incident_list(user=alice)]
    assert titles == ["Sixty returned from Tumen"]
    detail = selectors.incident_detail(user=alice, public_id=keep.public_id)
    assert detail is not None
    quotes = [ev.quote for event in detail.events for ev in event.evidence]
    assert "moved to Sinuiju" in quotes  # the duplicate's words, still behind its fact
    assert selectors.incident_detail(user=alice, public_id=duplicate.public_id) is None


def test_undoing_a_merge_restores_both_incidents_exactly(
    pair: tuple[Incident, Incident], alice: Any, contents: Callable[[Any], Any]
) -> None:
    keep, duplicate = pair
    before = (contents(keep), contents(duplicate))
    merging.incident_merge(user=alice, keep=keep, duplicate=duplicate)
    assert (contents(keep), contents(duplicate)) != before

    record = merging.incident_unmerge(user=alice, duplicate=duplicate)

    assert (contents(keep), contents(duplicate)) == before
    assert record.undone_by == alice and record.undone_at is not None
    titles = sorted(row.title for row in selectors.incident_list(user=alice))
    assert titles == ["Sixty caught near Tumen", "Sixty returned from Tumen"]
    with pytest.raises(RefugeError) as refused:
        merging.incident_unmerge(user=alice, duplicate=duplicate)
    assert refused.value.code == "R134"  # nothing left to undo


def test_a_merge_and_its_undo_are_audited_row_by_row(
    pair: tuple[Incident, Incident], alice: Any
) -> None:
    keep, duplicate = pair
    seen = AuditEntry.objects.count()
    record = merging.incident_merge(user=alice, keep=keep, duplicate=duplicate)
    entries = [e.payload for e in _entries_by(alice)]
    assert len(entries) == AuditEntry.objects.count() - seen
    records = [p["record"] for p in entries]
    assert f"incidents.MergeRecord:{record.uuid}" in records
    assert f"incidents.Incident:{duplicate.public_id}" in records
    moved_events = [p for p in entries if p["record"].startswith("incidents.Event:")]
    assert len(moved_events) == 2
    assert all(p["before"]["incident_id"] == duplicate.pk for p in moved_events)
    assert all(p["after"]["incident_id"] == keep.pk for p in moved_events)
    marked = next(p for p in entries if p["record"] == f"incidents.Incident:{duplicate.public_id}")
    assert marked["after"]["merged_into_id"] == keep.pk
    # Names never reach the log, whatever moved.
    assert "Witness" not in str(entries) and "Shared" not in str(entries)

    merging.incident_unmerge(user=alice, duplicate=duplicate)
    undo = [e.payload for e in _entries_by(alice)][len(entries) :]
    unmarked = next(p for p in undo if p["record"] == f"incidents.Incident:{duplicate.public_id}")
    assert unmarked["after"]["merged_into_id"] is None
    assert any(p["record"] == f"incidents.MergeRecord:{record.uuid}" for p in undo)


def test_the_search_index_drops_a_merged_incident_and_takes_it_back_on_undo(
    pair: tuple[Incident, Incident], alice: Any
) -> None:
    from refuge.web.search.models import SearchDocument

    keep, duplicate = pair
    indexed = SearchDocument.objects.filter(kind="incident", object_id=duplicate.pk)
    assert indexed.exists()
    merging.incident_merge(user=alice, keep=keep, duplicate=duplicate)
    assert not indexed.exists()
    merging.incident_unmerge(user=alice, duplicate=duplicate)
    assert indexed.exists()


@pytest.mark.parametrize("who", ["bob", "carol", "dave"])
def test_only_editors_merge(
    pair: tuple[Incident, Incident], who: str, request: pytest.FixtureRequest, contents: Any
) -> None:
    keep, duplicate = pair
    user = request.getfixturevalue(who)
    before = contents(duplicate)
    with pytest.raises(AccessDenied) as refused:
        merging.incident_merge(user=user, keep=keep, duplicate=duplicate)
    assert refused.value.code == "R130"
    assert contents(duplicate) == before
    assert _entries_by(user) == []


def test_an_editor_of_another_team_cannot_merge_records_she_does_not_see(
    make_incident: Callable[..., Any], erin: Any, alice: Any, contents: Any
) -> None:
    keep = make_incident("Team record")
    duplicate = make_incident("Team duplicate", text=OTHER_REPORT)
    before = contents(duplicate)
    with pytest.raises(AccessDenied):
        merging.incident_merge(user=erin, keep=keep, duplicate=duplicate)
    assert contents(duplicate) == before
    merging.incident_merge(user=alice, keep=keep, duplicate=duplicate)
    with pytest.raises(AccessDenied):
        merging.incident_unmerge(user=erin, duplicate=duplicate)


def test_an_editor_of_another_team_may_merge_organisation_records(
    pair: tuple[Incident, Incident], erin: Any
) -> None:
    keep, duplicate = pair
    merging.incident_merge(user=erin, keep=keep, duplicate=duplicate)
    assert Incident.all_objects.get(pk=duplicate.pk).merged_into_id == keep.pk


def test_a_duplicate_held_more_narrowly_cannot_join_a_wider_incident(
    make_incident: Callable[..., Any], alice: Any
) -> None:
    wide = make_incident("Organisation record", disclosure="organisation")
    narrow = make_incident("Team record", text=OTHER_REPORT, disclosure="team")
    with pytest.raises(RefugeError) as refused:
        merging.incident_merge(user=alice, keep=wide, duplicate=narrow)
    assert refused.value.code == "R133"
    assert "narrower" in refused.value.message
    # The other way round every reader of the team record could read both.
    merging.incident_merge(user=alice, keep=narrow, duplicate=wide)


def test_team_records_of_two_teams_are_not_merged(
    make_incident: Callable[..., Any], root: Any, erin: Any
) -> None:
    ours = make_incident("Ours")
    theirs = services.incident_create(title="Theirs", team=erin.team, disclosure="team")
    with pytest.raises(RefugeError) as refused:
        merging.incident_merge(user=root, keep=ours, duplicate=theirs)
    assert refused.value.code == "R133"


def test_an_incident_is_merged_once_and_never_into_itself(
    pair: tuple[Incident, Incident], make_incident: Callable[..., Any], alice: Any
) -> None:
    keep, duplicate = pair
    with pytest.raises(RefugeError) as itself:
        merging.incident_merge(user=alice, keep=keep, duplicate=keep)
    assert itself.value.code == "R133"
    merging.incident_merge(user=alice, keep=keep, duplicate=duplicate)
    third = make_incident("Third", text=OTHER_REPORT + " Third.", disclosure="organisation")
    with pytest.raises(RefugeError) as again:
        merging.incident_merge(user=alice, keep=third, duplicate=duplicate)
    assert again.value.code == "R132"
    with pytest.raises(RefugeError) as into_merged:
        merging.incident_merge(user=alice, keep=duplicate, duplicate=third)
    assert into_merged.value.code == "R132"


def test_an_embargoed_duplicate_is_not_merged_out_of_its_embargo(
    pair: tuple[Incident, Incident], alice: Any
) -> None:
    keep, duplicate = pair
    if not hasattr(duplicate, "embargoes"):
        pytest.skip("embargoes are not part of this build")
    from django.utils import timezone

    duplicate.embargoes.create(condition="family_consents", set_at=timezone.now())
    with pytest.raises(RefugeError) as refused:
        merging.incident_merge(user=alice, keep=keep, duplicate=duplicate)
    assert refused.value.code == "R133"
    assert "embargo" in refused.value.message


def test_an_undo_refuses_when_a_moved_event_was_deleted_since(
    pair: tuple[Incident, Incident], alice: Any, contents: Any
) -> None:
    keep, duplicate = pair
    record = merging.incident_merge(user=alice, keep=keep, duplicate=duplicate)
    moved = Event.objects.get(pk=record.moved["events"][0]["id"])
    services.event_delete(user=alice, event=moved)
    state = (contents(keep), contents(duplicate))
    with pytest.raises(RefugeError) as refused:
        merging.incident_unmerge(user=alice, duplicate=duplicate)
    assert refused.value.code == "R134"
    assert "1 event(s)" in refused.value.message
    assert (contents(keep), contents(duplicate)) == state  # nothing half-restored


def test_a_merge_undone_in_the_wrong_order_is_refused(
    pair: tuple[Incident, Incident], make_incident: Callable[..., Any], alice: Any, contents: Any
) -> None:
    keep, duplicate = pair
    merging.incident_merge(user=alice, keep=keep, duplicate=duplicate)
    later = make_incident("Later", text=OTHER_REPORT + " Later.", disclosure="organisation")
    merging.incident_merge(user=alice, keep=later, duplicate=keep)
    with pytest.raises(RefugeError) as refused:
        merging.incident_unmerge(user=alice, duplicate=duplicate)
    assert refused.value.code == "R134"
    merging.incident_unmerge(user=alice, duplicate=keep)
    merging.incident_unmerge(user=alice, duplicate=duplicate)
    assert Incident.objects.filter(pk__in=[keep.pk, duplicate.pk, later.pk]).count() == 3


# Split


@pytest.fixture
def two_in_one(make_incident: Callable[..., Any], alice: Any) -> tuple[Incident, Event, Any, Any]:
    """An incident that tells of two: an arrest in Tumen, and a release months later
    reported by a second source; a person linked to the release."""
    incident = make_incident("Two stories", disclosure="organisation")
    release = services.event_create(
        incident=incident,
        order=2,
        type="release",
        date_start=date(2024, 9, 1),
        date_end=date(2024, 9, 30),
        date_precision="month",
    )
    group = services.victim_group_create(
        incident=incident, description="Released", total=(3, 3, 3), qualifier="exact"
    )
    second, _ = source_create_from_text(
        data=TextSourceInput(
            text="SAMPLE DATA. Three were released in September.",
            title="Release note",
            language="en",
            disclosure="organisation",
        ),
        team=incident.team,
    )
    IncidentSource.objects.create(incident=incident, source=second)
    person = services.person_create(team=incident.team, disclosure="organisation", name="R")
    services.victimhood_create(person=person, incident=incident, event=release)
    return incident, release, group, second


def test_a_split_moves_the_chosen_facts_to_a_new_incident_with_their_provenance(
    two_in_one: tuple[Incident, Event, Any, Any], alice: Any
) -> None:
    incident, release, group, second = two_in_one
    first_source = incident.sources.exclude(pk=second.pk).get()
    new, record = merging.incident_split(
        user=alice,
        incident=incident,
        title="Release in September",
        events=[release],
        victim_groups=[group],
        sources_moved=[second],
        sources_copied=[first_source],
    )
    assert record.kind == "split" and record.to_incident == new
    assert (new.team, new.disclosure, new.status) == (
        incident.team,
        incident.disclosure,
        incident.status,
    )
    release.refresh_from_db()
    assert release.incident == new and release.order == 1
    assert list(new.victim_groups.all()) == [group]
    assert Victimhood.objects.get(event=release).incident == new  # the person follows
    assert set(new.sources.all()) == {second, first_source}
    assert set(incident.sources.all()) == {first_source}
    assert list(incident.events.values_list("type", flat=True)) == ["arrest"]
    titles = sorted(row.title for row in selectors.incident_list(user=alice))
    assert titles == ["Release in September", "Two stories"]


def test_undoing_a_split_restores_the_original_exactly(
    two_in_one: tuple[Incident, Event, Any, Any], alice: Any, contents: Any
) -> None:
    incident, release, group, second = two_in_one
    before = contents(incident)
    new, _ = merging.incident_split(
        user=alice,
        incident=incident,
        title="Release",
        events=[release],
        victim_groups=[group],
        sources_moved=[second],
    )
    merging.incident_unsplit(user=alice, new_incident=new)
    assert contents(incident) == before
    # The emptied incident stays, out of lists, pointing to where its facts went.
    new = Incident.all_objects.get(pk=new.pk)
    assert new.merged_into == incident
    assert new.events.count() == 0 and new.sources.count() == 0
    assert [row.title for row in selectors.incident_list(user=alice)] == ["Two stories"]
    records = [e.payload["record"] for e in _entries_by(alice)]
    assert f"incidents.Incident:{new.public_id}" in records


def test_a_split_must_leave_something_on_both_sides(
    two_in_one: tuple[Incident, Event, Any, Any], alice: Any, make_incident: Any
) -> None:
    incident, release, _group, second = two_in_one
    everything = {
        "events": list(incident.events.all()),
        "victim_groups": list(incident.victim_groups.all()),
    }
    cases: list[dict[str, Any]] = [
        {},
        everything,
        {"events": [release], "sources_moved": [second], "sources_copied": [second]},
        {"events": [make_incident("Else", text=OTHER_REPORT).events.get()]},
    ]
    for case in cases:
        with pytest.raises(RefugeError) as refused:
            merging.incident_split(user=alice, incident=incident, title="New", **case)
        assert refused.value.code == "R135", case
    assert Incident.all_objects.count() == 2  # no incident was left half-made


@pytest.mark.parametrize("who", ["bob", "carol", "dave"])
def test_only_editors_split(
    two_in_one: tuple[Incident, Event, Any, Any], who: str, request: pytest.FixtureRequest
) -> None:
    incident, release, _group, _second = two_in_one
    with pytest.raises(AccessDenied):
        merging.incident_split(
            user=request.getfixturevalue(who), incident=incident, title="X", events=[release]
        )
    assert Incident.all_objects.count() == 1


def test_an_undo_split_refuses_when_the_new_incident_gained_records(
    two_in_one: tuple[Incident, Event, Any, Any], alice: Any, contents: Any
) -> None:
    incident, release, _group, _second = two_in_one
    new, _ = merging.incident_split(user=alice, incident=incident, title="R", events=[release])
    services.event_create(user=alice, incident=new, order=5, type="death")
    with pytest.raises(RefugeError) as refused:
        merging.incident_unsplit(user=alice, new_incident=new)
    assert refused.value.code == "R134"
    assert "added since" in refused.value.message


def test_an_undo_split_refuses_when_an_order_was_taken_since(
    two_in_one: tuple[Incident, Event, Any, Any], alice: Any
) -> None:
    incident, release, _group, _second = two_in_one
    new, _ = merging.incident_split(user=alice, incident=incident, title="R", events=[release])
    services.event_create(user=alice, incident=incident, order=2, type="detention")
    with pytest.raises(RefugeError) as refused:
        merging.incident_unsplit(user=alice, new_incident=new)
    assert refused.value.code == "R134"
    assert "order(s) 2" in refused.value.message
    assert Event.objects.get(pk=release.pk).incident == new


def test_claims_are_never_deleted_by_merge_split_or_undo(
    pair: tuple[Incident, Incident], alice: Any
) -> None:
    keep, duplicate = pair
    claims = set(Claim.objects.values_list("pk", "source_id"))
    merging.incident_merge(user=alice, keep=keep, duplicate=duplicate)
    new, _ = merging.incident_split(
        user=alice, incident=keep, title="Part", events=[keep.events.order_by("order").last()]
    )
    merging.incident_unsplit(user=alice, new_incident=new)
    merging.incident_unmerge(user=alice, duplicate=duplicate)
    assert set(Claim.objects.values_list("pk", "source_id")) == claims
    assert MergeRecord.objects.filter(undone_at__isnull=True).count() == 0
