"""The editing links of one incident's page (``incidents/_actions.html``)."""

from __future__ import annotations

from typing import Any

from django import template

from refuge.web.incidents.edit_selectors import EditingPanel, editing_panel

register = template.Library()


@register.simple_tag(takes_context=True)
def incident_editing(context: template.Context, public_id: str) -> EditingPanel | None:
    """What this user may do to the incident: None when they may not change it at all."""
    request: Any = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not public_id:
        return None
    return editing_panel(user=user, public_id=str(public_id))
