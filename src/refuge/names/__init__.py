"""Korean personal names: Hangul <-> romanizations, family-name variants and match keys.

``romanize_rr`` and ``romanize_mr`` turn Hangul into Revised Romanization and
McCune–Reischauer; ``romanize_name`` writes a name as people do ("Gim Jeong-eun");
``surname_variants`` lists the spellings of a family name (South and North Hangul forms
included); ``match_keys`` gives the short keys that different spellings of one name share,
for finding candidate records (and, keyed and truncated, for the blind index in
``refuge.crypto``). Pure functions on strings; no error codes: malformed input gives no keys.
"""

from refuge.names.match import MAX_KEYS, match_keys, skeleton
from refuge.names.romanize import romanize_mr, romanize_name, romanize_rr
from refuge.names.surnames import split_hangul_name, surname_variants

__all__ = [
    "MAX_KEYS",
    "match_keys",
    "romanize_mr",
    "romanize_name",
    "romanize_rr",
    "skeleton",
    "split_hangul_name",
    "surname_variants",
]
