"""Decoding bytes to text: Unicode marks, UTF-8, and the legacy Korean and Chinese encodings."""

from __future__ import annotations

import codecs
import random

import pytest

from refuge.errors import EvidenceError
from refuge.evidence.decode import decode_declared, decode_text, is_text, normalise_newlines

KOREAN = "중국 공안이 탈북민 70명을 체포해 강제북송했다. 이 중 20명은 미성년자였다."
# 햏 and 똠 are outside EUC-KR's 2,350 syllables: only CP949 has them.
KOREAN_CP949_ONLY = "그는 자신을 '햏자'라고 불렀고, 가게 이름은 '똠방'이었다고 전했다."
SIMPLIFIED = "中国公安抓获七十名脱北者，并于七月遣返朝鲜。其中二十名为未成年人。"
TRADITIONAL = "中國公安抓獲七十名脫北者，並於七月遣返朝鮮。其中二十名為未成年人。"


@pytest.mark.parametrize(
    ("text", "codec", "reported"),
    [
        (KOREAN, "euc_kr", {"euc-kr", "cp949"}),
        (KOREAN, "cp949", {"euc-kr", "cp949"}),
        (KOREAN_CP949_ONLY, "cp949", {"cp949"}),
        (SIMPLIFIED, "gb18030", {"gb18030"}),
        (SIMPLIFIED, "gb2312", {"gb18030"}),
        (TRADITIONAL, "big5", {"big5", "big5-hkscs"}),
    ],
)
def test_it_decodes_korean_and_chinese_legacy_encodings(
    text: str, codec: str, reported: set[str]
) -> None:
    decoded = decode_text(text.encode(codec))
    assert decoded.text == text
    assert decoded.encoding in reported


def test_it_tells_a_short_korean_phrase_from_chinese_read_through_the_same_bytes() -> None:
    # EUC-KR bytes of these two words also decode cleanly as GB18030 (into nonsense).
    phrase = "탈북민 강제북송"
    assert phrase.encode("euc_kr").decode("gb18030") != phrase
    assert decode_text(phrase.encode("euc_kr")).text == phrase


def test_it_tells_a_short_chinese_phrase_from_korean_read_through_the_same_bytes() -> None:
    phrase = "脱北者被遣返"
    assert phrase.encode("gb18030").decode("cp949") != phrase
    assert decode_text(phrase.encode("gb18030")).text == phrase


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("图们 边防 拘留所 丹东 海关 长白 口岸", "gb18030"),  # spaced Chinese names
        ("함경북도 회령시 온성군", "euc_kr"),  # Korean names without particles
        ("같이 앞으로 갔다", "euc_kr"),
    ],
)
def test_it_reads_short_spaced_phrases_in_the_right_script(text: str, codec: str) -> None:
    assert decode_text(text.encode(codec)).text == text


def test_it_prefers_strict_utf8_and_is_confident() -> None:
    decoded = decode_text(KOREAN.encode("utf-8"))
    assert (decoded.text, decoded.encoding, decoded.confident) == (KOREAN, "utf-8", True)


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
    ],
)
def test_it_follows_a_byte_order_mark_and_drops_it(bom: bytes, codec: str) -> None:
    decoded = decode_text(bom + SIMPLIFIED.encode(codec))
    assert decoded.text == SIMPLIFIED
    assert decoded.encoding == codec


def test_it_reads_western_legacy_text_as_cp1252() -> None:
    text = "Le café de la gare était fermé « déjà » l’été."
    decoded = decode_text(text.encode("cp1252"))
    assert decoded.text == text
    assert decoded.encoding == "cp1252"


def test_it_rejects_random_bytes_as_not_text() -> None:
    garbage = random.Random(7).randbytes(4096)
    with pytest.raises(EvidenceError) as caught:
        decode_text(garbage)
    assert caught.value.code == "R033"


def test_it_rejects_ascii_range_binary_that_happens_to_be_valid_utf8() -> None:
    binary = bytes(range(32)) * 20 + b"some words"
    with pytest.raises(EvidenceError):
        decode_text(binary)


def test_it_decodes_mixed_bytes_lossily_without_failing() -> None:
    # UTF-8 Korean followed by a stray GB18030 chunk: no encoding reads all of it strictly.
    mixed = KOREAN.encode("utf-8") + b" " + SIMPLIFIED.encode("gb18030")
    decoded = decode_text(mixed)
    assert decoded.text
    assert decoded.confident is False or decoded.encoding != "utf-8"


def test_a_declared_charset_is_used_when_it_reads_the_bytes() -> None:
    decoded = decode_declared(KOREAN.encode("euc_kr"), "EUC-KR")
    assert decoded is not None
    assert decoded.text == KOREAN


def test_a_declared_gb2312_label_reads_gbk_characters_too() -> None:
    text = "朝鲜脱北者镕"  # 镕 is in GBK, not in GB2312
    decoded = decode_declared(text.encode("gbk"), "gb2312")
    assert decoded is not None
    assert decoded.text == text


def test_a_wrong_declared_charset_is_ignored() -> None:
    assert decode_declared(KOREAN.encode("utf-8"), "big5") is None
    assert decode_declared(b"abc", "no-such-charset") is None


def test_newline_normalisation_changes_only_line_breaks() -> None:
    assert normalise_newlines("a\r\nb\rc\n\td\u2028") == "a\nb\nc\n\td\u2028"


def test_is_text_tolerates_a_rare_control_character_but_not_many() -> None:
    assert is_text("x" * 200 + "\x00")
    assert not is_text("x" * 20 + "\x00\x01\x02")
