from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refuge.gazetteer import normalise_name
from refuge.gazetteer.normalise import short_cjk_form, strip_generic_suffix


@pytest.mark.parametrize(
    ("written", "plain"),
    [
        ("Sinŭiju", "Sinuiju"),
        ("Hoeryŏng", "Hoeryong"),
        ("Móng Cái", "Mong Cai"),
        ("Lạng Sơn", "Lang Son"),
        ("Đồng Đăng", "Dong Dang"),
        ("Zamyn-Üüd", "Zamyn Uud"),
    ],
)
def test_it_ignores_diacritics(written: str, plain: str) -> None:
    assert normalise_name(written) == normalise_name(plain)


@pytest.mark.parametrize("apostrophe", ["'", "’", "‘", "ʼ", "`"])
def test_it_treats_every_apostrophe_alike(apostrophe: str) -> None:
    assert normalise_name(f"Ji{apostrophe}an") == "ji'an"


def test_it_keeps_the_apostrophe_that_separates_syllables() -> None:
    # Ji'an and Jian are different pinyin; the gazetteer lists both spellings explicitly.
    assert normalise_name("Ji'an") != normalise_name("Jian")


@pytest.mark.parametrize(
    "written", ["Rajin-Sonbong", "Rajin Sonbong", "RAJIN–SONBONG", "rajinsonbong"]
)
def test_it_drops_case_hyphens_dashes_and_spaces(written: str) -> None:
    assert normalise_name(written) == "rajinsonbong"


def test_it_leaves_hangul_and_chinese_characters_whole() -> None:
    assert normalise_name("투먼") == "투먼"
    assert normalise_name("图们市") == "图们市"
    assert normalise_name("옌볜 조선족 자치주") == "옌볜조선족자치주"


@given(st.text())
def test_it_is_idempotent(text: str) -> None:
    once = normalise_name(text)
    assert normalise_name(once) == once


@pytest.mark.parametrize(
    ("key", "stem", "kind"),
    [
        ("yunnanprovince", "yunnan", "province"),
        ("tumencity", "tumen", "city"),
        ("changbaikoreanautonomouscounty", "changbai", "county"),
        ("musangun", "musan", "county"),
        ("图们市", "图们", "city"),
        ("吉林省", "吉林", "province"),
        ("지린성", "지린", "province"),
        ("무산군", "무산", "county"),
    ],
)
def test_it_strips_a_generic_suffix_and_names_its_kind(key: str, stem: str, kind: str) -> None:
    stripped, kinds = strip_generic_suffix(key)
    assert stripped == stem
    assert kinds is not None and kind in kinds


@pytest.mark.parametrize("key", ["tumen", "온성", "city", "청도"])
def test_it_keeps_a_key_that_has_no_suffix_or_would_lose_its_name(key: str) -> None:
    assert strip_generic_suffix(key) == (key, None)


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("图们市", "图们"),
        ("延边朝鲜族自治州", "延边"),
        ("河口瑶族自治县", "河口"),
        ("옌볜 조선족 자치주", "옌볜"),
        ("남양로동자구", "남양"),
        ("Tumen City", None),
        ("东北三省", None),
        ("네이멍구", None),
        ("신의주", None),
    ],
)
def test_it_gives_the_short_form_texts_use_for_cjk_names(name: str, short: str | None) -> None:
    assert short_cjk_form(name) == short
