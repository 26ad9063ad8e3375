"""Romanization: the published letter tables and the sound changes we implement."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refuge.names import romanize_mr, romanize_name, romanize_rr
from refuge.names.hangul import Syllable, compose, decompose
from refuge.names.match import skeleton

syllables = st.integers(0xAC00, 0xD7A3).map(chr)


@pytest.mark.parametrize(
    ("hangul", "rr"),
    [
        ("부산", "busan"),
        ("서울", "seoul"),
        ("평양", "pyeongyang"),
        ("조선", "joseon"),
        ("대한민국", "daehanminguk"),
        ("한국어", "hangugeo"),  # linking
        ("국민", "gungmin"),  # nasalization
        ("백마", "baengma"),
        ("종로", "jongno"),  # ㄹ read ㄴ after ㅇ
        ("독립", "dongnip"),  # ㄹ read ㄴ after ㄱ, then nasalization
        ("신라", "silla"),  # liquidization
        ("설날", "seollal"),
        ("좋고", "joko"),  # aspiration after ㅎ
        ("좋아", "joa"),  # ㅎ silent before a vowel
        ("없어", "eopseo"),  # a double final splits
    ],
)
def test_revised_romanization_follows_the_rules(hangul: str, rr: str) -> None:
    assert romanize_rr(hangul) == rr


@pytest.mark.parametrize(
    ("hangul", "mr", "plain"),
    [
        ("부산", "pusan", "pusan"),  # voiceless at the start of a word
        ("평양", "p'yŏngyang", "pyongyang"),
        ("조선", "chosŏn", "choson"),
        ("한국", "han'guk", "hanguk"),  # voiced after ㄴ, and n'g marks ㄴ+ㄱ
        ("대동강", "taedonggang", "taedonggang"),  # voiced between vowels and after ㅇ
        ("신의주", "sinŭiju", "sinuiju"),
        ("독립", "tongnip", "tongnip"),
    ],
)
def test_mccune_reischauer_with_and_without_diacritics(hangul: str, mr: str, plain: str) -> None:
    assert romanize_mr(hangul) == mr
    assert romanize_mr(hangul, diacritics=False) == plain


def test_non_hangul_text_is_kept_and_words_are_romanized_apart() -> None:
    assert romanize_rr("김 정은, 2017") == "gim jeongeun, 2017"


def test_without_assimilation_each_syllable_keeps_its_letters() -> None:
    assert romanize_rr("한복남", assimilate=False) == "hanboknam"
    assert romanize_rr("한복남") == "hanbongnam"


@pytest.mark.parametrize(
    ("hangul", "rr", "mr", "plain"),
    [
        ("김정은", "Gim Jeong-eun", "Kim Chŏng-ŭn", "Kim Chong-un"),
        ("김대중", "Gim Dae-jung", "Kim Tae-jung", "Kim Tae-jung"),
        ("최용해", "Choe Yong-hae", "Ch'oe Yong-hae", "Choe Yong-hae"),
        ("남궁민수", "Namgung Min-su", "Namgung Min-su", "Namgung Min-su"),
    ],
)
def test_names_are_written_family_name_apart_and_given_name_hyphenated(
    hangul: str, rr: str, mr: str, plain: str
) -> None:
    assert romanize_name(hangul) == rr
    assert romanize_name(hangul, system="mr") == mr
    assert romanize_name(hangul, system="mr", diacritics=False) == plain


def test_a_name_not_in_hangul_is_refused() -> None:
    with pytest.raises(ValueError, match="not a name written in Hangul"):
        romanize_name("Kim")


@given(syllables)
def test_decomposition_and_composition_are_inverse(char: str) -> None:
    parts = decompose(char)
    assert isinstance(parts, Syllable) and compose(parts) == char


@pytest.mark.parametrize("name", ["김정은", "최룡해", "박정희", "리설주", "한복남", "선우진"])
def test_rr_and_mr_of_common_names_reduce_to_one_skeleton(name: str) -> None:
    # Not true of every syllable string (RR "gaeo" vs MR "kaŏ" for 가어 read differently
    # once syllable boundaries are gone), which is why match keys keep both skeletons.
    rr = romanize_rr(name, assimilate=False)
    mr = romanize_mr(name, assimilate=False, diacritics=False)
    assert skeleton(rr) == skeleton(mr)
