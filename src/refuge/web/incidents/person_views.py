"""Person screens for editors: search by name (blind index), import, create and edit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from refuge.errors import RefugeError
from refuge.people import read_person_rows_bytes
from refuge.web.disclosure import policy
from refuge.web.incidents import services
from refuge.web.incidents.edit_selectors import person_visible
from refuge.web.incidents.edit_views import GET_POST, apply
from refuge.web.incidents.forms import PERSON_FORM_ORDER, PersonForm
from refuge.web.incidents.persons import ImportSummary, persons_import, persons_search


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name (any spelling or script)"), max_length=200)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))


@login_required
def person_search(request: HttpRequest) -> HttpResponse:
    if not policy.may_read_identifying(request.user):
        raise PermissionDenied("Searching persons by name needs the editor role.")
    form = SearchForm(request.GET or None)
    candidates = None
    if form.is_valid():
        candidates = persons_search(user=request.user, query=form.cleaned_data["q"])
    return render(request, "persons/search.html", {"form": form, "candidates": candidates})


@login_required
def person_import(request: HttpRequest) -> HttpResponse:
    if not policy.may_edit(request.user):
        raise PermissionDenied("Importing persons needs the editor role.")
    form = ImportForm(request.POST or None, request.FILES or None)
    summary: ImportSummary | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            reading = read_person_rows_bytes(upload.read(), filename=upload.name)
            summary = persons_import(
                reading=reading,
                team=request.user.team,  # type: ignore[union-attr]
                user=request.user,
            )
        except RefugeError as exc:
            form.add_error("file", str(exc))
        finally:
            upload.close()
    return render(request, "persons/import.html", {"form": form, "summary": summary})


def _person_values(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in PERSON_FORM_ORDER}


@login_required
@GET_POST
def person_new(request: HttpRequest) -> HttpResponse:
    if not policy.may_edit(request.user):
        raise PermissionDenied("Adding persons needs the editor role.")
    team = getattr(request.user, "team", None)
    form = PersonForm(request.POST or None, team=team)
    if request.method == "POST" and form.is_valid():
        values = _person_values(form.cleaned_data)
        done, person = apply(
            form, lambda: services.person_create(user=request.user, team=team, **values)
        )
        if done:
            messages.success(request, gettext("Person %(id)s added.") % {"id": person.public_id})
            return redirect("persons:edit", public_id=person.public_id)
    return render(
        request, "persons/edit.html", {"form": form, "title": gettext("New person"), "person": None}
    )


@login_required
@GET_POST
def person_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    """Edit a person's fields; the form shows them decrypted, a read the policy audits."""
    person = person_visible(user=request.user, public_id=public_id)
    if person is None:
        raise Http404("No such person.")
    if not (policy.may_edit(request.user) and policy.may_read_identifying_of(request.user, person)):
        raise PermissionDenied("Changing a person needs the editor role.")
    initial = {}
    if request.method != "POST":
        fields = policy.redact(request.user, person)
        initial = {name: fields.get(name) for name in PERSON_FORM_ORDER}
        initial = {k: ("" if v is None and k != "birth_year" else v) for k, v in initial.items()}
    form = PersonForm(request.POST or None, team=person.team, person=person, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = _person_values(form.cleaned_data)
        done, _person = apply(
            form, lambda: services.person_update(user=request.user, person=person, **values)
        )
        if done:
            messages.success(request, gettext("Person %(id)s saved.") % {"id": public_id})
            return redirect("persons:edit", public_id=public_id)
    return render(
        request,
        "persons/edit.html",
        {"form": form, "title": gettext("Edit %(id)s") % {"id": public_id}, "person": person},
    )
