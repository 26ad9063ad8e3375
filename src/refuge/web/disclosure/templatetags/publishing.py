"""``{% publishing_panel public_id %}``: an incident's releases, embargoes and consents;
``{% person_erasure_panel person %}``: a person's legal holds and erasure requests.

The first is used by ``disclosure/_incident_publishing.html``, which the incident page
includes; the second by the person's page. Both ask the selectors (and so the policy) with
the signed-in user of the request.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from refuge.web.disclosure.forms import ErasureForm, LegalHoldForm
from refuge.web.disclosure.selectors import incident_publishing, person_erasure

register = template.Library()


@register.inclusion_tag("disclosure/panel.html", takes_context=True)
def publishing_panel(context: dict[str, Any], public_id: str) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    panel = incident_publishing(user=user, public_id=public_id) if user is not None else None
    return {"panel": panel, "request": request, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("disclosure/person_erasure.html", takes_context=True)
def person_erasure_panel(context: dict[str, Any], person: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    erasure = person_erasure(user=user, person=person) if user is not None else None
    return {
        "erasure": erasure,
        # Their own ids: the person's form on the same page has fields of the same names.
        "erase_form": ErasureForm(
            auto_id="erasure_%s", initial={"requested_at": timezone.localdate()}
        ),
        "hold_form": LegalHoldForm(auto_id="hold_%s"),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
