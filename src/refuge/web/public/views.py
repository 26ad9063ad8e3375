"""Public pages and downloads: thin views over the publication store (``reading``).

Open to everyone, signed in or not; nothing here reads the main database (a test runs
these views with every database connection blocked). The one write is the audit entry of
a download, which names the user if someone signed in downloads.
"""

from __future__ import annotations

import math

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from refuge.web.public import downloads
from refuge.web.public.forms import PublicFilterForm
from refuge.web.public.reading import PublicationUnavailable, published

PER_PAGE = 20


def _unavailable(request: HttpRequest, error: PublicationUnavailable) -> HttpResponse:
    return _error(
        request,
        503,
        error.code,
        _("Temporarily unavailable"),
        _("The published data cannot be read at the moment. Please try again later."),
    )


def _error(request: HttpRequest, status: int, code: str, title: str, message: str) -> HttpResponse:
    context = {"code": code, "title": title, "message": message}
    return render(request, "public/error.html", context, status=status)


@require_safe
def incident_list(request: HttpRequest) -> HttpResponse:
    form = PublicFilterForm(request.GET)
    if not form.is_valid():
        context = {"form": form, "items": [], "count": 0, "page": 1, "pages": 1, "code": "R165"}
        return render(request, "public/list.html", context, status=400)
    filters = form.filters()
    try:
        with published() as store:
            count = store.count(filters)
            pages = max(1, math.ceil(count / PER_PAGE))
            page = min(form.page_number(), pages)
            items = store.incidents(filters, offset=(page - 1) * PER_PAGE, limit=PER_PAGE)
            meta = store.meta()
    except PublicationUnavailable as exc:
        return _unavailable(request, exc)
    return render(
        request,
        "public/list.html",
        {
            "form": form,
            "items": items,
            "count": count,
            "page": page,
            "pages": pages,
            "query": form.query_without_page(),
            "meta": meta,
        },
    )


@require_safe
def incident_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        with published() as store:
            incident = store.incident(public_id)
    except PublicationUnavailable as exc:
        return _unavailable(request, exc)
    if incident is None:
        return _error(
            request, 404, "R163", _("Not published"), _("No published incident has this id.")
        )
    return render(request, "public/detail.html", {"incident": incident})


@require_safe
def tables(request: HttpRequest) -> HttpResponse:
    try:
        with published() as store:
            found = store.tables()
            meta = store.meta()
    except PublicationUnavailable as exc:
        return _unavailable(request, exc)
    return render(request, "public/tables.html", {"tables": found, "meta": meta})


@require_safe
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in downloads.FORMATS:
        return _error(
            request,
            404,
            "R166",
            _("No such download"),
            _("Downloads exist as CSV, JSON, GeoJSON and XLSX."),
        )
    try:
        made = downloads.public_export(fmt, requested_by=request.user)
    except PublicationUnavailable as exc:
        return _unavailable(request, exc)
    response = HttpResponse(made.data, content_type=downloads.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    response[downloads.SHA256_HEADER] = made.sha256
    response[downloads.RECORDS_HEADER] = str(made.records)
    return response
