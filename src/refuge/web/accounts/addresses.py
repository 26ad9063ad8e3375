"""The client's address, as the lockout counts it (settings.AXES_CLIENT_IP_CALLABLE)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind REFUGE_PROXY_COUNT trusted proxies, the address they saw.

    Each proxy appends the address it received from to X-Forwarded-For, so the entry
    written by the outermost trusted proxy is the count-th from the right; entries further
    left were written by the client and could be anything.
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    count = int(getattr(settings, "REFUGE_PROXY_COUNT", 0))
    if count <= 0:
        return remote
    hops = [h.strip() for h in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    hops = [h for h in hops if h]
    return hops[-count] if len(hops) >= count else remote
