"""Language by script share, and English only when English words are there."""

from __future__ import annotations

import pytest

from refuge.evidence.language import detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("중국 공안이 탈북민 70명을 체포해 강제북송했다.", "ko"),
        ("北 보위부가 탈북민 가족을 조사했다고 소식통이 전했다.", "ko"),
        ("中国公安抓获七十名脱北者，并于七月遣返朝鲜。", "zh"),
        ("中國公安抓獲七十名脫北者，並於七月遣返朝鮮。", "zh"),
        ("中国当局は脱北者七十人を北朝鮮に送還した。", "ja"),
        ("China repatriated 70 North Koreans after holding them for a month in Tumen.", "en"),
    ],
)
def test_it_names_the_language_of_a_sentence(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_a_chinese_text_quoting_a_korean_name_stays_chinese() -> None:
    text = "朝鲜国家保卫省（국가보위성）官员在图们接收了被遣返的脱北者，其中包括二十名未成年人。"
    assert detect_language(text) == "zh"


def test_latin_text_without_english_words_is_not_called_english() -> None:
    assert (
        detect_language("La police a arrêté soixante-dix personnes près de la frontière.") is None
    )
    assert (
        detect_language("Kim Jong-un, Gim Jeong-eun, Kim Jong Un, Kim Cheol-su, Pak Yong-hui")
        is None
    )


@pytest.mark.parametrize("text", ["", "Hi", "탈북", "12 345 678", "…"])
def test_too_little_text_has_no_language(text: str) -> None:
    assert detect_language(text) is None
