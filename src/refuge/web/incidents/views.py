"""Incident screens: thin views over the selectors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from refuge.web.incidents import selectors


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.incident_list(user=request.user)
    return render(request, "incidents/list.html", {"rows": rows})


@login_required
def incident_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    detail = selectors.incident_detail(user=request.user, public_id=public_id)
    if detail is None:
        # A duplicate merged into another incident: its address leads to the one it joined.
        target = selectors.merged_into(user=request.user, public_id=public_id)
        if target is not None:
            return redirect("incidents:detail", public_id=target)
        raise Http404("No such incident.")
    return render(request, "incidents/detail.html", {"incident": detail})
