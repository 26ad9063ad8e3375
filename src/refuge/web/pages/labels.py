"""Display labels of the controlled vocabularies, marked for translation.

The vocabularies live in the pure core (refuge.vocabulary) without Django; their labels are
listed here so that `makemessages` collects them and templates can translate the displayed
value (``{% translate row.status %}``).
"""

from django.utils.translation import gettext_noop

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
]
