"""Display labels of the controlled vocabularies, marked for translation.

The vocabularies live in the pure core (refuge.vocabulary) without Django; their labels are
listed here so that `makemessages` collects them and templates can translate the displayed
value (``{% translate row.status %}``) and forms offer translated choices (``translated``).
"""

from collections.abc import Iterable
from typing import TypeVar

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, gettext_noop

V = TypeVar("V")

LABELS = [
    # event types
    gettext_noop("Arrest"),
    gettext_noop("Detention"),
    gettext_noop("Transfer"),
    gettext_noop("Repatriation"),
    gettext_noop("Deportation"),
    gettext_noop("Release"),
    gettext_noop("Escape attempt"),
    gettext_noop("Border crossing"),
    gettext_noop("Punishment"),
    gettext_noop("Death"),
    gettext_noop("Disappearance"),
    # statuses
    gettext_noop("Arrested"),
    gettext_noop("Detained"),
    gettext_noop("Repatriation pending"),
    gettext_noop("Repatriated"),
    gettext_noop("Released"),
    gettext_noop("Unknown"),
    # figures
    gettext_noop("Total"),
    gettext_noop("Adults"),
    gettext_noop("Minors"),
    gettext_noop("Women"),
    gettext_noop("Men"),
    # content classes, custody actions, review and ingest statuses
    gettext_noop("Published material"),
    gettext_noop("Confidential (testimony, notes)"),
    gettext_noop("captured"),
    gettext_noop("viewed"),
    gettext_noop("exported"),
    gettext_noop("annotated"),
    gettext_noop("transferred"),
    gettext_noop("proposed"),
    gettext_noop("accepted"),
    gettext_noop("edited"),
    gettext_noop("rejected"),
    gettext_noop("ingested"),
    gettext_noop("duplicate"),
    gettext_noop("kept-without-text"),
    gettext_noop("failed"),
    # Admiralty grades
    gettext_noop("A: completely reliable"),
    gettext_noop("B: usually reliable"),
    gettext_noop("C: fairly reliable"),
    gettext_noop("D: not usually reliable"),
    gettext_noop("E: unreliable"),
    gettext_noop("F: reliability cannot be judged"),
    gettext_noop("1: confirmed by other sources"),
    gettext_noop("2: probably true"),
    gettext_noop("3: possibly true"),
    gettext_noop("4: doubtful"),
    gettext_noop("5: improbable"),
    gettext_noop("6: truth cannot be judged"),
    # precisions
    gettext_noop("City"),
    gettext_noop("County"),
    gettext_noop("Admin1"),
    gettext_noop("Country"),
    gettext_noop("Facility"),
    gettext_noop("Region"),
    # count qualifiers
    gettext_noop("Exact"),
    gettext_noop("Approx"),
    gettext_noop("At least"),
    gettext_noop("At most"),
    gettext_noop("Range"),
    # disclosure levels and roles
    gettext_noop("Team"),
    gettext_noop("Organisation"),
    gettext_noop("Partners"),
    gettext_noop("Public"),
    gettext_noop("Administrator"),
    gettext_noop("Editor"),
    gettext_noop("Analyst"),
    gettext_noop("Partner"),
    # actors, persons, claims and source links (model choices)
    gettext_noop("Institution"),
    gettext_noop("Person in a role"),
    gettext_noop("Female"),
    gettext_noop("Male"),
    gettext_noop("Other / not stated"),
    gettext_noop("victim"),  # a person's role in an incident (Victimhood.role)
    gettext_noop("Proposed"),
    gettext_noop("Accepted"),
    gettext_noop("Edited"),
    gettext_noop("Rejected"),
    gettext_noop("Reports"),
    gettext_noop("Corroborates"),
    gettext_noop("Contradicts"),
    # publishing (disclosure.models): release states, embargo conditions, consent scopes
    gettext_noop("Needs review"),
    gettext_noop("Approved"),
    gettext_noop("Withdrawn"),
    gettext_noop("Superseded"),
    gettext_noop("Until the family consents"),
    gettext_noop("Until the repatriation is completed"),
    gettext_noop("Until the person has reached safety"),
    gettext_noop("Another condition (described)"),
    gettext_noop("Sharing with partner organisations"),
    gettext_noop("Publication of the (generalised) record"),
    gettext_noop("Naming the person"),
    gettext_noop("Showing photographs"),
    gettext_noop("Quoting the testimony"),
    # raw values a template translates as they are ({% translate hit.kind|capfirst %}
    # translates "incident", then capitalises): search kinds and release audiences
    gettext_noop("incident"),
    gettext_noop("public"),
    gettext_noop("partners"),
]


def translated(choices: Iterable[tuple[V, str]]) -> list[tuple[V, str | Promise]]:
    """Form choices whose labels show in the reader's language.

    The labels stay plain English in the models and the core (exports and the API use them);
    each one must be listed above (or elsewhere for `makemessages`) to be translated.
    """
    return [(value, gettext_lazy(label)) for value, label in choices]
