"""The REST API (django-ninja), mounted at /api/ with its schema at /api/openapi.json.

Two routers: ``/api/public/`` reads the publication store and needs no token;
``/api/records/`` reads and writes internal records with a bearer token, through the
policy and the services. The interactive docs page is off: it would need scripts and
styles from outside (the CSP allows none); the schema is the reference, and any OpenAPI
viewer a person runs themselves can read it.
"""

from __future__ import annotations

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from refuge import __version__
from refuge.web.api import errors, public, records

api = NinjaAPI(
    title="Refuge API",
    version=__version__,
    description=(
        "Public endpoints (/api/public/) serve released, generalised incidents and aggregate "
        "tables from the publication store. Record endpoints (/api/records/) need "
        "`Authorization: Bearer <token>` (a token made on the account's security page) and "
        "answer through the disclosure policy. Every error is "
        '`{"error": {"code", "message", "fields"}}`.'
    ),
    urls_namespace="api",
    docs_url=None,
    openapi_url="/openapi.json",
)
# One handler for everything, so every error has the one shape (ninja's defaults differ).
for exception_class in (Exception, Http404, HttpError, NinjaValidationError):
    api.add_exception_handler(exception_class, errors.handle)
api.add_router("/public/", public.router)
api.add_router("/records/", records.router)
