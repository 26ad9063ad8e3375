"""What the components find, kept on the Doc as extension attributes (``doc._.refuge_*``).

spaCy 3 keeps a Doc's extension values in ``doc.user_data`` under the key ``("._.", name,
None, None)``. Reading and writing them there directly spares the ``Underscore`` object that
every ``doc._`` builds and the checks of its attribute access, which together cost more than
some components' own work. That storage is checked once, at import: with any other, the
values go through ``doc._`` as usual. Either way ``doc._.refuge_*`` reads what was put.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc
from spacy.vocab import Vocab

NAMES = (
    "refuge_numbers",
    "refuge_counts",
    "refuge_groups",
    "refuge_group_ages",
    "refuge_events",
    "refuge_places",
    "refuge_facilities",
    "refuge_dates",
    "refuge_sources",
    "refuge_law",
    "refuge_flags",
)
for _name in NAMES:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

# Typed Any: spaCy types user_data with str keys, but keeps extension values under tuples.
_KEYS: dict[str, Any] = {name: ("._.", name, None, None) for name in NAMES}


def _kept_in_user_data() -> bool:
    """Whether a value set through ``doc._`` lands in ``user_data`` under our key, and a
    value put there is what ``doc._`` reads."""
    doc = Doc(Vocab(), words=["probe"])
    marker, other = object(), object()
    setattr(doc._, NAMES[0], marker)
    if doc.user_data.get(_KEYS[NAMES[0]]) is not marker:
        return False
    doc.user_data[_KEYS[NAMES[0]]] = other
    return getattr(doc._, NAMES[0]) is other


_DIRECT = _kept_in_user_data()


def put(doc: Doc, name: str, value: Any) -> None:
    """``doc._.<name> = value``."""
    if _DIRECT:
        doc.user_data[_KEYS[name]] = value
    else:
        setattr(doc._, name, value)


def get(doc: Doc, name: str) -> Any:
    """``doc._.<name>`` (None until a component puts it)."""
    if _DIRECT:
        return doc.user_data.get(_KEYS[name])
    return getattr(doc._, name)
