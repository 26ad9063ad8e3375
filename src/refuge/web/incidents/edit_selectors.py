"""Reads for the editing, merging and splitting screens, always through the disclosure policy.

Hidden and absent records read the same (None), so the views answer both with a 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext

from refuge.web.disclosure import policy
from refuge.web.incidents.models import Actor, Event, Incident, MergeRecord, Person, VictimGroup
from refuge.web.incidents.selectors import format_total

# A merged incident may have joined one that was merged in turn; a chain this long means
# a loop the constraints should have prevented, and is not followed further.
MAX_HOPS = 20


def incident_visible(*, user: Any, public_id: str) -> Incident | None:
    """A current (not merged) incident ``user`` may see, or None."""
    found = policy.visible(user, Incident.objects.filter(public_id=public_id)).first()
    return found if found is not None and policy.can_view(user, found) else None


def incident_any_visible(*, user: Any, public_id: str) -> Incident | None:
    """An incident ``user`` may see, merged or not (for the undo screens), or None."""
    found = policy.visible(user, Incident.all_objects.filter(public_id=public_id)).first()
    return found if found is not None and policy.can_view(user, found) else None


def event_of(*, incident: Incident, uuid: Any) -> Event | None:
    return Event.objects.filter(incident=incident, uuid=uuid).first()


def group_of(*, incident: Incident, uuid: Any) -> VictimGroup | None:
    return VictimGroup.objects.filter(incident=incident, uuid=uuid).first()


def actor_get(*, user: Any, uuid: Any) -> Actor | None:
    """Actors have no level of their own: staff see them (policy.visible)."""
    return policy.visible(user, Actor.objects.filter(uuid=uuid)).first()


def actor_rows(*, user: Any) -> list[Actor]:
    return list(policy.visible(user, Actor.objects.select_related("parent").order_by("name")))


def person_visible(*, user: Any, public_id: str) -> Person | None:
    found = policy.visible(user, Person.objects.filter(public_id=public_id)).first()
    return found if found is not None and policy.can_view(user, found) else None


def merged_target(*, user: Any, public_id: str) -> str | None:
    """The public id of the incident that ``public_id`` was merged into, if ``user`` may
    see both; None otherwise (then the page answers as for any hidden incident)."""
    incident = Incident.all_objects.filter(public_id=public_id).first()
    if incident is None or incident.merged_into_id is None:
        return None
    if not policy.can_view(user, incident):
        return None
    for _hop in range(MAX_HOPS):
        if incident.merged_into_id is None:
            break
        nxt = Incident.all_objects.filter(pk=incident.merged_into_id).first()
        if nxt is None:
            return None
        incident = nxt
    if incident.merged_into_id is not None or not policy.can_view(user, incident):
        return None
    return incident.public_id


def merge_record_of(*, duplicate: Incident) -> MergeRecord | None:
    """The merge, not undone, that made ``duplicate`` part of another incident."""
    return (
        MergeRecord.objects.filter(
            kind=MergeRecord.Kind.MERGE, from_incident=duplicate, undone_at__isnull=True
        )
        .select_related("to_incident", "created_by")
        .first()
    )


def split_record_of(*, new_incident: Incident) -> MergeRecord | None:
    """The split, not undone, that made ``new_incident``."""
    return (
        MergeRecord.objects.filter(
            kind=MergeRecord.Kind.SPLIT, to_incident=new_incident, undone_at__isnull=True
        )
        .select_related("from_incident", "created_by")
        .first()
    )


@dataclass(frozen=True)
class EditingPanel:
    """What the editing links of one incident's page offer this user."""

    public_id: str
    may_edit: bool
    merged_here: list[str] = field(default_factory=list)  # duplicates merged into it
    split_from: str = ""  # the incident it was split from (the split can be undone here)
    split_off: list[str] = field(default_factory=list)  # incidents split off it


def editing_panel(*, user: Any, public_id: str) -> EditingPanel | None:
    """The editing links for ``public_id``; None when the user may not change it."""
    incident = incident_visible(user=user, public_id=public_id)
    if incident is None or not policy.may_edit(user):
        return None
    records = MergeRecord.objects.filter(undone_at__isnull=True).select_related(
        "from_incident", "to_incident"
    )
    merged_here = [
        r.from_incident.public_id
        for r in records.filter(kind=MergeRecord.Kind.MERGE, to_incident=incident)
        if policy.can_view(user, r.from_incident)
    ]
    split = records.filter(kind=MergeRecord.Kind.SPLIT, to_incident=incident).first()
    split_off = [
        r.to_incident.public_id
        for r in records.filter(kind=MergeRecord.Kind.SPLIT, from_incident=incident)
        if policy.can_view(user, r.to_incident) and r.to_incident.merged_into_id is None
    ]
    return EditingPanel(
        public_id=incident.public_id,
        may_edit=True,
        merged_here=merged_here,
        split_from=(
            split.from_incident.public_id
            if split is not None and policy.can_view(user, split.from_incident)
            else ""
        ),
        split_off=split_off,
    )


def event_label(event: Event) -> str:
    """ "2. Detention · 2024-04 · Tumen" for lists and check boxes (no claims, no persons)."""
    parts = [f"{event.order}. {gettext(event.get_type_display())}"]
    if event.period is not None:
        parts.append(event.period.render())
    names = [p.name for p in event.places.all()]
    if names:
        parts.append(" / ".join(names))
    if event.facility:
        parts.append(event.facility)
    return " · ".join(parts)


def group_label(group: VictimGroup) -> str:
    name = group.description or (group.nationality and f"{group.nationality}") or gettext("group")
    return f"{name}: {format_total(group)}"


def source_label_for(user: Any) -> Any:
    """A labeller of sources for ``user``: a confidential title shows only if they may read it."""

    def label(source: Any) -> str:
        fields = policy.redact(user, source)
        title = fields.get("title") or gettext("untitled source")
        outlet = source.outlet or ""
        return f"{title} ({outlet})" if outlet else str(title)

    return label
