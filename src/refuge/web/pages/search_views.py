"""The search page: one form, one call to the search selector, results through the policy."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from refuge.errors import RefugeError
from refuge.search import parse_request
from refuge.web.search.selectors import search


def _marked(snippet: object) -> SafeString:
    """The snippet's text escaped, with its matched spans wrapped in <mark>."""
    text = getattr(snippet, "text", "")
    out, at = [], 0
    for start, end in getattr(snippet, "marks", ()):
        out += [escape(text[at:start]), "<mark>", escape(text[start:end]), "</mark>"]
        at = end
    out.append(escape(text[at:]))
    return mark_safe("".join(out))  # noqa: S308 (every piece of text is escaped above)


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    results = None
    error = ""
    if request.GET:
        try:
            req = parse_request(request.GET)
            results = search(
                user=request.user,
                query=req.query,
                filters=req.filters,
                sort=req.sort,
                page=req.page,
                per_page=req.per_page,
            )
        except RefugeError as exc:
            error = exc.message
    rows = [
        (hit, _marked(hit.snippet) if hit.snippet else "")
        for hit in (results.items if results else [])
    ]
    return render(
        request,
        "pages/search.html",
        {"results": results, "rows": rows, "error": error, "q": request.GET.get("q", "")},
    )
