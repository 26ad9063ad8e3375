"""Forms of the source screens; validation mirrors the ingest command's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from refuge.web.disclosure.levels import Level
from refuge.web.pages.labels import translated
from refuge.web.sources.models import ContentClass, Credibility, Reliability


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        # Empty files are reported per file by the ingest service, not as a form error.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    uploads = MultipleFileField(
        label=_("Files"), help_text=_("One or more files; up to 50 MB each.")
    )
    source_url = forms.URLField(
        label=_("Source URL"), required=False, max_length=2000, assume_scheme="https"
    )
    outlet = forms.CharField(label=_("Outlet"), required=False, max_length=200)
    author = forms.CharField(label=_("Author"), required=False, max_length=300)
    published = forms.DateField(
        label=_("Published"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    language = forms.CharField(
        label=_("Language"),
        required=False,
        max_length=8,
        help_text=_("e.g. en, ko, zh; detected when empty."),
    )
    reliability = forms.ChoiceField(
        label=_("Source reliability"),
        required=False,
        choices=[("", _("not graded")), *translated(Reliability.choices)],
    )
    credibility = forms.TypedChoiceField(
        label=_("Information credibility"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("not graded")), *translated(Credibility.choices)],
    )
    captured_by_name = forms.CharField(
        label=_("Collected by"),
        required=False,
        max_length=200,
        help_text=_("If not yourself (e.g. a field researcher)."),
    )
    content_class = forms.ChoiceField(
        label=_("Content"),
        choices=translated(ContentClass.choices),
        initial=ContentClass.PUBLISHED,
    )
    disclosure = forms.ChoiceField(
        label=_("Who may see it"),
        choices=translated(Level.choices),
        initial=Level.TEAM,
        help_text=_("team: your team's editors; organisation: all staff (see docs/access.md)."),
    )


class GradeForm(forms.Form):
    reliability = forms.ChoiceField(
        label=_("Source reliability"), choices=translated(Reliability.choices)
    )
    credibility = forms.TypedChoiceField(
        label=_("Information credibility"), coerce=int, choices=translated(Credibility.choices)
    )
