"""Person screens for editors: search by name (blind index) and import from a spreadsheet."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from refuge.errors import RefugeError
from refuge.people import read_person_rows_bytes
from refuge.web.disclosure import policy
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
