"""Forms of the publishing screens: release, decision, withdrawal, embargo, consent, and
the erasure and legal-hold forms of the person and incident pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from refuge.web.disclosure.models import Audience, ConsentScope, EmbargoCondition, ErasureScope
from refuge.web.pages.labels import translated


class ReleaseForm(forms.Form):
    audience = forms.ChoiceField(label=_("Release to"), choices=translated(Audience.choices))
    public_title = forms.CharField(
        label=_("Public title"),
        max_length=300,
        help_text=_("Published as written: never a name, a village or a source's words."),
    )
    public_summary = forms.CharField(
        label=_("Public summary"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "The only free text that is ever published. Leave it empty to publish none. "
            "The internal title, summary and notes are never published."
        ),
    )
    sensitive = forms.BooleanField(
        label=_("Sensitive: publish coarser dates, places and counts"), required=False
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("reject", _("Reject"))], widget=forms.HiddenInput
    )
    note = forms.CharField(label=_("Note (why rejected)"), required=False, max_length=2000)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why is it withdrawn?"), max_length=2000)


class LiftForm(forms.Form):
    note = forms.CharField(label=_("How the condition was met"), required=False, max_length=2000)


def _targets(
    incident_label: str, groups: list[tuple[str, str]], persons: list[str]
) -> list[tuple[str, str]]:
    choices = [("incident", incident_label)]
    choices += [(f"group:{uuid}", str(_("victim group: %s") % label)) for uuid, label in groups]
    choices += [(f"person:{pid}", str(_("person %s") % pid)) for pid in persons]
    return choices


class EmbargoForm(forms.Form):
    target = forms.ChoiceField(label=_("Hold back"))
    until = forms.DateField(
        label=_("Until (the embargo ends as this day begins)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    condition = forms.ChoiceField(
        label=_("Until a condition is met"),
        required=False,
        choices=[("", _("no condition")), *translated(EmbargoCondition.choices)],
    )
    condition_text = forms.CharField(
        label=_("The condition, if another"), required=False, max_length=1000
    )
    reason = forms.CharField(
        label=_("Reason (encrypted, never published)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        incident: str,
        groups: list[tuple[str, str]],
        persons: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = _targets(  # type: ignore[attr-defined]
            str(_("the incident %s") % incident), groups, persons
        )


class ConsentForm(forms.Form):
    target = forms.ChoiceField(label=_("Consent about"))
    scope = forms.ChoiceField(label=_("Consent to"), choices=translated(ConsentScope.choices))
    given_by = forms.CharField(
        label=_("Given by (a role is enough, e.g. 'the person', 'her brother')"),
        max_length=300,
    )
    given_at = forms.DateField(label=_("Given on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note (encrypted)"), required=False, max_length=2000)

    def __init__(self, *args: Any, incident: str, persons: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = _targets(  # type: ignore[attr-defined]
            str(_("the incident %s") % incident), [], persons
        )


# The model's labels are not translated (they are stored values' descriptions); the form's are.
ERASURE_SCOPES = [
    (
        ErasureScope.ALL.value,
        _(
            "Every identifying field (names, birth data, home town, family, "
            "contact, notes), the importer's id and who gave consents"
        ),
    ),
    (ErasureScope.NAMES.value, _("Names in every script, and the name index")),
    (ErasureScope.CONTACT.value, _("Home town, family and contact details")),
]


class ErasureForm(forms.Form):
    requested_by = forms.CharField(
        label=_("Who asked (a description is enough, e.g. 'the person', 'her sister')"),
        max_length=300,
        help_text=_("Encrypted; kept with the request."),
    )
    requested_at = forms.DateField(
        label=_("Asked on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    scope = forms.ChoiceField(
        label=_("Erase"), choices=ERASURE_SCOPES, initial=ErasureScope.ALL.value
    )
    note = forms.CharField(
        label=_("Note (encrypted)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that erased data cannot be brought back"),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )

    def clean_requested_at(self) -> date:
        asked: date = self.cleaned_data["requested_at"]
        if asked > timezone.localdate():
            raise forms.ValidationError(_("The request cannot have been made in the future."))
        return asked


class LegalHoldForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the legal hold (encrypted, never published)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the data must be kept as evidence.")},
    )
