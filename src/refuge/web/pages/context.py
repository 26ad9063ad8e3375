"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from refuge import __version__


def site(request: HttpRequest) -> dict[str, Any]:
    return {"refuge_version": __version__, "demo_mode": getattr(settings, "DEMO", False)}
