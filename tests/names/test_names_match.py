"""Match keys: spellings of one name meet, different names mostly do not, keys stay few."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refuge.names import MAX_KEYS, match_keys, romanize_name, skeleton


def _share(a: str, b: str) -> bool:
    return bool(match_keys(a) & match_keys(b))


@pytest.mark.parametrize(
    "variants",
    [
        ["Kim Jong-un", "Kim Jong Un", "KIM Jongun", "김정은", "Gim Jeong-eun", "Kim Chŏng-ŭn"],
        ["리설주", "이설주", "Ri Sol Ju", "Lee Seol-ju", "Yi Sŏl-chu"],
        ["류경", "유경", "Ryu Kyong", "Yoo Kyung", "Yu Gyeong"],
        ["로명철", "노명철", "Roh Myung-chul", "No Myong Chol"],
        ["림정수", "임정수", "Lim Jung-soo", "Rim Jong Su"],
        ["최룡해", "Choe Ryong-hae", "Choi Ryong Hae", "Ch'oe Ryong-hae"],
        ["손흥민", "Son Heung-min", "Sohn Hung Min"],
        ["박정희", "Park Chung-hee", "Pak Chŏng-hŭi", "Bak Jeong-hui"],
    ],
)
def test_spellings_of_one_name_share_a_key(variants: list[str]) -> None:
    for other in variants[1:]:
        assert _share(variants[0], other), (variants[0], other, match_keys(other))


@pytest.mark.parametrize(
    ("family_first", "given_first"),
    [("Kim Jong-un", "Jong-un Kim"), ("Kim Jong Un", "Jong Un Kim"), ("Han Kang", "Kang Han")],
)
def test_word_order_does_not_matter(family_first: str, given_first: str) -> None:
    assert _share(family_first, given_first)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("김정은", "김여정"),
        ("Kim Jong-un", "Kim Jong-il"),
        ("이설주", "박설주"),
        ("Lee Min", "Park Min"),
    ],
)
def test_different_names_do_not_share_keys(one: str, other: str) -> None:
    assert not _share(one, other)


def test_keys_are_few_and_bounded() -> None:
    assert len(match_keys("김정은")) == 1
    assert len(match_keys("Kim Jong-un")) == 1
    assert 1 <= len(match_keys("Jong Un Kim")) <= 2


@given(st.text(max_size=40))
def test_any_text_gives_a_bounded_set_of_keys(text: str) -> None:
    keys = match_keys(text)
    assert len(keys) <= MAX_KEYS
    assert all(keys)


@given(st.lists(st.integers(0xAC00, 0xD7A3).map(chr), min_size=1, max_size=4).map("".join))
def test_a_hangul_name_meets_its_own_romanizations(name: str) -> None:
    assert len(match_keys(name)) >= 1
    assert _share(name, romanize_name(name))
    assert _share(name, romanize_name(name, system="mr"))
    assert _share(name, romanize_name(name, system="mr", diacritics=False))


@pytest.mark.parametrize(
    ("a", "b"),
    [("Jeong", "Jung"), ("Hyeon", "Hyun"), ("Eun", "Un"), ("Gyeong", "Kyung"), ("Seok", "Suk")],
)
def test_the_skeleton_merges_the_documented_vowel_and_consonant_variants(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b)


def test_a_single_word_or_syllable_still_has_a_key() -> None:
    assert match_keys("Kim") == match_keys("김") == {"kim"}


def test_an_empty_or_letterless_name_has_no_keys() -> None:
    assert match_keys("") == set()
    assert match_keys(" - ' ") == set()
