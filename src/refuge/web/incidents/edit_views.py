"""Screens that change incidents, events, victim groups and actors; merge and split them.

Thin: each view finds the record through the policy (a hidden record is a 404, a reader who
may not edit gets a 403), checks the form, calls one service, and shows what the service
refused beside the field it concerns. GET never writes; every POST carries a CSRF token.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from refuge.errors import AccessDenied, RefugeError
from refuge.web.disclosure import policy
from refuge.web.incidents import edit_selectors as reads
from refuge.web.incidents import merging, services
from refuge.web.incidents.forms import (
    ActorForm,
    ConfirmForm,
    EventForm,
    IncidentForm,
    MergeForm,
    SplitForm,
    VictimGroupForm,
)
from refuge.web.incidents.models import Incident

# Model field -> form field, for errors a service reports by the model's names.
EVENT_FIELDS = {"date_start": "date_from", "date_end": "date_to", "date_precision": "date_to"}
GET_POST = require_http_methods(["GET", "POST"])


def apply(
    form: forms.Form, call: Callable[[], Any], aliases: Mapping[str, str] | None = None
) -> tuple[bool, Any]:
    """Run a service; put what it refuses on the form (beside its field when it names one).

    Returns (done, the service's result). A refusal of the policy is a 403.
    """
    aliases = aliases or {}
    try:
        return True, call()
    except AccessDenied:
        raise PermissionDenied(_("Changing records needs the editor role.")) from None
    except services.RecordInvalid as exc:
        _add_errors(form, exc.fields or {"__all__": [exc.message]}, aliases, code=exc.code)
    except ValidationError as exc:
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        _add_errors(form, fields, aliases, code="R131")
    except RefugeError as exc:
        form.add_error(None, str(exc))
    return False, None


def _add_errors(
    form: forms.Form, fields: Mapping[str, list[str]], aliases: Mapping[str, str], code: str
) -> None:
    for name, errors in fields.items():
        target = aliases.get(name, name)
        for message in errors:
            # The model's rules already say their code ("[R055] ..."); others get the form's.
            text = message if message.startswith("[R") else f"[{code}] {message}"
            form.add_error(target if target in form.fields else None, text)


def _editable(request: HttpRequest, public_id: str) -> Incident:
    """The incident to change: 404 when hidden (or merged away), 403 for readers only."""
    incident = reads.incident_visible(user=request.user, public_id=public_id)
    if incident is None:
        raise Http404(_("No such incident."))
    if not policy.may_edit(request.user):
        raise PermissionDenied(_("Changing records needs the editor role."))
    return incident


def _editor(request: HttpRequest) -> None:
    if not policy.may_edit(request.user):
        raise PermissionDenied(_("Changing records needs the editor role."))


def follow_merge(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send the page of a merged incident on to the incident it joined.

    Only for someone who may see both; anyone else gets the view's own answer for a record
    it cannot show (a 404), so the redirect reveals nothing.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, public_id: str, *args: Any, **kwargs: Any) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            target = reads.merged_target(user=user, public_id=public_id)
            if target is not None:
                messages.info(
                    request,
                    _("%(old)s was merged into %(new)s.") % {"old": public_id, "new": target},
                )
                return redirect("incidents:detail", public_id=target)
        return view(request, public_id, *args, **kwargs)

    return wrapper


def _form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str,
    incident: Incident | None = None,
    submit: str,
    template: str = "incidents/edit_form.html",
    **extra: Any,
) -> HttpResponse:
    context = {"form": form, "title": title, "incident": incident, "submit": submit, **extra}
    return render(request, template, context)


# Incidents


@login_required
@GET_POST
def incident_new(request: HttpRequest) -> HttpResponse:
    _editor(request)
    form = IncidentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created, result = apply(
            form,
            lambda: services.incident_create(
                user=request.user,
                title=data["title"],
                summary=data["summary"],
                status=data["status"],
                disclosure=data["disclosure"],
                team=data["team"],
            ),
        )
        if created:
            messages.success(request, _("Incident %(id)s created.") % {"id": result.public_id})
            return redirect("incidents:detail", public_id=result.public_id)
    return _form_page(request, form, title=_("New incident"), submit=_("Create"))


@login_required
@GET_POST
def incident_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    incident = _editable(request, public_id)
    form = IncidentForm(request.POST or None, user=request.user, incident=incident)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done, _result = apply(
            form,
            lambda: services.incident_update(
                user=request.user,
                incident=incident,
                title=data["title"],
                summary=data["summary"],
                status=data["status"],
                disclosure=data["disclosure"],
                team=data["team"],
            ),
        )
        if done:
            messages.success(request, _("Incident %(id)s saved.") % {"id": public_id})
            return redirect("incidents:detail", public_id=public_id)
    events = [(e, reads.event_label(e)) for e in incident.events.order_by("order")]
    groups = [(g, reads.group_label(g)) for g in incident.victim_groups.order_by("pk")]
    return _form_page(
        request,
        form,
        title=_("Edit %(id)s") % {"id": public_id},
        incident=incident,
        submit=_("Save"),
        template="incidents/edit_incident.html",
        events=events,
        groups=groups,
    )


# Events


def _event_values(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "order": data["order"],
        "type": data["type"],
        "date_start": data["date_start"],
        "date_end": data["date_end"],
        "date_precision": data["date_precision"],
        "places": data["places"],
        "place_precision": data["place_precision"],
        "facility": data["facility"],
        "actors": list(data["actors"]),
    }


@login_required
@GET_POST
def event_new(request: HttpRequest, public_id: str) -> HttpResponse:
    incident = _editable(request, public_id)
    form = EventForm(
        request.POST or None,
        incident=incident,
        initial={"order": services.event_next_order(incident)},
    )
    if request.method == "POST" and form.is_valid():
        values = _event_values(form.cleaned_data)
        created, _result = apply(
            form,
            lambda: services.event_create(user=request.user, incident=incident, **values),
            EVENT_FIELDS,
        )
        if created:
            messages.success(request, _("Event added."))
            return redirect("incidents:detail", public_id=public_id)
    return _form_page(
        request, form, title=_("New event"), incident=incident, submit=_("Add the event")
    )


@login_required
@GET_POST
def event_edit(request: HttpRequest, public_id: str, uuid: str) -> HttpResponse:
    incident = _editable(request, public_id)
    event = reads.event_of(incident=incident, uuid=uuid)
    if event is None:
        raise Http404(_("No such event."))
    form = EventForm(request.POST or None, incident=incident, event=event)
    if request.method == "POST" and form.is_valid():
        values = _event_values(form.cleaned_data)
        done, _result = apply(
            form,
            lambda: services.event_update(user=request.user, event=event, **values),
            EVENT_FIELDS,
        )
        if done:
            messages.success(request, _("Event saved."))
            return redirect("incidents:detail", public_id=public_id)
    return _form_page(
        request,
        form,
        title=_("Edit event %(label)s") % {"label": reads.event_label(event)},
        incident=incident,
        submit=_("Save"),
    )


def _confirm_delete(
    request: HttpRequest,
    incident: Incident,
    delete: Callable[[], Any],
    *,
    done: str,
    title: str,
    what: str,
) -> HttpResponse:
    """A delete behind a confirmation box: the form page, or the deletion and the incident."""
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and apply(form, delete)[0]:
        messages.success(request, done)
        return redirect("incidents:detail", public_id=incident.public_id)
    return _form_page(
        request,
        form,
        title=title,
        incident=incident,
        submit=_("Delete"),
        template="incidents/edit_delete.html",
        what=what,
    )


@login_required
@GET_POST
def event_delete(request: HttpRequest, public_id: str, uuid: str) -> HttpResponse:
    incident = _editable(request, public_id)
    event = reads.event_of(incident=incident, uuid=uuid)
    if event is None:
        raise Http404(_("No such event."))
    return _confirm_delete(
        request,
        incident,
        lambda: services.event_delete(user=request.user, event=event),
        done=_("Event deleted."),
        title=_("Delete event %(label)s") % {"label": reads.event_label(event)},
        what=_("The event and its links to claims are removed; the claims stay on their sources."),
    )


# Victim groups


def _group_values(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "nationality": data["nationality"],
        "description": data["description"],
        "total": (data["total_min"], data["total_best"], data["total_max"]),
        "qualifier": data["total_qualifier"],
        "adults": data["adults"],
        "minors": data["minors"],
        "women": data["women"],
        "men": data["men"],
    }


@login_required
@GET_POST
def victims_new(request: HttpRequest, public_id: str) -> HttpResponse:
    incident = _editable(request, public_id)
    form = VictimGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = _group_values(form.cleaned_data)
        created, _result = apply(
            form,
            lambda: services.victim_group_create(user=request.user, incident=incident, **values),
        )
        if created:
            messages.success(request, _("Victim group added."))
            return redirect("incidents:detail", public_id=public_id)
    return _form_page(
        request, form, title=_("New victim group"), incident=incident, submit=_("Add the group")
    )


@login_required
@GET_POST
def victims_edit(request: HttpRequest, public_id: str, uuid: str) -> HttpResponse:
    incident = _editable(request, public_id)
    group = reads.group_of(incident=incident, uuid=uuid)
    if group is None:
        raise Http404(_("No such victim group."))
    form = VictimGroupForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        values = _group_values(form.cleaned_data)
        done, _result = apply(
            form, lambda: services.victim_group_update(user=request.user, group=group, **values)
        )
        if done:
            messages.success(request, _("Victim group saved."))
            return redirect("incidents:detail", public_id=public_id)
    return _form_page(
        request,
        form,
        title=_("Edit victim group %(label)s") % {"label": reads.group_label(group)},
        incident=incident,
        submit=_("Save"),
    )


@login_required
@GET_POST
def victims_delete(request: HttpRequest, public_id: str, uuid: str) -> HttpResponse:
    incident = _editable(request, public_id)
    group = reads.group_of(incident=incident, uuid=uuid)
    if group is None:
        raise Http404(_("No such victim group."))
    return _confirm_delete(
        request,
        incident,
        lambda: services.victim_group_delete(user=request.user, group=group),
        done=_("Victim group deleted."),
        title=_("Delete victim group %(label)s") % {"label": reads.group_label(group)},
        what=_(
            "The group, its figures and their links to claims are removed; "
            "the claims stay on their sources."
        ),
    )


# Actors


@login_required
def actor_list(request: HttpRequest) -> HttpResponse:
    _editor(request)
    return render(
        request, "incidents/edit_actors.html", {"actors": reads.actor_rows(user=request.user)}
    )


def _actor_values(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": data["name"],
        "kind": data["kind"],
        "country": data["country"],
        "parent": data["parent"],
    }


@login_required
@GET_POST
def actor_new(request: HttpRequest) -> HttpResponse:
    _editor(request)
    form = ActorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = _actor_values(form.cleaned_data)
        if apply(form, lambda: services.actor_create(user=request.user, **values))[0]:
            messages.success(request, _("Actor added."))
            return redirect("incidents:actors")
    return _form_page(request, form, title=_("New actor"), submit=_("Add the actor"))


def _actor(request: HttpRequest, uuid: str) -> Any:
    _editor(request)
    actor = reads.actor_get(user=request.user, uuid=uuid)
    if actor is None:
        raise Http404(_("No such actor."))
    return actor


@login_required
@GET_POST
def actor_edit(request: HttpRequest, uuid: str) -> HttpResponse:
    actor = _actor(request, uuid)
    form = ActorForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        values = _actor_values(form.cleaned_data)
        if apply(form, lambda: services.actor_update(user=request.user, actor=actor, **values))[0]:
            messages.success(request, _("Actor saved."))
            return redirect("incidents:actors")
    return _form_page(
        request, form, title=_("Edit actor %(name)s") % {"name": actor.name}, submit=_("Save")
    )


@login_required
@GET_POST
def actor_delete(request: HttpRequest, uuid: str) -> HttpResponse:
    actor = _actor(request, uuid)
    form = ConfirmForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and apply(form, lambda: services.actor_delete(user=request.user, actor=actor))[0]
    ):
        messages.success(request, _("Actor deleted."))
        return redirect("incidents:actors")
    return _form_page(
        request,
        form,
        title=_("Delete actor %(name)s") % {"name": actor.name},
        submit=_("Delete"),
        template="incidents/edit_delete.html",
        what=_("Only an actor that no event names and no unit belongs to can be deleted."),
    )


# Merge and split


@login_required
@GET_POST
def merge(request: HttpRequest, public_id: str) -> HttpResponse:
    """Merge a duplicate into this incident (this one is kept)."""
    keep = _editable(request, public_id)
    form = MergeForm(request.POST or None, user=request.user, keep=keep)
    if request.method == "POST" and form.is_valid():
        duplicate = form.cleaned_data["duplicate"]
        done, _result = apply(
            form,
            lambda: merging.incident_merge(
                user=request.user,
                keep=keep,
                duplicate=duplicate,
                reason=form.cleaned_data["reason"],
            ),
            {"__all__": "duplicate"},
        )
        if done:
            messages.success(
                request,
                _("%(dup)s was merged into %(keep)s; the merge can be undone.")
                % {"dup": duplicate.public_id, "keep": public_id},
            )
            return redirect("incidents:detail", public_id=public_id)
    return _form_page(
        request,
        form,
        title=_("Merge a duplicate into %(id)s") % {"id": public_id},
        incident=keep,
        submit=_("Merge"),
        template="incidents/merge.html",
    )


@login_required
@GET_POST
def unmerge(request: HttpRequest, public_id: str) -> HttpResponse:
    """Undo the merge of this (merged) incident into another."""
    duplicate = reads.incident_any_visible(user=request.user, public_id=public_id)
    if duplicate is None:
        raise Http404(_("No such incident."))
    _editor(request)
    record = reads.merge_record_of(duplicate=duplicate)
    if record is None or not policy.can_view(request.user, record.to_incident):
        raise Http404(_("This incident is not merged into another."))
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done, _result = apply(
            form, lambda: merging.incident_unmerge(user=request.user, duplicate=duplicate)
        )
        if done:
            messages.success(request, _("The merge was undone."))
            return redirect("incidents:detail", public_id=public_id)
    return _form_page(
        request,
        form,
        title=_("Undo the merge of %(dup)s into %(keep)s")
        % {"dup": public_id, "keep": record.to_incident.public_id},
        incident=duplicate,
        submit=_("Undo the merge"),
        template="incidents/merge_undo.html",
        record=record,
    )


@login_required
@GET_POST
def split(request: HttpRequest, public_id: str) -> HttpResponse:
    incident = _editable(request, public_id)
    form = SplitForm(
        request.POST or None,
        incident=incident,
        event_label=reads.event_label,
        group_label=reads.group_label,
        source_label=reads.source_label_for(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done, result = apply(
            form,
            lambda: merging.incident_split(
                user=request.user,
                incident=incident,
                title=data["title"],
                summary=data["summary"],
                reason=data["reason"],
                events=list(data["events"]),
                victim_groups=list(data["victim_groups"]),
                sources_moved=list(data["sources_moved"]),
                sources_copied=list(data["sources_copied"]),
            ),
        )
        if done:
            new, _record = result
            messages.success(
                request,
                _("%(new)s was split off %(old)s; the split can be undone.")
                % {"new": new.public_id, "old": public_id},
            )
            return redirect("incidents:detail", public_id=new.public_id)
    return _form_page(
        request,
        form,
        title=_("Split %(id)s into two incidents") % {"id": public_id},
        incident=incident,
        submit=_("Split"),
        template="incidents/split.html",
    )


@login_required
@GET_POST
def unsplit(request: HttpRequest, public_id: str) -> HttpResponse:
    """Undo the split that made this incident: it folds back into the original."""
    new = _editable(request, public_id)
    record = reads.split_record_of(new_incident=new)
    if record is None or not policy.can_view(request.user, record.from_incident):
        raise Http404(_("This incident was not made by a split."))
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done, _result = apply(
            form, lambda: merging.incident_unsplit(user=request.user, new_incident=new)
        )
        if done:
            messages.success(request, _("The split was undone."))
            return redirect("incidents:detail", public_id=record.from_incident.public_id)
    return _form_page(
        request,
        form,
        title=_("Undo the split of %(new)s from %(old)s")
        % {"new": public_id, "old": record.from_incident.public_id},
        incident=new,
        submit=_("Undo the split"),
        template="incidents/split_undo.html",
        record=record,
    )
