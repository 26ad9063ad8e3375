"""Record writes asked for through the API, handed to the incidents' services.

Nothing here writes or decides access: the services (``incident_create``,
``incident_update``, given the token's user) ask the disclosure policy, validate, save and
audit in the user's name. This module only turns a request into a service call: it finds
the record the way the reads do (hidden and absent alike answer R163, so a write cannot
probe for records the token may not see) and fills the fields a PATCH leaves out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from refuge.web.api.errors import NOT_FOUND, ApiError
from refuge.web.api.selectors import incident_record
from refuge.web.incidents import services
from refuge.web.incidents.models import Incident


def api_incident_create(*, user: Any, fields: Mapping[str, Any]) -> Incident:
    """A new incident of the token's team (``incident_create`` checks the role and level)."""
    return services.incident_create(
        title=fields["title"],
        team=getattr(user, "team", None),
        summary=fields.get("summary", ""),
        status=fields.get("status", "unknown"),
        disclosure=fields.get("disclosure", "team"),
        user=user,
    )


def api_incident_update(*, user: Any, public_id: str, changes: Mapping[str, Any]) -> Incident:
    """Changes to an incident's own fields (``incident_update`` checks and audits them)."""
    incident = incident_record(user=user, public_id=public_id)
    if incident is None:
        raise ApiError("no such record", code=NOT_FOUND)
    return services.incident_update(
        user=user,
        incident=incident,
        title=changes.get("title", incident.title),
        summary=changes.get("summary", incident.summary),
        status=changes.get("status", incident.status),
        disclosure=changes.get("disclosure", incident.disclosure),
        team=incident.team,
    )
