"""Blind index: find a person by name without storing the name in plaintext.

A record stores, for each match key of its name (:func:`refuge.names.match_keys`), a
truncated HMAC of that key under the keyring's "blind-index" key: a *term*. A search computes
the terms of the name typed and looks for records sharing one; the candidates are decrypted
and shown to the editor, who decides. Spelling variants (김정은 / Kim Jong-un / Gim
Jeong-eun) share a match key, hence a term.

Truncation is deliberate. A full HMAC would be unique per name: someone who obtains the
index and the blind-index key (a seized server, a leaked search service) could hash a list
of common Korean names and read off who is in the database. Cut to ``bits`` bits, each term
value is shared by many names, so the index says "one of these dozens", not "this one".

The default, 8 bits (256 values), is chosen from this estimate: with ~10,000 common Korean
full names, a name's usual single key lands in one of 256 values, so each value stands for
10,000 / 256 ≈ 39 names on average (Poisson, so fewer than 10 names on a value has
probability about 1e-8, and the synthetic check in the tests sees the same spread); more
names (the skeleton already merges spelling-level variants) only make the buckets fuller.
A search then returns about 1/256 of the records plus the true matches, which the server
filters by decrypting: cheap even for 100,000 records (a few hundred decryptions).

Weaker case, stated plainly: a romanized name whose word order is ambiguous gets two keys
("Jong Un Kim": is the family name Jong or Kim?), hence two terms, and the *pair* is shared
by only ~10,000 / 256**2 ≈ 0.15 other common names. Hangul names and two-word romanized
names get one key. Callers who store only Hangul forms, or pass a smaller ``bits``, avoid
the case; the lead decides per field.

Terms carry their key version and width (``v1:8:3a``) so that a search during a rotation can
ask for the terms of every version the keyring holds (``all_versions=True``), and terms of
different widths never match by accident.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Set

from refuge.crypto.keys import Keyring
from refuge.names import match_keys

DEFAULT_BITS = 8
_MIN_BITS = 1
_MAX_BITS = 64


def _term(key: bytes, version: int, bits: int, match_key: str) -> str:
    digest = hmac.new(key, b"refuge-blind/1\x00" + match_key.encode("utf-8"), hashlib.sha256)
    value = int.from_bytes(digest.digest()[:8], "big") >> (64 - bits)
    width = (bits + 3) // 4
    return f"v{version}:{bits}:{value:0{width}x}"


def blind_terms(
    keyring: Keyring, name: str, *, bits: int = DEFAULT_BITS, all_versions: bool = False
) -> set[str]:
    """The truncated keyed hashes of every match key of ``name``.

    Store the result of the default call with the record; when searching during a key
    rotation, pass ``all_versions=True`` so records not yet re-indexed are found too.
    """
    if not _MIN_BITS <= bits <= _MAX_BITS:
        raise ValueError(f"bits must be in [{_MIN_BITS}, {_MAX_BITS}]")
    keys = match_keys(name)
    versions = keyring.versions if all_versions else (keyring.current,)
    terms: set[str] = set()
    for version in versions:
        subkey = keyring.subkey("blind-index", version)
        terms.update(_term(subkey, version, bits, key) for key in keys)
    return terms


def matches(query_terms: Iterable[str], stored_terms: Iterable[str]) -> bool:
    """Whether a record with ``stored_terms`` is a candidate for the query (one shared term)."""
    stored: Set[str] = stored_terms if isinstance(stored_terms, Set) else set(stored_terms)
    return any(term in stored for term in query_terms)


__all__ = ["DEFAULT_BITS", "blind_terms", "matches"]
