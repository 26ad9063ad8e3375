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
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from refuge.errors import AccessDenied, RefugeError
from refuge.web.disclosure import policy
from refuge.web.incidents import selectors as incident_selectors
from refuge.web.incidents.selectors import incident_get
from refuge.web.review import figure_services, selectors, services
from refuge.web.sources.models import Source


def is_htmx(request: HttpRequest) -> bool:
    """A request htmx sent for a partial update (the page without JavaScript posts plainly)."""
    return request.headers.get("HX-Request") == "true"


class DecisionForm(forms.Form):
    claim = forms.IntegerField(min_value=1)
    decision = forms.ChoiceField(choices=[(d, d) for d in services.DECISIONS])
    edited_value = forms.CharField(required=False, max_length=2000)


class AddClaimForm(forms.Form):
    field = forms.ChoiceField(label=_("Field"), choices=[(f, f) for f in services.MANUAL_FIELDS])
    value = forms.CharField(
        label=_("Value"), max_length=2000, help_text=_("A number, a name, a date (YYYY-MM).")
    )
    start = forms.IntegerField(label=_("Start"), min_value=0)
    end = forms.IntegerField(label=_("End"), min_value=1)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if "start" in data and "end" in data and data["end"] <= data["start"]:
            raise forms.ValidationError(_("select some words of the text first"))
        return data


class FigureChoiceForm(forms.Form):
    claim = forms.IntegerField(
        min_value=1, error_messages={"required": _("Choose one of the sources' figures.")}
    )
    reason = forms.CharField(
        max_length=figure_services.REASON_MAX,
        error_messages={"required": _("Give the reason for choosing this figure.")},
    )


class IncidentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)


class AttachForm(forms.Form):
    incident = forms.CharField(max_length=32)
    relation = forms.ChoiceField(
        choices=[
            ("reports", _("reports")),
            ("corroborates", _("corroborates")),
            ("contradicts", _("contradicts")),
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
            messages.error(request, gettext("Unknown action."))
            return redirect("review:source", uuid=uuid)
        form = form_class(request.POST)
        done = ""
        if form.is_valid():
            try:
                done = _act(request, context.source, action, form.cleaned_data)
            except AccessDenied:
                raise PermissionDenied("Reviewing needs the editor role.") from None
            except RefugeError as exc:
                form.add_error(None, exc.message)
            else:
                if not (action == "decide" and is_htmx(request)):
                    messages.success(request, done)
                    return redirect("review:source", uuid=uuid)
        if action == "decide" and is_htmx(request):
            return _claim_partial(request, context.source, form, done)
        forms_[{"decide": "decision"}.get(action, action)] = form
    candidates = (
        selectors.incident_candidates(user=request.user, source=context.source)
        if context.may_edit
        else []
    )
    return render(
        request, "review/source.html", {"ctx": context, "forms": forms_, "candidates": candidates}
    )


def _claim_partial(
    request: HttpRequest, source: Source, form: forms.Form, done: str
) -> HttpResponse:
    """The decided claim's row and a status line, for htmx to swap in place of the row."""
    pk = form.cleaned_data.get("claim") if hasattr(form, "cleaned_data") else None
    row = selectors.claim_row(user=request.user, source=source, pk=int(pk)) if pk else None
    errors = [str(e) for e in form.non_field_errors()] + [
        str(e) for name in form.errors if name != "__all__" for e in form.errors[name]
    ]
    response = render(
        request,
        "review/_claim_row.html",
        {"c": row, "may_edit": True, "status": done, "errors": errors, "oob": True},
    )
    if row is None:
        response["HX-Reswap"] = "none"  # nothing to put in the row's place: the status only
    return response


@login_required
@require_POST
def figure_choose(request: HttpRequest, group: str, figure: str) -> HttpResponse:
    """Choose a source's figure as a victim group's best figure, with a reason."""
    found = incident_selectors.victim_group_get(user=request.user, uuid=str(group))
    if found is None or figure not in incident_selectors.FIGURES:
        raise Http404("No such victim group.")
    form = FigureChoiceForm(request.POST)
    errors: list[str] = []
    done = ""
    if form.is_valid():
        try:
            decision = figure_services.figure_choose(
                user=request.user,
                group=found,
                claim_id=int(form.cleaned_data["claim"]),
                reason=str(form.cleaned_data["reason"]),
                figure=figure,
            )
        except AccessDenied:
            raise PermissionDenied("Choosing a figure needs the editor role.") from None
        except RefugeError as exc:
            errors.append(str(exc))
        else:
            done = gettext("Best figure set to %(value)s.") % {"value": decision.value}
    else:
        if not policy.may_edit(request.user):
            raise PermissionDenied("Choosing a figure needs the editor role.")
        errors = [str(e) for name in form.errors for e in form.errors[name]]
    public_id = found.incident.public_id
    key = f"{found.uuid}-{figure}"
    if is_htmx(request):
        fresh = incident_selectors.victim_group_get(user=request.user, uuid=str(group))
        view = (
            incident_selectors.group_figure(user=request.user, group=fresh, figure=figure)
            if fresh is not None
            else None
        )
        return render(
            request,
            "review/_figure.html",
            {
                "figure": view,
                "incident": {"public_id": public_id, "may_edit": True},
                "form_error": {
                    "key": key,
                    "messages": errors,
                    "reason": request.POST.get("reason", ""),
                },
                "status": done,
            },
        )
    if not errors:
        messages.success(request, done)
        return redirect(reverse("incidents:detail", args=[public_id]) + f"#figure-{key}")
    detail = incident_selectors.incident_detail(user=request.user, public_id=public_id)
    if detail is None:
        raise Http404("No such incident.")
    return render(
        request,
        "incidents/detail.html",
        {
            "incident": detail,
            "form_error": {
                "key": key,
                "messages": errors,
                "reason": request.POST.get("reason", ""),
            },
        },
    )


def _act(request: HttpRequest, source: Source, action: str, data: dict[str, Any]) -> str:
    user = request.user
    if action == "decide":
        claim = selectors.claim_on(source=source, pk=int(data["claim"]))
        if claim is None:
            raise RefugeError(gettext("no such claim on this source"), code="R026")
        edited = _parse(str(data.get("edited_value") or "")) or None
        services.claim_decide(
            user=user, claim=claim, decision=str(data["decision"]), edited_value=edited
        )
        return {
            "accept": gettext("Claim accepted."),
            "reject": gettext("Claim rejected."),
            "edit": gettext("Claim edited."),
        }.get(str(data["decision"]), gettext("Claim reviewed."))
    if action == "add":
        services.claim_add(
            user=user,
            source=source,
            field=str(data["field"]),
            value=_parse(str(data["value"])),
            start=int(data["start"]),
            end=int(data["end"]),
        )
        return gettext("Claim added.")
    if action == "incident":
        created = services.incident_from_claims(user=user, source=source, title=str(data["title"]))
        return gettext("Incident %(id)s created.") % {"id": created.public_id}
    incident = incident_get(user=user, public_id=str(data["incident"]))
    if incident is None:
        raise RefugeError(gettext("no such incident"), code="R026")
    services.incident_attach_source(
        user=user, incident=incident, source=source, relation=str(data["relation"])
    )
    return gettext("Attached to %(id)s.") % {"id": incident.public_id}
