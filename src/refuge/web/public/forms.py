"""The filters of the public incident list, checked before they reach the store."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from refuge.publish.store import StoreFilters
from refuge.vocabulary import EVENT_TYPES, choices
from refuge.web.pages.labels import translated

MINORS_CHOICES = [("", _("Any")), ("yes", _("Minors involved")), ("no", _("No minors shown"))]
_no_control = RegexValidator(r"^[^\x00-\x1f\x7f]*$", _("Remove control characters."))


class PublicFilterForm(forms.Form):
    event_type = forms.ChoiceField(
        label=_("Event"),
        required=False,
        choices=[("", _("Any")), *translated(choices(EVENT_TYPES))],
    )
    country = forms.CharField(
        label=_("Country (two letters)"),
        required=False,
        max_length=2,
        validators=[RegexValidator(r"^[A-Za-z]{2}$", _("Two letters, e.g. CN."))],
    )
    province = forms.CharField(
        label=_("Province"), required=False, max_length=200, validators=[_no_control]
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)
    minors = forms.ChoiceField(label=_("Minors"), required=False, choices=MINORS_CHOICES)
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)

    def filters(self) -> StoreFilters:
        """The store's filters from valid input (call after ``is_valid``)."""
        data: dict[str, Any] = self.cleaned_data
        minors = {"yes": True, "no": False}.get(data.get("minors") or "")
        return StoreFilters(
            event_type=data.get("event_type") or None,
            country=(data.get("country") or "").upper() or None,
            province=(data.get("province") or "").strip() or None,
            year=data.get("year"),
            minors_involved=minors,
        )

    def page_number(self) -> int:
        return int(self.cleaned_data.get("page") or 1)

    def query_without_page(self) -> str:
        """The filters as a query string, for the pager's links."""
        return urlencode([(k, v) for k, v in self.data.items() if k != "page" and v])
