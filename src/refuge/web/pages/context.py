"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from refuge import __version__


def site(request: HttpRequest) -> dict[str, Any]:
    from refuge.web.disclosure import policy

    return {
        "refuge_version": __version__,
        "demo_mode": getattr(settings, "DEMO", False),
        # Menu entries follow the policy; the views check it again.
        "may_search_persons": policy.may_read_identifying(getattr(request, "user", None)),
        "may_publish": policy.may_edit(getattr(request, "user", None)),
    }
