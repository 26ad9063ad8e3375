"""Merging two incidents found to be one, and splitting one found to be two; both undoable.

Nothing is deleted and no provenance is lost. A merge moves the duplicate's events (with the
claims that support them), victim groups (with the claims behind each figure) and linked
persons onto the incident kept, copies its source links there, and marks the duplicate
``merged_into`` the kept one: it leaves lists, search and statistics
(``Incident.objects``), and its page points to the kept one. A split moves the chosen
events, groups and source links onto a new incident. A ``MergeRecord`` names every row that
moved, by primary key, so that the undo puts each back where it was, in its old order.

An undo restores exactly or refuses: when a moved row was deleted or moved on since, or new
rows would be left behind, it says what to do first instead of restoring half.

Both are editors' acts on records the disclosure policy lets them see, audited row by row.
Facts move only where everyone who can then see them could see them before: the duplicate
must not be held at a narrower level, or by another team, than the incident it joins; and
facts never move out of an incident under an unlifted embargo.

Error codes:
    R133  a merge that cannot be made (the same incident twice, a duplicate held at a
          narrower level or by another team, a duplicate under embargo)
    R134  an undo that cannot restore exactly (nothing to undo, rows deleted or moved on
          since, rows added since, an order taken since, an embargo set since)
    R135  a split that cannot be made (nothing or everything chosen, rows of another
          incident, a source both moved and copied, an original under embargo)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from refuge.web.audit.services import snapshot
from refuge.web.disclosure import policy
from refuge.web.disclosure.levels import Level
from refuge.web.incidents.models import (
    Event,
    Incident,
    IncidentSource,
    MergeRecord,
    VictimGroup,
    Victimhood,
)
from refuge.web.incidents.services import (
    EditRefused,
    _audit,
    _reindex,
    check_editor,
    check_incident_writable,
    new_public_id,
)
from refuge.web.sources.models import Source


def _refuse(message: str, code: str) -> EditRefused:
    return EditRefused(message, code=code)


def _lock(*incidents: Incident) -> list[Incident]:
    """The incidents as stored now, locked in primary-key order (no deadlock between two
    editors merging the same pair in opposite directions)."""
    pks = [i.pk for i in incidents]
    locked = Incident.all_objects.select_for_update().filter(pk__in=pks).order_by("pk")
    rows = {i.pk: i for i in locked}
    return [rows[pk] for pk in pks]


def _check_visible_editor(user: Any, incident: Incident) -> None:
    """An incident that may be merged already (undo): seen by the user, who edits."""
    if not policy.can_view(user, incident):
        from refuge.errors import AccessDenied

        raise AccessDenied("no such incident", code="R130")
    check_editor(user)


def _embargoed(incident: Incident) -> bool:
    """Whether an unlifted embargo holds ``incident`` back (refuge.web.disclosure)."""
    embargoes = getattr(incident, "embargoes", None)
    return embargoes is not None and embargoes.filter(lifted_at__isnull=True).exists()


def _rank(level: str) -> int:
    """0 for the narrowest level (team) up to the widest (public)."""
    return list(Level.values).index(level)


def _check_may_join(keep: Incident, duplicate: Incident) -> None:
    """The duplicate's facts will show at the kept incident's level, to its readers: only
    if every one of them could already read the duplicate."""
    if _rank(keep.disclosure) > _rank(duplicate.disclosure):
        raise _refuse(
            f"{duplicate.public_id} is held at a narrower level ({duplicate.disclosure}) than "
            f"{keep.public_id} ({keep.disclosure}): its facts would reach readers who may not "
            "see them; narrow the kept incident first",
            "R133",
        )
    if keep.disclosure == Level.TEAM and keep.team_id != duplicate.team_id:
        raise _refuse(
            f"{duplicate.public_id} belongs to another team than {keep.public_id}: "
            "give both the same team first",
            "R133",
        )


def _move_event(event: Event, to: Incident, order: int, user: Any) -> None:
    before = snapshot(event)
    event.incident = to
    event.order = order
    event.save(update_fields=["incident", "order"])
    _audit(obj=event, before=before, after=snapshot(event), user=user)


def _move(obj: Any, to: Incident, user: Any) -> None:
    before = snapshot(obj)
    obj.incident = to
    obj.save(update_fields=["incident"])
    _audit(obj=obj, before=before, after=snapshot(obj), user=user)


def _delete(obj: Any, user: Any) -> None:
    before = snapshot(obj)
    label = f"{obj._meta.label}:{obj.pk}"
    obj.delete()
    _audit(obj=obj, before=before, after=None, user=user, label=label)


def _create_link(incident: Incident, source_id: int, relation: str, user: Any) -> IncidentSource:
    link = IncidentSource(incident=incident, source_id=source_id, relation=relation)
    link.full_clean()
    link.save()
    _audit(obj=link, before=None, after=snapshot(link), user=user, label=_link_label(link))
    return link


def _link_label(link: IncidentSource) -> str:
    return f"incidents.IncidentSource:{link.pk}"


def _set_merged_into(incident: Incident, target: Incident | None, user: Any) -> None:
    before = snapshot(incident)
    incident.merged_into = target
    incident.save(update_fields=["merged_into", "updated_at"])
    _audit(obj=incident, before=before, after=snapshot(incident), user=user)


def _record(
    *, kind: str, from_incident: Incident, to_incident: Incident, moved: Any, reason: str, user: Any
) -> MergeRecord:
    record = MergeRecord(
        kind=kind,
        from_incident=from_incident,
        to_incident=to_incident,
        moved=moved,
        reason=reason.strip()[:500],
        created_by=user,
    )
    record.full_clean()
    record.save()
    _audit(obj=record, before=None, after=snapshot(record), user=user)
    return record


def _finish_undo(record: MergeRecord, user: Any) -> None:
    before = snapshot(record)
    record.undone_at = timezone.now()
    record.undone_by = user
    record.save(update_fields=["undone_at", "undone_by"])
    _audit(obj=record, before=before, after=snapshot(record), user=user)


# Merge


def incident_merge(
    *, user: Any, keep: Incident, duplicate: Incident, reason: str = ""
) -> MergeRecord:
    """Merge ``duplicate`` into ``keep``: its contents move, it stays as a pointer."""
    if keep.pk == duplicate.pk:
        raise _refuse("an incident cannot be merged into itself", "R133")
    with transaction.atomic():
        keep, duplicate = _lock(keep, duplicate)
        check_incident_writable(user, keep)
        check_incident_writable(user, duplicate)
        _check_may_join(keep, duplicate)
        if _embargoed(duplicate):
            raise _refuse(
                f"{duplicate.public_id} is under embargo: merging would move its facts out of "
                "the embargo; lift it first, or merge the other way round",
                "R133",
            )
        moved: dict[str, list[Any]] = {
            "events": [],
            "victim_groups": [],
            "victimhoods": [],
            "victimhoods_removed": [],
            "sources_copied": [],
        }
        order = int(keep.events.aggregate(last=Max("order"))["last"] or 0)
        for event in duplicate.events.order_by("order"):
            order += 1
            moved["events"].append({"id": event.pk, "order": event.order, "new_order": order})
            _move_event(event, keep, order, user)
        for group in duplicate.victim_groups.order_by("pk"):
            moved["victim_groups"].append(group.pk)
            _move(group, keep, user)
        for link in Victimhood.objects.filter(incident=duplicate).order_by("pk"):
            twins = Victimhood.objects.filter(person_id=link.person_id, incident=keep)
            if link.event_id is None:
                twins = twins.filter(event__isnull=True)
            else:
                twins = twins.filter(event_id=link.event_id)
            if twins.exists():
                # The person is on the kept incident already in the same place: one link
                # is enough, and the undo recreates this one.
                moved["victimhoods_removed"].append(
                    {"person": link.person_id, "event": link.event_id, "role": link.role}
                )
                _delete(link, user)
            else:
                moved["victimhoods"].append(link.pk)
                _move(link, keep, user)
        kept_sources = set(keep.incidentsource_set.values_list("source_id", flat=True))
        # The duplicate keeps its own links (what its sources said stays on record); the
        # kept incident gains a link to each source it lacked.
        for source_link in duplicate.incidentsource_set.order_by("pk"):
            if source_link.source_id not in kept_sources:
                copy = _create_link(keep, source_link.source_id, source_link.relation, user)
                moved["sources_copied"].append(copy.pk)
        record = _record(
            kind=MergeRecord.Kind.MERGE,
            from_incident=duplicate,
            to_incident=keep,
            moved=moved,
            reason=reason,
            user=user,
        )
        _set_merged_into(duplicate, keep, user)
        _reindex(keep)
        _reindex(duplicate)
    return record


def _missing(model: Any, ids: Sequence[int], on: Incident) -> int:
    """How many of the rows ``ids`` are no longer on ``on`` (deleted or moved on)."""
    present = model.objects.filter(pk__in=ids, incident=on).count()
    return len(set(ids)) - int(present)


def _check_moved_rows_in_place(record: MergeRecord, on: Incident) -> None:
    moved = record.moved
    problems = []
    events = _missing(Event, [e["id"] for e in moved.get("events", [])], on)
    if events:
        problems.append(f"{events} event(s)")
    groups = _missing(VictimGroup, moved.get("victim_groups", []), on)
    if groups:
        problems.append(f"{groups} victim group(s)")
    links = _missing(Victimhood, moved.get("victimhoods", []), on)
    if links:
        problems.append(f"{links} person link(s)")
    if problems:
        raise _refuse(
            f"{', '.join(problems)} moved by this {record.kind} are no longer on "
            f"{on.public_id} (deleted, or moved on by a later merge or split): "
            "it cannot be undone exactly",
            "R134",
        )


def _check_orders_free(record: MergeRecord, on: Incident) -> None:
    moving = [e["id"] for e in record.moved.get("events", [])]
    wanted = {e["order"] for e in record.moved.get("events", [])}
    taken = set(
        Event.objects.filter(incident=on, order__in=wanted)
        .exclude(pk__in=moving)
        .values_list("order", flat=True)
    )
    if taken:
        raise _refuse(
            f"events added to {on.public_id} since take the order(s) "
            f"{', '.join(str(o) for o in sorted(taken))}: renumber them first",
            "R134",
        )


def _move_back(record: MergeRecord, to: Incident, user: Any) -> None:
    moved = record.moved
    events = {e.pk: e for e in Event.objects.filter(pk__in=[m["id"] for m in moved["events"]])}
    # Each old order is free on ``to`` (_check_orders_free), so no two rows ever share one.
    for m in moved["events"]:
        _move_event(events[m["id"]], to, m["order"], user)
    for group in VictimGroup.objects.filter(pk__in=moved["victim_groups"]).order_by("pk"):
        _move(group, to, user)
    for link in Victimhood.objects.filter(pk__in=moved["victimhoods"]).order_by("pk"):
        _move(link, to, user)


def incident_unmerge(*, user: Any, duplicate: Incident) -> MergeRecord:
    """Undo the merge of ``duplicate``: it gets back exactly what it had, as it was."""
    with transaction.atomic():
        record = (
            MergeRecord.objects.select_for_update()
            .filter(kind=MergeRecord.Kind.MERGE, from_incident=duplicate, undone_at__isnull=True)
            .first()
        )
        _check_visible_editor(user, duplicate)
        if record is None:
            raise _refuse(f"{duplicate.public_id} is not merged into another incident", "R134")
        keep, duplicate = _lock(record.to_incident, duplicate)
        _check_visible_editor(user, keep)
        if keep.merged_into_id is not None:
            raise _refuse(
                f"{keep.public_id} was itself merged into another incident since: "
                "undo that merge first",
                "R134",
            )
        if duplicate.merged_into_id != keep.pk:
            raise _refuse(f"{duplicate.public_id} is not merged into {keep.public_id}", "R134")
        if _embargoed(keep):
            raise _refuse(
                f"{keep.public_id} is under embargo: undoing would move facts out of it; "
                "lift the embargo first",
                "R134",
            )
        _check_moved_rows_in_place(record, keep)
        _check_orders_free(record, duplicate)
        removed = record.moved.get("victimhoods_removed", [])
        from refuge.web.incidents.models import Person

        gone = (
            len({r["person"] for r in removed})
            - Person.objects.filter(pk__in=[r["person"] for r in removed]).count()
        )
        if gone:
            raise _refuse(
                "a person linked to the duplicate was deleted since: it cannot be undone exactly",
                "R134",
            )
        _move_back(record, duplicate, user)
        for r in removed:
            link = Victimhood(
                person_id=r["person"], incident=duplicate, event_id=r["event"], role=r["role"]
            )
            link.full_clean()
            link.save()
            _audit(obj=link, before=None, after=snapshot(link), user=user)
        for copy in IncidentSource.objects.filter(pk__in=record.moved.get("sources_copied", [])):
            before = snapshot(copy)
            label = _link_label(copy)
            copy.delete()
            _audit(obj=copy, before=before, after=None, user=user, label=label)
        _set_merged_into(duplicate, None, user)
        _finish_undo(record, user)
        _reindex(keep)
        _reindex(duplicate)
    return record


# Split


def incident_split(
    *,
    user: Any,
    incident: Incident,
    title: str,
    events: Sequence[Event] = (),
    victim_groups: Sequence[VictimGroup] = (),
    sources_moved: Sequence[Source] = (),
    sources_copied: Sequence[Source] = (),
    summary: str = "",
    reason: str = "",
) -> tuple[Incident, MergeRecord]:
    """Split the chosen events, groups and source links off ``incident`` into a new one.

    Persons linked to a moved event move with it; a moved source link leaves the original,
    a copied one stays on both (a report that tells of both incidents).
    """
    with transaction.atomic():
        [incident] = _lock(incident)
        check_incident_writable(user, incident)
        event_ids = {e.pk for e in events}
        group_ids = {g.pk for g in victim_groups}
        own_events = set(incident.events.values_list("pk", flat=True))
        own_groups = set(incident.victim_groups.values_list("pk", flat=True))
        links = {link.source_id: link for link in incident.incidentsource_set.all()}
        moved_sources = {s.pk for s in sources_moved}
        copied_sources = {s.pk for s in sources_copied}
        if not event_ids <= own_events or not group_ids <= own_groups:
            raise _refuse(
                f"only events and groups of {incident.public_id} can be split off", "R135"
            )
        if not (moved_sources | copied_sources) <= set(links):
            raise _refuse(f"only sources of {incident.public_id} can be split off", "R135")
        if moved_sources & copied_sources:
            raise _refuse("a source is either moved or copied, not both", "R135")
        if not event_ids and not group_ids:
            raise _refuse("choose at least one event or victim group for the new incident", "R135")
        if event_ids == own_events and group_ids == own_groups:
            raise _refuse(
                "leave at least one event or victim group on the original: "
                "to rename an incident, edit it",
                "R135",
            )
        if _embargoed(incident):
            raise _refuse(
                f"{incident.public_id} is under embargo: the new incident would not be; "
                "lift the embargo first",
                "R135",
            )
        new = Incident(
            public_id=new_public_id("I"),
            title=title.strip(),
            summary=summary,
            status=incident.status,
            team=incident.team,
            disclosure=incident.disclosure,
        )
        new.full_clean()
        new.save()
        _audit(obj=new, before=None, after=snapshot(new), user=user)
        moved: dict[str, list[Any]] = {
            "events": [],
            "victim_groups": [],
            "victimhoods": [],
            "sources_moved": [],
            "sources_copied": [],
        }
        for order, event in enumerate(
            Event.objects.filter(pk__in=event_ids).order_by("order"), start=1
        ):
            moved["events"].append({"id": event.pk, "order": event.order, "new_order": order})
            _move_event(event, new, order, user)
        for group in VictimGroup.objects.filter(pk__in=group_ids).order_by("pk"):
            moved["victim_groups"].append(group.pk)
            _move(group, new, user)
        for link in Victimhood.objects.filter(incident=incident, event_id__in=event_ids):
            moved["victimhoods"].append(link.pk)
            _move(link, new, user)
        for source_id in sorted(moved_sources):
            moved["sources_moved"].append(links[source_id].pk)
            _move(links[source_id], new, user)
        for source_id in sorted(copied_sources):
            copy = _create_link(new, source_id, links[source_id].relation, user)
            moved["sources_copied"].append(copy.pk)
        record = _record(
            kind=MergeRecord.Kind.SPLIT,
            from_incident=incident,
            to_incident=new,
            moved=moved,
            reason=reason,
            user=user,
        )
        _reindex(incident)
        _reindex(new)
    return new, record


def incident_unsplit(*, user: Any, new_incident: Incident) -> MergeRecord:
    """Undo the split that made ``new_incident``: everything goes back to the original, and
    the new incident, then empty, points to it (its public id may have been passed on)."""
    with transaction.atomic():
        record = (
            MergeRecord.objects.select_for_update()
            .filter(kind=MergeRecord.Kind.SPLIT, to_incident=new_incident, undone_at__isnull=True)
            .first()
        )
        _check_visible_editor(user, new_incident)
        if record is None:
            raise _refuse(f"{new_incident.public_id} was not made by a split", "R134")
        original, new = _lock(record.from_incident, new_incident)
        check_incident_writable(user, original)
        if new.merged_into_id is not None:
            raise _refuse(
                f"{new.public_id} was merged into another incident since: undo that merge first",
                "R134",
            )
        if _embargoed(new):
            raise _refuse(
                f"{new.public_id} is under embargo: undoing would move facts out of it; "
                "lift the embargo first",
                "R134",
            )
        moved = record.moved
        _check_moved_rows_in_place(record, new)
        added = (
            new.events.exclude(pk__in=[e["id"] for e in moved["events"]]).count()
            + new.victim_groups.exclude(pk__in=moved["victim_groups"]).count()
            + new.victimhoods.exclude(pk__in=moved["victimhoods"]).count()
            + new.incidentsource_set.exclude(
                pk__in=moved["sources_moved"] + moved["sources_copied"]
            ).count()
        )
        if added:
            raise _refuse(
                f"{new.public_id} has records added since the split: move or delete them first",
                "R134",
            )
        returning = IncidentSource.objects.filter(pk__in=moved["sources_moved"], incident=new)
        if returning.count() != len(moved["sources_moved"]):
            raise _refuse(
                f"a source link moved to {new.public_id} was removed since: "
                "it cannot be undone exactly",
                "R134",
            )
        clash = original.incidentsource_set.filter(
            source_id__in=returning.values_list("source_id", flat=True)
        )
        if clash.exists():
            raise _refuse(
                f"{original.public_id} was linked since to a source the split moved: "
                "remove that link first",
                "R134",
            )
        _check_orders_free(record, original)
        _move_back(record, original, user)
        for link in returning.order_by("pk"):
            _move(link, original, user)
        for copy in IncidentSource.objects.filter(pk__in=moved["sources_copied"]):
            before = snapshot(copy)
            label = _link_label(copy)
            copy.delete()
            _audit(obj=copy, before=before, after=None, user=user, label=label)
        _set_merged_into(new, original, user)
        _finish_undo(record, user)
        _reindex(original)
        _reindex(new)
    return record


__all__ = ["incident_merge", "incident_split", "incident_unmerge", "incident_unsplit"]
