"""Match keys: short normalised forms that different spellings of one Korean name share.

A key is the family name and the given name reduced to a phonetic *skeleton*, the two parts
sorted so that the order they were written in does not matter ("Kim Jong-un" and
"Jong-un Kim" give the same key). Known family names are replaced by one form for their
whole group of spellings (Lee/Yi/Rhee/Ri/이/리 -> "i"). "Kim Jong-un", "Kim Jong Un",
"KIM Jongun", "김정은" and "Gim Jeong-eun" all give "jongon|kim".

The skeleton (applied after :func:`refuge.names.folding.fold`) collapses the differences
that romanization systems and everyday spellings make, and nothing else:

- consonants: g/k -> k, d/t -> t, b/p -> p, j/ch/tch/jj/tj -> j, r/l -> l, f -> p, sh -> s;
  "ng" is kept as a unit so that g -> k does not touch it;
- vowels: eo, eu, oo, ou, u -> o (Jeong/Jung/Jong, Eun/Un, Yoon/Yun, Sung/Seong);
  ui, eui, ee -> i (희 as hui/hee/hi); ae -> e;
- an h that follows a vowel and precedes no vowel is dropped (Sohn, Ahn, Oh);
- doubled letters are single (kk, ss, ll, nn).

These rules apply everywhere in a word, not only at the start of syllables: a romanized
name's syllable boundaries are unknown, and the same rule applied to both sides keeps keys
equal. The price is precision (정 and 종, 성 and 송 share a skeleton); the keys find
candidates for an editor to judge, they do not decide identity.

Hangul names are romanized (RR and MR, letter by letter, without sound changes, as the RR
rules prescribe for given names) and reduced the same way; the two usually give one key.
Every part is reduced the same way whatever its role (a given name "Han" and the family
name 한 both give "han"), so for a two-word name both orders give one key. Longer romanized
names are split into a family name and a given name with the first word as family name
and, unless the first word is a known family name and the last is not ("Kim Jong Un"), the
last word as family name too.

Bound: at most :data:`MAX_KEYS` (8) keys per name: two readings (first/last word as family
name, or the two splits of a Hangul name after a two-syllable family name) times at most
two forms of each part (RR and MR skeletons of an unlisted Hangul part, or the groups of an
ambiguous spelling). Most names get one key; romanized names of three words or more
usually two. A single romanized word is one key (its skeleton); it is not split further.
"""

from __future__ import annotations

import re
from itertools import product

from refuge.names.folding import fold
from refuge.names.hangul import has_hangul, is_hangul_syllable
from refuge.names.romanize import romanize_mr, romanize_rr
from refuge.names.surnames import split_hangul_name, surname_groups

MAX_KEYS = 8

_DIGRAPHS = (("tch", "j"), ("ch", "j"), ("jj", "j"), ("tj", "j"), ("sh", "s"))
_SINGLE = str.maketrans("gdbrf", "ktplp")
# ae/ee do not take an e that starts eo/eu: "gaeo" is 가어 (ga-eo), as MR's "kaŏ" says.
_VOWELS = re.compile(r"eui|ui|eo|eu|oo|ou|ee(?![ou])|ae(?![ou])|u")
_VOWEL_MAP = {
    "eui": "i",
    "ui": "i",
    "eo": "o",
    "eu": "o",
    "oo": "o",
    "ou": "o",
    "ee": "i",
    "ae": "e",
    "u": "o",
}
_SILENT_H = re.compile(r"(?<=[aeiouwy])h(?![aeiouwy])")
_DOUBLE = re.compile(r"(.)\1+")
_SPLIT = re.compile(r"[\s,/;]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NG = "\x00"


def skeleton(text: str) -> str:
    """The phonetic skeleton of a romanized name part (see the module docstring)."""
    folded = fold(text).replace("ng", _NG)
    for source, target in _DIGRAPHS:
        folded = folded.replace(source, target)
    folded = folded.translate(_SINGLE)
    folded = _VOWELS.sub(lambda match: _VOWEL_MAP[match.group()], folded)
    folded = _SILENT_H.sub("", folded)
    folded = _DOUBLE.sub(r"\1", folded)
    return folded.replace(_NG, "ng")


def _group_forms(written: str) -> set[str]:
    """One form per family-name group the written part may belong to (empty if unknown)."""
    return {skeleton(romanize_rr(south, assimilate=False)) for south in surname_groups(written)}


def _hangul_forms(part: str) -> set[str]:
    known = _group_forms(part)
    if known:
        return known
    romanized = (
        romanize_rr(part, assimilate=False),
        romanize_mr(part, assimilate=False, diacritics=False),
    )
    # An unlisted syllable may romanize to a listed spelling (룖 -> "Ryom", a spelling of
    # 염): the romanized name would then be keyed through the table, so key this one so too.
    forms = {skeleton(text) for text in romanized}
    for text in romanized:
        forms |= _group_forms(text)
    return forms


def _latin_forms(part: str) -> set[str]:
    return _group_forms(part) or {skeleton(part)}


def _keys(readings: list[tuple[set[str], set[str]]]) -> set[str]:
    keys: set[str] = set()
    for family_forms, given_forms in readings:
        for family, given in product(sorted(family_forms), sorted(given_forms or {""})):
            parts = sorted(part for part in (family, given) if part)
            if parts:
                keys.add("|".join(parts))
    # The construction keeps within the bound; the cut only guards against a future table
    # entry that puts one spelling in many groups, and keeps the result deterministic.
    return set(sorted(keys)[:MAX_KEYS])


def _words(name: str) -> list[str]:
    words: list[str] = []
    for chunk in _SPLIT.split(name.strip()):
        words.extend(part for part in _CAMEL.split(chunk) if fold(part))
    return words


def match_keys(name: str) -> set[str]:
    """The match keys of a personal name in Hangul or romanized (see the module docstring).

    Two records are candidates for being the same person when their key sets intersect.
    An empty or letterless name has no keys and matches nothing.
    """
    words = _words(name)
    if not words:
        return set()
    hangul_only = all(is_hangul_syllable(char) for word in words for char in word)
    if hangul_only:
        compact = "".join(words)
        return _keys(
            [
                (_hangul_forms(family), _hangul_forms(given) if given else set())
                for family, given in split_hangul_name(compact)
            ]
        )
    words = [romanize_rr(w, assimilate=False) if has_hangul(w) else w for w in words]
    if len(words) == 1:
        return _keys([(_latin_forms(words[0]), set())])
    first, last = words[0], words[-1]
    first_reading = (_latin_forms(first), _latin_forms("".join(words[1:])))
    last_reading = (_latin_forms(last), _latin_forms("".join(words[:-1])))
    # Family name first is the Korean order and always tried; the last word is tried too
    # unless the first is a known family name and the last is not ("Kim Jong Un").
    readings = [first_reading]
    if not (surname_groups(first) and not surname_groups(last)):
        readings.append(last_reading)
    return _keys(readings)


__all__ = ["MAX_KEYS", "match_keys", "skeleton"]
