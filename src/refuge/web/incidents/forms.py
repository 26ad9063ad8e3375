"""Forms for editing incidents, their events and victim groups, actors and persons.

Each form checks what a person typed with the rules the models apply (``refuge.periods``
for dates, ``refuge.counts`` for counts, the models' own ``clean``), so that a mistake comes
back as an error beside the field that holds it, not as a failed save. The services check
the same rules again (``full_clean``) and the policy; a form only makes the errors helpful.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from refuge.counts import check_count
from refuge.errors import DomainValidationError, GazetteerError
from refuge.gazetteer import default_gazetteer
from refuge.gazetteer.countries import ISO_3166_ALPHA2
from refuge.periods import check_period, iso_prefix, parse_prefix, period_from_prefixes
from refuge.vocabulary import (
    COUNT_QUALIFIERS,
    EVENT_TYPES,
    PLACE_PRECISIONS,
    STATUSES,
    VICTIM_BREAKDOWNS,
    choices,
)
from refuge.web.accounts.models import Team
from refuge.web.disclosure import policy
from refuge.web.disclosure.levels import Level
from refuge.web.incidents.models import (
    Actor,
    Event,
    Incident,
    Person,
    Place,
    VictimGroup,
)
from refuge.web.incidents.services import place_for
from refuge.web.pages.labels import translated

DATE_HELP = _("YYYY, YYYY-MM or YYYY-MM-DD: write only as much as the sources say.")
BLANK: list[tuple[str, str | Promise]] = [("", "—")]


def _country(value: str) -> str:
    code = value.strip().upper()
    if code and code not in ISO_3166_ALPHA2:
        raise ValidationError(
            _("%(code)s is not an ISO 3166-1 country code (e.g. KP, CN, RU)"),
            code="R131",
            params={"code": code},
        )
    return code


class TeamChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def teams_for(user: Any, current: Team | None = None) -> list[int]:
    """Teams ``user`` may give a record to: those whose team-level records the policy lets
    them see (an editor's own team, any team for an admin), and the record's current team."""
    ids = [t.pk for t in Team.objects.all() if policy.can_view(user, Incident(team=t))]
    if current is not None and current.pk not in ids:
        ids.append(current.pk)
    return ids


class IncidentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    status = forms.ChoiceField(label=_("Status"), choices=translated(choices(STATUSES)))
    disclosure = forms.ChoiceField(
        label=_("Disclosure level"),
        choices=translated(Level.choices),
        help_text=_("Who may see this record (see the access table)."),
    )
    team = TeamChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)

    def __init__(self, *args: Any, user: Any, incident: Incident | None = None, **kwargs: Any):
        if incident is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": incident.title,
                "summary": incident.summary,
                "status": incident.status,
                "disclosure": incident.disclosure,
                "team": incident.team_id,
            }
        super().__init__(*args, **kwargs)
        self.user = user
        current = incident.team if incident is not None else None
        team_field: Any = self.fields["team"]
        team_field.queryset = Team.objects.filter(pk__in=teams_for(user, current))
        if incident is None and "team" not in self.initial:
            self.initial["team"] = getattr(user, "team_id", None)
            self.initial.setdefault("disclosure", Level.TEAM)
            self.initial.setdefault("status", "unknown")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        team, level = data.get("team"), data.get("disclosure")
        if level is None or "team" in self.errors:
            return data
        if level == Level.TEAM and team is None:
            self.add_error("team", ValidationError(_("a team-level record needs a team"), "R131"))
        elif not policy.can_view(self.user, Incident(team=team, disclosure=level)):
            # The policy, asked about the record as it would be, decides (see
            # services._check_still_visible): nobody files a record out of their own sight.
            self.add_error(
                "team",
                ValidationError(
                    _("you could no longer see the record: choose your team or a wider level"),
                    "R130",
                ),
            )
        return data


class PlacesField(forms.CharField):
    """Places of the gazetteer by name (any script) or id, separated by semicolons."""

    def to_python(self, value: Any) -> list[Place]:  # type: ignore[override]
        text = super().to_python(value) or ""
        gazetteer = default_gazetteer()
        places: list[Place] = []
        for token in (t.strip() for t in text.replace("\n", ";").split(";")):
            if not token:
                continue
            try:
                entry = gazetteer.get(token) if token in gazetteer else gazetteer.resolve(token)
            except GazetteerError as exc:
                raise ValidationError(str(exc), code=exc.code) from None
            place = place_for(entry.id)
            if place is None:  # pragma: no cover - the gazetteer just returned the entry
                raise ValidationError(_("unknown place"), code="R021")
            if place not in places:
                places.append(place)
        return places


class EventForm(forms.Form):
    order = forms.IntegerField(label=_("Order in the timeline"), min_value=1, max_value=32767)
    type = forms.ChoiceField(label=_("Type"), choices=translated(choices(EVENT_TYPES)))
    date_from = forms.CharField(label=_("From"), required=False, max_length=10, help_text=DATE_HELP)
    date_to = forms.CharField(
        label=_("To"),
        required=False,
        max_length=10,
        help_text=_("Leave empty for a single day, month or year."),
    )
    places = PlacesField(
        label=_("Places"),
        required=False,
        max_length=1000,
        help_text=_(
            "Names (English, Korean or Chinese) or gazetteer ids, separated by ';'. "
            "Several places are alternatives ('Tumen or Hunchun'), not a route."
        ),
    )
    place_precision = forms.ChoiceField(
        label=_("Place precision"),
        choices=BLANK + translated(choices(PLACE_PRECISIONS)),
        required=False,
    )
    facility = forms.CharField(label=_("Facility"), max_length=300, required=False)
    actors = forms.ModelMultipleChoiceField(
        label=_("Actors"),
        queryset=Actor.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(
        self, *args: Any, incident: Incident, event: Event | None = None, **kwargs: Any
    ) -> None:
        if event is not None and "initial" not in kwargs:
            period = event.period
            first = iso_prefix(period.start, period.precision) if period else ""
            last = iso_prefix(period.end, period.precision) if period else ""
            kwargs["initial"] = {
                "order": event.order,
                "type": event.type,
                "date_from": first,
                "date_to": last if last != first else "",
                "places": "; ".join(p.gazetteer_id for p in event.places.all()),
                "place_precision": event.place_precision,
                "facility": event.facility,
                "actors": [a.pk for a in event.actors.all()],
            }
        super().__init__(*args, **kwargs)
        self.incident = incident
        self.event = event

    def _prefix(self, name: str) -> str:
        text = str(self.cleaned_data.get(name) or "").strip()
        if text:
            try:
                parse_prefix(text)
            except DomainValidationError as exc:
                raise ValidationError(str(exc), code=exc.code) from None
        return text

    def clean_date_from(self) -> str:
        return self._prefix("date_from")

    def clean_date_to(self) -> str:
        return self._prefix("date_to")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["date_start"] = data["date_end"] = None
        data["date_precision"] = ""
        start, end = data.get("date_from"), data.get("date_to")
        if start is not None and end is not None:
            if end and not start:
                self.add_error("date_from", ValidationError(_("give the start as well"), "R052"))
            elif start:
                try:
                    period = period_from_prefixes(start, end or None)
                    check_period(period.start, period.end, period.precision)
                except DomainValidationError as exc:
                    self.add_error("date_to", ValidationError(str(exc), exc.code))
                else:
                    data["date_start"], data["date_end"] = period.start, period.end
                    data["date_precision"] = period.precision
        if data.get("place_precision") and not data.get("places"):
            self.add_error(
                "place_precision", ValidationError(_("a place precision needs a place"), "R131")
            )
        order = data.get("order")
        if order is not None:
            taken = Event.objects.filter(incident=self.incident, order=order)
            if self.event is not None:
                taken = taken.exclude(pk=self.event.pk)
            if taken.exists():
                self.add_error(
                    "order",
                    ValidationError(
                        _("another event of this incident has order %(order)s"),
                        "R131",
                        params={"order": order},
                    ),
                )
        return data


def _figure(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=10_000_000)


class VictimGroupForm(forms.Form):
    nationality = forms.CharField(
        label=_("Nationality"),
        required=False,
        max_length=2,
        help_text=_("Country code: KP for North Koreans."),
    )
    description = forms.CharField(label=_("Description"), required=False, max_length=300)
    total_min = _figure(_("Total: lowest figure"))
    total_best = _figure(_("Total: best figure"))
    total_max = _figure(_("Total: highest figure"))
    total_qualifier = forms.ChoiceField(
        label=_("Qualifier"),
        choices=BLANK + translated(choices(COUNT_QUALIFIERS)),
        required=False,
        help_text=_("exact, about (approx), at least, at most, or a range from lowest to highest."),
    )
    adults = _figure(_("Adults"))
    minors = _figure(_("Minors"))
    women = _figure(_("Women"))
    men = _figure(_("Men"))

    def __init__(self, *args: Any, group: VictimGroup | None = None, **kwargs: Any) -> None:
        if group is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(group, name) for name in VICTIM_FORM_FIELDS}
        super().__init__(*args, **kwargs)

    def clean_nationality(self) -> str:
        return _country(str(self.cleaned_data.get("nationality") or ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if any(name in self.errors for name in ("total_min", "total_best", "total_max")):
            return data
        low, best, high = data.get("total_min"), data.get("total_best"), data.get("total_max")
        qualifier = data.get("total_qualifier") or ""
        try:
            check_count(low, best, high, qualifier or None)
        except DomainValidationError as exc:
            self.add_error(
                _count_field(exc.code, low, best, high), ValidationError(str(exc), exc.code)
            )
            return data
        # The breakdowns against the total: the model's own rule (VictimGroup.clean).
        probe = VictimGroup(
            total_min=low,
            total_best=best,
            total_max=high,
            total_qualifier=qualifier,
            **{name: data.get(name) for name in VICTIM_BREAKDOWNS},
        )
        try:
            probe.clean()
        except ValidationError as exc:
            message = exc.messages[0]
            field = next(
                (b for a, b in (("adults", "minors"), ("women", "men")) if message.startswith(a)),
                None,
            )
            self.add_error(field, ValidationError(f"[R059] {message}", "R059"))
        return data


VICTIM_FORM_FIELDS = (
    "nationality",
    "description",
    "total_min",
    "total_best",
    "total_max",
    "total_qualifier",
    *VICTIM_BREAKDOWNS,
)


def _count_field(code: str, low: int | None, best: int | None, high: int | None) -> str:
    """The field a count error belongs beside: the figure out of order, or the qualifier."""
    if code != "R056":
        return "total_qualifier"
    if low is not None and best is not None and low > best:
        return "total_min"
    return "total_max"


class ParentChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.country})" if obj.country else str(obj.name)


class ActorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=translated(Actor.Kind.choices))
    country = forms.CharField(label=_("Country"), required=False, max_length=2)
    parent = ParentChoiceField(label=_("Part of"), queryset=Actor.objects.all(), required=False)

    def __init__(self, *args: Any, actor: Actor | None = None, **kwargs: Any) -> None:
        if actor is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": actor.name,
                "kind": actor.kind,
                "country": actor.country,
                "parent": actor.parent_id,
            }
        super().__init__(*args, **kwargs)
        if actor is not None:
            parent: Any = self.fields["parent"]
            parent.queryset = Actor.objects.exclude(pk=actor.pk)

    def clean_country(self) -> str:
        return _country(str(self.cleaned_data.get("country") or ""))


class PersonForm(forms.Form):
    """A person's fields; the identifying ones are encrypted when the service saves them."""

    name = forms.CharField(label=_("Name (romanised)"), required=False, max_length=200)
    name_ko = forms.CharField(label=_("Name in Hangul"), required=False, max_length=200)
    name_zh = forms.CharField(label=_("Name in Chinese characters"), required=False, max_length=200)
    sex = forms.ChoiceField(
        label=_("Sex"), choices=BLANK + translated(Person.Sex.choices), required=False
    )
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False, min_value=1900)
    birth_date = forms.CharField(
        label=_("Date of birth"), required=False, max_length=10, help_text=DATE_HELP
    )
    hometown = forms.CharField(label=_("Home town"), required=False, max_length=200)
    family = forms.CharField(
        label=_("Family"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    contact = forms.CharField(
        label=_("Contact"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    disclosure = forms.ChoiceField(label=_("Disclosure level"), choices=translated(Level.choices))
    external_id = forms.CharField(label=_("Your organisation's id"), required=False, max_length=100)

    def __init__(
        self,
        *args: Any,
        team: Team | None,
        person: Person | None = None,
        today: Callable[[], date] = date.today,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.team = team
        self.person = person
        # Built here, not at import: the last valid year is this one.
        self.fields["birth_year"] = forms.IntegerField(
            label=_("Year of birth"), required=False, min_value=1900, max_value=today().year
        )
        self.order_fields(PERSON_FORM_ORDER)
        if person is None:
            self.initial.setdefault("disclosure", Level.TEAM)

    def clean_birth_date(self) -> str:
        text = str(self.cleaned_data.get("birth_date") or "").strip()
        if text:
            try:
                parse_prefix(text)
            except DomainValidationError as exc:
                raise ValidationError(str(exc), code=exc.code) from None
        return text

    def clean_external_id(self) -> str:
        value = str(self.cleaned_data.get("external_id") or "").strip()
        if value:
            taken = Person.objects.filter(team=self.team, external_id=value)
            if self.person is not None:
                taken = taken.exclude(pk=self.person.pk)
            if taken.exists():
                raise ValidationError(_("another person of your team has this id"), code="R131")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year, day = data.get("birth_year"), data.get("birth_date")
        if year is not None and day and parse_prefix(day)[0].year != year:
            self.add_error(
                "birth_date",
                ValidationError(_("the date of birth is not in the year of birth"), "R131"),
            )
        if not any(data.get(n) for n in ("name", "name_ko", "name_zh", "external_id")):
            self.add_error(
                "name",
                ValidationError(_("give a name in some script, or your organisation's id"), "R131"),
            )
        return data


PERSON_FORM_ORDER = (
    "name",
    "name_ko",
    "name_zh",
    "sex",
    "birth_year",
    "birth_date",
    "hometown",
    "family",
    "contact",
    "notes",
    "disclosure",
    "external_id",
)


# Merging and splitting


class ConfirmForm(forms.Form):
    """An act that changes several records at once asks to be confirmed."""

    confirm = forms.BooleanField(label=_("Yes, do it"), required=True)


class MergeForm(ConfirmForm):
    field_order = ("duplicate", "reason", "confirm")

    duplicate = forms.CharField(
        label=_("Duplicate incident (public id)"),
        max_length=32,
        help_text=_("Its events, victim groups, persons and sources join this incident."),
    )
    reason = forms.CharField(label=_("Why they are one incident"), required=False, max_length=500)
    confirm = forms.BooleanField(
        label=_("I have checked that both records describe the same incident"), required=True
    )

    def __init__(self, *args: Any, user: Any, keep: Incident, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.keep = keep

    def clean_duplicate(self) -> Incident:
        public_id = str(self.cleaned_data.get("duplicate") or "").strip().upper()
        found = policy.visible(self.user, Incident.objects.filter(public_id=public_id)).first()
        if found is None:
            # Hidden and absent read the same: the form must not tell which ids exist.
            raise ValidationError(_("no incident with this id"), code="R133")
        if found.pk == self.keep.pk:
            raise ValidationError(_("an incident cannot be merged into itself"), code="R133")
        return found


class _LabelledChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def __init__(self, *args: Any, label_of: Callable[[Any], str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_of = label_of

    def label_from_instance(self, obj: Any) -> str:
        return self.label_of(obj)


class SplitForm(ConfirmForm):
    title = forms.CharField(label=_("Title of the new incident"), max_length=300)
    summary = forms.CharField(
        label=_("Summary of the new incident"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(label=_("Why these are two incidents"), required=False, max_length=500)

    def __init__(
        self,
        *args: Any,
        incident: Incident,
        event_label: Callable[[Event], str],
        group_label: Callable[[VictimGroup], str],
        source_label: Callable[[Any], str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.incident = incident
        widget = forms.CheckboxSelectMultiple
        sources = incident.sources.order_by("pk")
        self.fields["events"] = _LabelledChoices(
            label=_("Events to move to the new incident"),
            queryset=incident.events.order_by("order"),
            required=False,
            widget=widget,
            label_of=event_label,
        )
        self.fields["victim_groups"] = _LabelledChoices(
            label=_("Victim groups to move"),
            queryset=incident.victim_groups.order_by("pk"),
            required=False,
            widget=widget,
            label_of=group_label,
        )
        self.fields["sources_moved"] = _LabelledChoices(
            label=_("Sources that tell only of the new incident (moved)"),
            queryset=sources,
            required=False,
            widget=widget,
            label_of=source_label,
        )
        self.fields["sources_copied"] = _LabelledChoices(
            label=_("Sources that tell of both (linked to both)"),
            queryset=sources,
            required=False,
            widget=widget,
            label_of=source_label,
        )
        # The confirmation comes last on the page.
        self.order_fields([n for n in self.fields if n != "confirm"] + ["confirm"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        events = set(data.get("events") or ())
        groups = set(data.get("victim_groups") or ())
        if "events" in self.errors or "victim_groups" in self.errors:
            return data
        if not events and not groups:
            self.add_error(
                "events",
                ValidationError(_("choose at least one event or victim group"), "R135"),
            )
        elif events == set(self.incident.events.all()) and groups == set(
            self.incident.victim_groups.all()
        ):
            self.add_error(
                "events",
                ValidationError(
                    _("leave at least one event or victim group on the original"), "R135"
                ),
            )
        both = set(data.get("sources_moved") or ()) & set(data.get("sources_copied") or ())
        if both:
            self.add_error(
                "sources_copied",
                ValidationError(_("a source is either moved or linked to both, not both"), "R135"),
            )
        return data
