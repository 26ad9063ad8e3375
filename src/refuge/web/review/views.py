"""Review screens: the queue, and one source's text with its claims highlighted."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from refuge.errors import AccessDenied, RefugeError
from refuge.web.disclosure import policy
from refuge.web.incidents.selectors import incident_get
from refuge.web.review import selectors, services
from refuge.web.sources.models import Source


class DecisionForm(forms.Form):
    claim = forms.IntegerField(min_value=1)
    decision = forms.ChoiceField(choices=[(d, d) for d in services.DECISIONS])
    edited_value = forms.CharField(required=False, max_length=2000)


class AddClaimForm(forms.Form):
    field = forms.ChoiceField(choices=[(f, f) for f in services.MANUAL_FIELDS])
    value = forms.CharField(max_length=2000, help_text=_("A number, a name, a date (YYYY-MM)."))
    start = forms.IntegerField(min_value=0)
    end = forms.IntegerField(min_value=1)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if "start" in data and "end" in data and data["end"] <= data["start"]:
            raise forms.ValidationError("select some words of the text first")
        return data


class IncidentForm(forms.Form):
    title = forms.CharField(max_length=300)


class AttachForm(forms.Form):
    incident = forms.CharField(max_length=32)
    relation = forms.ChoiceField(
        choices=[
            ("reports", "reports"),
            ("corroborates", "corroborates"),
            ("contradicts", "contradicts"),
        ]
    )


def _parse(value: str) -> object:
    """A typed edit: JSON when it parses ({"value": 60}, 60, "Tumen"), else the text."""
    try:
        return json.loads(value)
    except ValueError:
        return value


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    if not policy.is_staff_reader(request.user):
        raise PermissionDenied("The review queue is for staff.")
    language = request.GET.get("language", "")[:8]
    rows = selectors.review_queue(
        user=request.user, language=language, pending_only=request.GET.get("all") != "1"
    )
    return render(request, "review/queue.html", {"rows": rows, "language": language})


@login_required
def review(request: HttpRequest, uuid: str) -> HttpResponse:
    context = selectors.review_context(user=request.user, uuid=uuid)
    if context is None:
        raise Http404("No such source.")
    forms_ = {
        "decision": DecisionForm(),
        "add": AddClaimForm(),
        "incident": IncidentForm(),
        "attach": AttachForm(),
    }
    if request.method == "POST":
        action = request.POST.get("action", "")
        form_class = {
            "decide": DecisionForm,
            "add": AddClaimForm,
            "incident": IncidentForm,
            "attach": AttachForm,
        }.get(action)
        if form_class is None:
            messages.error(request, "Unknown action.")
            return redirect("review:source", uuid=uuid)
        form = form_class(request.POST)
        if form.is_valid():
            try:
                done = _act(request, context.source, action, form.cleaned_data)
            except AccessDenied:
                raise PermissionDenied("Reviewing needs the editor role.") from None
            except RefugeError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, done)
                return redirect("review:source", uuid=uuid)
        forms_[{"decide": "decision"}.get(action, action)] = form
    candidates = (
        selectors.incident_candidates(user=request.user, source=context.source)
        if context.may_edit
        else []
    )
    return render(
        request, "review/source.html", {"ctx": context, "forms": forms_, "candidates": candidates}
    )


def _act(request: HttpRequest, source: Source, action: str, data: dict[str, Any]) -> str:
    user = request.user
    if action == "decide":
        claim = selectors.claim_on(source=source, pk=int(data["claim"]))
        if claim is None:
            raise RefugeError("no such claim on this source", code="R026")
        edited = _parse(str(data.get("edited_value") or "")) or None
        services.claim_decide(
            user=user, claim=claim, decision=str(data["decision"]), edited_value=edited
        )
        return f"Claim {data['decision']}ed."
    if action == "add":
        services.claim_add(
            user=user,
            source=source,
            field=str(data["field"]),
            value=_parse(str(data["value"])),
            start=int(data["start"]),
            end=int(data["end"]),
        )
        return "Claim added."
    if action == "incident":
        created = services.incident_from_claims(user=user, source=source, title=str(data["title"]))
        return f"Incident {created.public_id} created."
    incident = incident_get(user=user, public_id=str(data["incident"]))
    if incident is None:
        raise RefugeError("no such incident", code="R026")
    services.incident_attach_source(
        user=user, incident=incident, source=source, relation=str(data["relation"])
    )
    return f"Attached to {incident.public_id}."
