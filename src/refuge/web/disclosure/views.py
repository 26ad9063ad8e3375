"""Publishing screens: the release queue, the release, embargo and consent forms, and the
erasure and legal-hold forms of the person and incident pages.

Thin: each view finds its record through a selector (404 when hidden or absent), checks
the role through the policy (403), calls one service and renders. A refused action (the
four-eyes rule, an embargo) is shown as a form error or a message, never a server error.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from refuge.errors import RefugeError
from refuge.web.disclosure import erasure, policy, selectors, services
from refuge.web.disclosure.forms import (
    ConsentForm,
    DecisionForm,
    EmbargoForm,
    ErasureForm,
    LegalHoldForm,
    LiftForm,
    ReleaseForm,
    WithdrawForm,
)
from refuge.web.disclosure.models import ErasureRequest
from refuge.web.incidents.edit_selectors import person_visible
from refuge.web.incidents.models import Incident, Person

GET_POST = require_http_methods(["GET", "POST"])


def _require_editor(request: HttpRequest) -> None:
    if not policy.may_edit(request.user):
        raise PermissionDenied("Publishing needs the editor role.")


def _incident(request: HttpRequest, public_id: str) -> Incident:
    incident = selectors.incident_for_publishing(user=request.user, public_id=public_id)
    if incident is None:
        raise Http404("No such incident.")
    _require_editor(request)
    return incident


def _back(request: HttpRequest) -> HttpResponse:
    """Where a POST-only action returns: the page it came from on this site, else the queue."""
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("publishing:queue")


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    return render(
        request,
        "disclosure/queue.html",
        {"queue": selectors.release_queue(user=request.user)},
    )


@login_required
def propose(request: HttpRequest, public_id: str) -> HttpResponse:
    incident = _incident(request, public_id)
    form = ReleaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.release_propose(user=request.user, incident=incident, **form.cleaned_data)
        except RefugeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Proposed: another editor must approve the release."))
            return redirect("publishing:queue")
    return render(
        request, "disclosure/propose.html", {"form": form, "public_id": incident.public_id}
    )


@login_required
@require_POST
def decide(request: HttpRequest, uuid: str) -> HttpResponse:
    _require_editor(request)
    release = selectors.release_get(user=request.user, uuid=uuid)
    if release is None:
        raise Http404("No such release.")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or to reject."))
        return _back(request)
    try:
        if form.cleaned_data["decision"] == "approve":
            services.release_approve(user=request.user, release=release)
            messages.success(request, _("Approved: the publication stores were rebuilt."))
        else:
            services.release_reject(
                user=request.user, release=release, note=form.cleaned_data["note"]
            )
            messages.success(request, _("Rejected: nothing was published."))
    except RefugeError as exc:
        messages.error(request, str(exc))
    return _back(request)


@login_required
@require_POST
def withdraw(request: HttpRequest, uuid: str) -> HttpResponse:
    _require_editor(request)
    release = selectors.release_get(user=request.user, uuid=uuid)
    if release is None:
        raise Http404("No such release.")
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the release is withdrawn."))
        return _back(request)
    try:
        services.release_withdraw(
            user=request.user, release=release, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Withdrawn: it has left the publication stores."))
    except RefugeError as exc:
        messages.error(request, str(exc))
    return _back(request)


def _target(incident: Incident, value: str) -> dict[str, Any]:
    """The record a form's ``target`` choice names, as keyword arguments of a service."""
    kind, _sep, key = value.partition(":")
    if kind == "group":
        group = selectors.victim_group_of_incident(incident=incident, uuid=key)
        if group is not None:
            return {"victim_group": group}
    if kind == "person":
        person = selectors.person_of_incident(incident=incident, public_id=key)
        if person is not None:
            return {"person": person}
    return {"incident": incident}


@login_required
def embargo(request: HttpRequest, public_id: str) -> HttpResponse:
    incident = _incident(request, public_id)
    panel = selectors.incident_publishing(user=request.user, public_id=public_id)
    assert panel is not None  # the incident is visible to this staff user
    form = EmbargoForm(
        request.POST or None, incident=public_id, groups=panel.groups, persons=panel.persons
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.embargo_set(
                user=request.user,
                until=data["until"],
                condition=data["condition"],
                condition_text=data["condition_text"],
                reason=data["reason"],
                **_target(incident, data["target"]),
            )
        except RefugeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Embargo set: the record is held back from every release."))
            return redirect("incidents:detail", public_id=public_id)
    return render(
        request,
        "disclosure/embargo.html",
        {"form": form, "public_id": public_id, "panel": panel},
    )


@login_required
@require_POST
def embargo_lift(request: HttpRequest, uuid: str) -> HttpResponse:
    _require_editor(request)
    found = selectors.embargo_get(user=request.user, uuid=uuid)
    if found is None:
        raise Http404("No such embargo.")
    form = LiftForm(request.POST)
    form.is_valid()
    try:
        services.embargo_lift(
            user=request.user, embargo=found, note=form.cleaned_data.get("note", "")
        )
        messages.success(request, _("Embargo lifted: the incident waits in the release queue."))
    except RefugeError as exc:
        messages.error(request, str(exc))
    return _back(request)


@login_required
def consent(request: HttpRequest, public_id: str) -> HttpResponse:
    incident = _incident(request, public_id)
    panel = selectors.incident_publishing(user=request.user, public_id=public_id)
    assert panel is not None
    form = ConsentForm(request.POST or None, incident=public_id, persons=panel.persons)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = _target(incident, data["target"])
        try:
            services.consent_record(
                user=request.user,
                scope=data["scope"],
                given_by=data["given_by"],
                given_at=data["given_at"],
                note=data["note"],
                incident=target.get("incident"),
                person=target.get("person"),
            )
        except RefugeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Consent recorded."))
            return redirect("incidents:detail", public_id=public_id)
    return render(
        request,
        "disclosure/consent.html",
        {"form": form, "public_id": public_id, "panel": panel},
    )


@login_required
@require_POST
def consent_revoke(request: HttpRequest, uuid: str) -> HttpResponse:
    _require_editor(request)
    found = selectors.consent_get(user=request.user, uuid=uuid)
    if found is None:
        raise Http404("No such consent.")
    try:
        services.consent_revoke(user=request.user, consent=found)
        messages.success(request, _("Consent revoked."))
    except RefugeError as exc:
        messages.error(request, str(exc))
    return _back(request)


# --- erasure and legal holds ---------------------------------------------------------------


def _person(request: HttpRequest, public_id: str) -> Person:
    """The person an erasure or hold form acts on: 404 when hidden, 403 unless the user may
    edit and read this person's identifying data (the erasure service asks the same)."""
    person = person_visible(user=request.user, public_id=public_id)
    if person is None:
        raise Http404("No such person.")
    if not (policy.may_edit(request.user) and policy.may_read_identifying_of(request.user, person)):
        raise PermissionDenied("Erasure and legal holds need the editor role.")
    return person


def _hold_names(holds: list[selectors.HoldRow]) -> str:
    """The holds that refused an erasure, named by their record and date (no reason)."""
    names = [
        (_("incident %(id)s, set %(date)s") if h.on_incident else _("person %(id)s, set %(date)s"))
        % {"id": h.target, "date": h.set_at.date().isoformat()}
        for h in holds
    ]
    return "; ".join(names)


@login_required
@GET_POST
def erase_person(request: HttpRequest, public_id: str) -> HttpResponse:
    """Record a request to erase a person's identifying data, and erase unless a hold keeps it.

    The form sits on the person's page; this page shows it alone, with its errors.
    """
    person = _person(request, public_id)
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ask = erasure.ErasureAsk(
            requested_by=data["requested_by"],
            requested_at=data["requested_at"],
            scope=data["scope"],
            note=data["note"],
        )
        try:
            record = erasure.erase_person(person=person, request=ask, by=request.user)
        except RefugeError as exc:
            form.add_error(None, str(exc))
        else:
            if record.outcome == ErasureRequest.Outcome.ERASED:
                messages.success(
                    request,
                    _(
                        "Erased: %(fields)s. The request is recorded; the incidents keep "
                        "their facts."
                    )
                    % {"fields": ", ".join(record.fields_erased)},
                )
            else:
                found = selectors.person_erasure(user=request.user, person=person)
                holds = found.active_holds if found is not None else []
                messages.error(
                    request,
                    _(
                        "Not erased: a legal hold keeps this person's data as evidence "
                        "(%(holds)s). The refusal is recorded. Once the hold is no longer "
                        "needed, an editor releases it (on this page, or on the incident's "
                        "page) and the request is entered again."
                    )
                    % {"holds": _hold_names(holds)},
                )
            return redirect("persons:edit", public_id=person.public_id)
    return render(
        request,
        "disclosure/erase.html",
        {"form": form, "public_id": person.public_id},
    )


def _hold_page(
    request: HttpRequest, form: LegalHoldForm, *, back: str, target: str
) -> HttpResponse:
    return render(request, "disclosure/hold.html", {"form": form, "back": back, "target": target})


@login_required
@GET_POST
def hold_set_person(request: HttpRequest, public_id: str) -> HttpResponse:
    person = _person(request, public_id)
    form = LegalHoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_hold_set(
                user=request.user, person=person, reason=form.cleaned_data["reason"]
            )
        except RefugeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Legal hold set: this person's data cannot be erased."))
            return redirect("persons:edit", public_id=person.public_id)
    back = reverse("persons:edit", args=[person.public_id])
    return _hold_page(request, form, back=back, target=_("person %s") % person.public_id)


@login_required
@GET_POST
def hold_set_incident(request: HttpRequest, public_id: str) -> HttpResponse:
    incident = _incident(request, public_id)
    form = LegalHoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_hold_set(
                user=request.user, incident=incident, reason=form.cleaned_data["reason"]
            )
        except RefugeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Legal hold set: the data of everyone in this incident cannot be erased."),
            )
            return redirect("incidents:detail", public_id=public_id)
    back = reverse("incidents:detail", args=[public_id])
    return _hold_page(request, form, back=back, target=_("the incident %s") % public_id)


@login_required
@require_POST
def hold_release(request: HttpRequest, uuid: str) -> HttpResponse:
    _require_editor(request)
    found = selectors.hold_get(user=request.user, uuid=uuid)
    if found is None:
        raise Http404("No such legal hold.")
    try:
        services.legal_hold_release(user=request.user, hold=found)
        messages.success(request, _("Legal hold released: an erasure request can now be met."))
    except RefugeError as exc:
        messages.error(request, str(exc))
    return _back(request)
