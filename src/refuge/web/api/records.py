"""Authenticated endpoints for internal records: every read through the policy, every write
through the services (``services_bridge``).

A token acts with its own role (``refuge.web.accounts.tokens``): an analyst's token reads
records without identifying fields, a partner's only what is released to partners, and only
editors' and administrators' tokens write.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.params import P, PathEx

from refuge.web.api import selectors, services_bridge
from refuge.web.api.auth import BearerToken, api_user
from refuge.web.api.errors import NOT_FOUND, ApiError, refuse_unknown_parameters
from refuge.web.api.schemas import (
    PUBLIC_ID_PATTERN,
    ErrorOut,
    IncidentIn,
    IncidentPatch,
    IncidentRecordDetail,
    IncidentRecordPage,
    IncidentRecordQuery,
    RecordQuery,
    SourceRecordDetail,
    SourceRecordPage,
)

router = Router(tags=["records"], auth=BearerToken())
READ_ERRORS: dict[int, Any] = {401: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut}


@router.get(
    "/incidents",
    response={200: IncidentRecordPage, **READ_ERRORS},
    url_name="record_incidents",
    summary="Incidents this token may see, newest first",
)
def record_incidents(request: HttpRequest, query: Query[IncidentRecordQuery]) -> dict[str, Any]:
    refuse_unknown_parameters(request, *IncidentRecordQuery.model_fields)
    page = selectors.incident_page(
        user=api_user(request),
        limit=query.limit,
        offset=query.offset,
        status=query.status,
        event_type=query.event_type,
        country=query.country,
        year=query.year,
    )
    return asdict(page)


@router.post(
    "/incidents",
    response={201: IncidentRecordDetail, **WRITE_ERRORS},
    url_name="record_incident_create",
    summary="Create an incident (editors and administrators)",
)
def record_incident_create(request: HttpRequest, payload: IncidentIn) -> Status[dict[str, Any]]:
    refuse_unknown_parameters(request)
    user = api_user(request)
    incident = services_bridge.api_incident_create(user=user, fields=payload.dict())
    detail = selectors.incident_detail(user=user, public_id=incident.public_id)
    if detail is None:
        # Created at a level the token itself cannot see (a team-level record without a
        # team): say so rather than pretend it does not exist.
        raise ApiError(
            f"created {incident.public_id}, at a level this token cannot read",
            code=NOT_FOUND,
        )
    return Status(201, detail)


@router.get(
    "/incidents/{public_id}",
    response={200: IncidentRecordDetail, 404: ErrorOut, **READ_ERRORS},
    url_name="record_incident",
    summary="One incident with its events, victim groups, sources and persons",
)
def record_incident(
    request: HttpRequest, public_id: PathEx[str, P(pattern=PUBLIC_ID_PATTERN)]
) -> dict[str, Any]:
    refuse_unknown_parameters(request)
    detail = selectors.incident_detail(user=api_user(request), public_id=public_id)
    if detail is None:
        raise ApiError("no such record", code=NOT_FOUND)
    return detail


@router.patch(
    "/incidents/{public_id}",
    response={200: IncidentRecordDetail, 404: ErrorOut, **WRITE_ERRORS},
    url_name="record_incident_update",
    summary="Change an incident's title, summary, status or level (editors and administrators)",
)
def record_incident_update(
    request: HttpRequest,
    public_id: PathEx[str, P(pattern=PUBLIC_ID_PATTERN)],
    payload: IncidentPatch,
) -> dict[str, Any]:
    refuse_unknown_parameters(request)
    user = api_user(request)
    changes = payload.dict(exclude_unset=True, exclude_none=True)
    incident = services_bridge.api_incident_update(user=user, public_id=public_id, changes=changes)
    detail = selectors.incident_detail(user=user, public_id=incident.public_id)
    if detail is None:
        raise ApiError(
            f"changed {incident.public_id}, now at a level this token cannot read",
            code=NOT_FOUND,
        )
    return detail


@router.get(
    "/sources",
    response={200: SourceRecordPage, **READ_ERRORS},
    url_name="record_sources",
    summary="Sources this token may see, newest first; confidential fields withheld by role",
)
def record_sources(request: HttpRequest, query: Query[RecordQuery]) -> dict[str, Any]:
    refuse_unknown_parameters(request, *RecordQuery.model_fields)
    page = selectors.source_page(user=api_user(request), limit=query.limit, offset=query.offset)
    return asdict(page)


@router.get(
    "/sources/{source_uuid}",
    response={200: SourceRecordDetail, 404: ErrorOut, **READ_ERRORS},
    url_name="record_source",
    summary="One source with its text, when this token may read it",
)
def record_source(request: HttpRequest, source_uuid: uuid.UUID) -> dict[str, Any]:
    refuse_unknown_parameters(request)
    detail = selectors.source_detail(user=api_user(request), uuid=str(source_uuid))
    if detail is None:
        raise ApiError("no such record", code=NOT_FOUND)
    return detail
