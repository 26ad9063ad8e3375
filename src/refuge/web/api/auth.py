"""Bearer-token authentication of the record endpoints, with the accounts' ApiToken.

``Authorization: Bearer rfg_…``: the token is hashed and looked up by
``refuge.web.accounts.tokens.token_authenticate``, which hands back the owner narrowed to
the token's role (never staff, never superuser). Sessions never authenticate the API: a
browser signed in to the internal screens gets 401 here, so no cross-site request can use
its cookie.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from refuge.web.accounts.tokens import token_authenticate


class BearerToken(HttpBearer):
    def __call__(self, request: HttpRequest) -> Any | None:
        # Ninja's own parser logs a malformed header in DEBUG; it may hold a token, so
        # nothing here ever logs the header.
        value = request.headers.get("Authorization", "")
        scheme, _, raw = value.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            return None
        return self.authenticate(request, raw.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = token_authenticate(token)
        if user is None:
            return None
        # The audit middleware (reads of identifying data) names the token's user.
        request.user = user
        return user


def api_user(request: HttpRequest) -> Any:
    """The user the request's token acts for (set by BearerToken)."""
    return getattr(request, "auth", None)
