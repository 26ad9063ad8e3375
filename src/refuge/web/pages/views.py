"""Site pages that belong to no domain app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("incidents:list")
    return redirect("login")


def healthz(request: HttpRequest) -> HttpResponse:
    """For monitors and `make run`'s wait loop; says nothing about the data."""
    return HttpResponse("ok\n", content_type="text/plain")
