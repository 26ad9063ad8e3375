"""Public endpoints: released, generalised incidents and aggregate tables, no token needed.

They read the publication store only (``refuge.web.public.reading``), exactly as the public
pages do: no query here ever reaches the confidential database.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.params import P, PathEx

from refuge.publish.jsonform import incident_dict, table_dict
from refuge.publish.records import PublishedIncident
from refuge.publish.store import StoreFilters
from refuge.web.api.errors import NOT_FOUND, ApiError, refuse_unknown_parameters
from refuge.web.api.schemas import (
    PUBLIC_ID_PATTERN,
    ErrorOut,
    PublicIncidentQuery,
    PublishedIncidentOut,
    PublishedIncidentPage,
    StoreMetaOut,
    TableOut,
)
from refuge.web.public.reading import published

router = Router(tags=["public"])
ERRORS: dict[int, Any] = {422: ErrorOut, 503: ErrorOut}


def incident_out(incident: PublishedIncident) -> dict[str, Any]:
    """The JSON export's shape of an incident (``jsonform``), plus ``minors_involved``."""
    return {**incident_dict(incident), "minors_involved": incident.minors_involved}


def store_filters(query: PublicIncidentQuery) -> StoreFilters:
    return StoreFilters(
        event_type=query.event_type,
        country=query.country.upper() if query.country else None,
        province=query.province,
        year=query.year,
        minors_involved=query.minors_involved,
    )


@router.get(
    "/incidents",
    response={200: PublishedIncidentPage, **ERRORS},
    url_name="public_incidents",
    summary="Released incidents, newest release first",
)
def public_incidents(request: HttpRequest, query: Query[PublicIncidentQuery]) -> dict[str, Any]:
    refuse_unknown_parameters(request, *PublicIncidentQuery.model_fields)
    filters = store_filters(query)
    with published() as store:
        count = store.count(filters)
        items = store.incidents(filters, offset=query.offset, limit=query.limit)
    return {
        "count": count,
        "limit": query.limit,
        "offset": query.offset,
        "items": [incident_out(i) for i in items],
    }


@router.get(
    "/incidents/{public_id}",
    response={200: PublishedIncidentOut, 404: ErrorOut, **ERRORS},
    url_name="public_incident",
    summary="One released incident",
)
def public_incident(
    request: HttpRequest, public_id: PathEx[str, P(pattern=PUBLIC_ID_PATTERN)]
) -> dict[str, Any]:
    refuse_unknown_parameters(request)
    with published() as store:
        incident = store.incident(public_id)
    if incident is None:
        raise ApiError("no such published incident", code=NOT_FOUND)
    return incident_out(incident)


@router.get(
    "/tables",
    response={200: list[TableOut], **ERRORS},
    url_name="public_tables",
    summary="Aggregate tables, small cells suppressed",
)
def public_tables(request: HttpRequest) -> list[dict[str, Any]]:
    refuse_unknown_parameters(request)
    with published() as store:
        return [table_dict(t) for t in store.tables()]


@router.get(
    "/meta",
    response={200: StoreMetaOut, **ERRORS},
    url_name="public_meta",
    summary="When the publication store was built, and what it holds",
)
def public_meta(request: HttpRequest) -> dict[str, Any]:
    refuse_unknown_parameters(request)
    with published() as store:
        meta = store.meta()
    return {
        "audience": "public",
        "available": meta.available,
        "generated_at": meta.generated_at,
        "incidents": meta.incidents,
        "tables": meta.tables,
        "threshold": meta.threshold,
        "schema_version": meta.schema_version,
    }
