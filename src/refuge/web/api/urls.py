"""The API's routes: ninja's, each wrapped so that even Django's own answers (405, a 404
raised outside ninja) take the one error shape, plus a JSON 404 for every other /api/ path.

Included at ``api/`` under the namespace ``api`` (ninja reverses ``api:api-root`` to find
its own prefix for the schema).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver, re_path
from django.views.decorators.csrf import csrf_exempt

from refuge.web.api.api import api
from refuge.web.api.errors import NOT_ALLOWED, NOT_FOUND, error_response


def _json_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return error_response(NOT_FOUND, "no such endpoint")
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            allowed = response.get("Allow", "")
            response = error_response(NOT_ALLOWED, f"method not allowed; allowed: {allowed}")
            response["Allow"] = allowed
        return response

    return wrapped


def index(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return JsonResponse(
        {"openapi": request.build_absolute_uri("openapi.json"), "version": api.version}
    )


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return error_response(NOT_FOUND, "no such endpoint")


def _patterns() -> list[URLPattern | URLResolver]:
    patterns, _app, _namespace = api.urls
    out: list[URLPattern | URLResolver] = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            view = index if pattern.name == "api-root" else pattern.callback
            out.append(
                URLPattern(pattern.pattern, _json_errors(view), pattern.default_args, pattern.name)
            )
        else:
            out.append(pattern)
    return out


app_name = "api"
urlpatterns = [
    *_patterns(),
    re_path(r"^(?P<rest>.*)$", not_found, name="not_found"),
]
