"""Blind index: spelling variants meet, and truncation keeps every value crowded.

The crowding check uses a synthetic list of 10,000 distinct common-looking Korean full
names: random.Random(20240601) samples them from 30 common family names x two given-name
syllables drawn from 40 common ones (30 * 40 * 40 = 48,000 possible names).
"""

from __future__ import annotations

import random
from collections import Counter

import pytest

from refuge.crypto import DEFAULT_BITS, Keyring, blind_terms, matches

FAMILY = "김이박최정강조윤장임한오서신권황안송유홍전고문양손배백허남노"
GIVEN = "민서준지현영수정은혜경철성희진우연숙호미상동재옥순광명선윤주하예도훈태혁남석일춘"


def _common_names(count: int) -> list[str]:
    every = [f + a + b for f in FAMILY for a in GIVEN for b in GIVEN]
    return random.Random(20240601).sample(every, count)


@pytest.mark.parametrize(
    "variants",
    [
        ["Kim Jong-un", "Kim Jong Un", "KIM Jongun", "김정은", "Gim Jeong-eun"],
        ["리설주", "이설주", "Ri Sol Ju", "Lee Seol-ju"],
        ["류경", "유경", "Ryu Kyong", "Yoo Kyung"],
    ],
)
def test_spellings_of_one_name_share_a_term(keyring: Keyring, variants: list[str]) -> None:
    first = blind_terms(keyring, variants[0])
    for other in variants[1:]:
        assert matches(blind_terms(keyring, other), first), other


def test_terms_depend_on_the_key(keyring: Keyring) -> None:
    names = _common_names(50)
    ours = [blind_terms(keyring, name, bits=32) for name in names]
    theirs = [blind_terms(Keyring.generate(), name, bits=32) for name in names]
    assert all(not (a & b) for a, b in zip(ours, theirs, strict=True))


def test_terms_are_truncated_to_the_requested_width(keyring: Keyring) -> None:
    for bits, width in ((8, 2), (6, 2), (16, 4)):
        (term,) = blind_terms(keyring, "김정은", bits=bits)
        version, stated, value = term.split(":")
        assert (version, int(stated), len(value)) == ("v1", bits, width)
        assert int(value, 16) < 2**bits


def test_every_default_index_value_stands_for_many_common_names(keyring: Keyring) -> None:
    names = _common_names(10_000)
    per_value: Counter[str] = Counter()
    for name in names:
        per_value.update(blind_terms(keyring, name))
    assert len(per_value) == 2**DEFAULT_BITS  # every value is used
    expected = sum(per_value.values()) / 2**DEFAULT_BITS
    assert 30 < expected < 50  # ~39 names per value, as the module docstring computes
    assert min(per_value.values()) >= 10  # no value points at a handful of people


def test_a_search_finds_other_names_too(keyring: Keyring) -> None:
    names = _common_names(2_000)
    query = blind_terms(keyring, "김정은")
    candidates = [name for name in names if matches(query, blind_terms(keyring, name))]
    assert len(candidates) > 1
    assert any(name != "김정은" for name in candidates)


def test_a_search_during_rotation_finds_records_indexed_under_either_version(
    keyring: Keyring,
) -> None:
    stored_old = blind_terms(keyring, "Choe Ryong-hae")
    rotated = keyring.with_new_version()
    stored_new = blind_terms(rotated, "최룡해")
    query = blind_terms(rotated, "Choi Ryong Hae", all_versions=True)
    assert matches(query, stored_old) and matches(query, stored_new)
    assert not matches(blind_terms(rotated, "Choi Ryong Hae"), stored_old)


def test_an_empty_name_has_no_terms_and_matches_nothing(keyring: Keyring) -> None:
    assert blind_terms(keyring, "  ") == set()
    assert not matches(set(), blind_terms(keyring, "김정은"))
