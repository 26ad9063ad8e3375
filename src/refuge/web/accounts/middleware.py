"""Per-request guards of signed-in sessions: a second factor where needed, no caching."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from refuge.web.accounts.twofactor import SESSION_FLAG, session_acceptable


class TwoFactorMiddleware:
    """Signs out a session that lacks a second factor its account needs now.

    The sign-in views already ask for it; this catches what changed since: a promotion to
    editor, the end of demo mode, a sign-in through a view that skipped the step.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not session_acceptable(
            user, request.session.get(SESSION_FLAG)
        ):
            logout(request)
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response to a signed-in person.

    Browsers and proxies must keep no copy of a page that may show a name or testimony;
    the back button after signing out then shows nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        signed_in = request.user.is_authenticated
        response = self.get_response(request)
        if signed_in or request.user.is_authenticated:
            add_never_cache_headers(response)
        return response
