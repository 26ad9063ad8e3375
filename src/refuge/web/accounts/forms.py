"""Forms of the sign-in steps and the account security page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from refuge.web.accounts.tokens import DEFAULT_DAYS, MAX_DAYS
from refuge.web.pages.labels import translated


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. a script.")
    )
    role = forms.ChoiceField(label=_("Role"), help_text=_("The token acts with this role only."))
    days = forms.IntegerField(
        min_value=1, max_value=MAX_DAYS, initial=DEFAULT_DAYS, label=_("Expires after (days)")
    )

    def __init__(self, *args: Any, scopes: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from refuge.web.accounts.models import Role

        labels = dict(translated(Role.choices))
        field = self.fields["role"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(role, labels[role]) for role in scopes]
