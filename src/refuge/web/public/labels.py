"""Labels of the aggregate tables' names and dimensions, marked for translation.

The tables come from the pure core (``refuge.publish.sdc``) as plain names ("by_age_group",
"province"); the public templates show them through the ``vocab_label`` filter, which
translates the readable form. Listing the forms here lets `makemessages` collect them.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

LABELS = [
    gettext_noop("By month"),
    gettext_noop("By province"),
    gettext_noop("By facility"),
    gettext_noop("By age group"),
    gettext_noop("By sex"),
    gettext_noop("By province and month"),
    gettext_noop("Month"),
    gettext_noop("Province"),
    gettext_noop("Facility"),
    gettext_noop("Age group"),
    gettext_noop("Sex"),
]

# Names that do not read well as words of the plain name.
TITLES = {"by_province_month": gettext_noop("By province and month")}
# Dimensions whose values are vocabulary ("adults", "women"), not names of places.
VOCABULARY_DIMENSIONS = frozenset({"age_group", "sex"})
