"""Match keys for place names written in any script or romanisation.

``normalise_name`` makes the spellings that reports use for one name compare equal:
"Sinŭiju", "Sinuiju" and "SINUIJU"; "Ji’an" and "Ji'an"; "Hoeryong-si" and "Hoeryongsi".
``strip_generic_suffix`` removes a trailing "City", "Province", 市, 省, 군... so that
"Yunnan Province" and 图们 find "Yunnan" and 图们市; lookup uses it only when the full form
matched nothing, and uses the kind the suffix names to prefer the place it describes.
"""

from __future__ import annotations

import unicodedata
from typing import Final

# Typographic and modifier apostrophes all stand for the one in "Ji'an"; the backtick and
# acute accent appear in hand-typed romanisations ("Ch`ongjin", "Hamh´ung").
_APOSTROPHES: Final = str.maketrans(dict.fromkeys("’‘ʼʻ`´′ʹ＇", "'"))
# Hyphens and dashes of every width, the full stop of abbreviations ("St. Petersburg").
_DROPPED: Final = frozenset("-‐‑‒–—―﹣－.．")
# Letters with a stroke have no Unicode decomposition, so they would survive the removal of
# accents; Vietnamese đ is the one that matters here ("Đồng Đăng").
_STROKES: Final = str.maketrans({"đ": "d", "ø": "o", "ł": "l", "ı": "i", "ħ": "h"})


def normalise_name(text: str) -> str:
    """Return the match key of a place name: casefolded, without diacritics, with one kind
    of apostrophe, and without hyphens, dashes, full stops and spaces.

    Hangul and Chinese characters come out unchanged (in NFC), so 투먼 and 图们市 are their
    own keys.
    """
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES)).casefold()
    # casefold can produce characters with their own decomposition (e.g. "İ" -> "i̇").
    text = unicodedata.normalize("NFKD", text)
    kept = (
        ch
        for ch in text
        if unicodedata.category(ch) != "Mn" and not ch.isspace() and ch not in _DROPPED
    )
    return unicodedata.normalize("NFC", "".join(kept).translate(_STROKES))


_CITY: Final = frozenset({"city"})
_COUNTY: Final = frozenset({"county"})
_PROVINCE: Final = frozenset({"province"})
_REGION: Final = frozenset({"region"})
_CAPITAL: Final = frozenset({"province", "city"})  # municipalities, special cities

# Generic suffixes and the kinds of place they name, in natural spelling (normalised below
# and tried longest first, so "Korean Autonomous County" wins over "County"). A suffix that
# is also the ending of real names is left out: 州 (广州), 주 (신의주), "zhen" (Shenzhen).
_SUFFIX_TABLE: Final[tuple[tuple[str, frozenset[str]], ...]] = (
    ("Korean Autonomous Prefecture", _REGION),
    ("Korean Autonomous County", _COUNTY),
    ("Manchu Autonomous County", _COUNTY),
    ("Yao Autonomous County", _COUNTY),
    ("Dai Autonomous Prefecture", _REGION),
    ("Zhuang Autonomous Region", _PROVINCE),
    ("Hui Autonomous Region", _PROVINCE),
    ("Uyghur Autonomous Region", _PROVINCE),
    ("Autonomous Prefecture", _REGION),
    ("Autonomous County", _COUNTY),
    ("Autonomous Region", _PROVINCE),
    ("Directly Governed City", _CAPITAL),
    ("Special City", _CAPITAL),
    ("Municipality", _CAPITAL),
    ("Workers' District", _CITY),
    ("rodongjagu", _CITY),
    ("nodongjagu", _CITY),
    ("Province", _PROVINCE),
    ("Prefecture", frozenset({"region", "province"})),
    ("Oblast", _PROVINCE),
    ("Krai", _PROVINCE),
    ("Region", frozenset({"province", "region"})),
    ("District", _COUNTY),
    ("County", _COUNTY),
    ("City", _CITY),
    ("Town", _CITY),
    ("sheng", _PROVINCE),
    ("shi", _CITY),
    ("xian", _COUNTY),
    ("si", _CITY),
    ("gun", _COUNTY),
    ("kun", _COUNTY),
    ("eup", _CITY),
    ("up", _CITY),
    ("朝鲜族自治州", _REGION),
    ("朝鲜族自治县", _COUNTY),
    ("满族自治县", _COUNTY),
    ("瑶族自治县", _COUNTY),
    ("傣族自治州", _REGION),
    ("壮族自治区", _PROVINCE),
    ("回族自治区", _PROVINCE),
    ("维吾尔自治区", _PROVINCE),
    ("自治州", _REGION),
    ("自治县", _COUNTY),
    ("自治区", _PROVINCE),
    ("特别市", _CAPITAL),
    ("直辖市", _CAPITAL),
    ("边疆区", _PROVINCE),
    ("地区", _REGION),
    ("市", _CITY),
    ("省", _PROVINCE),
    ("县", _COUNTY),
    ("区", _COUNTY),
    ("镇", _CITY),
    ("道", _PROVINCE),
    ("조선족자치주", _REGION),
    ("조선족자치현", _COUNTY),
    ("자치주", _REGION),
    ("자치현", _COUNTY),
    ("자치구", _PROVINCE),
    ("특별시", _CAPITAL),
    ("직할시", _CAPITAL),
    ("로동자구", _CITY),
    ("노동자구", _CITY),
    ("시", _CITY),
    ("성", _PROVINCE),
    ("군", _COUNTY),
    ("현", _COUNTY),
    ("구", _COUNTY),
    ("도", _PROVINCE),
    ("읍", _CITY),
)

_SUFFIXES: Final = tuple(
    sorted(
        ((normalise_name(s), kinds) for s, kinds in _SUFFIX_TABLE),
        key=lambda item: len(item[0]),
        reverse=True,
    )
)

# Chinese and Korean suffixes that texts commonly leave off (图们 for 图们市, 지린 for 지린성,
# 延边 for 延边朝鲜族自治州), longest first. 道/도 stay: 咸镜北 is not how anyone writes.
_SHORTENABLE_CJK_SUFFIXES: Final = (
    "朝鲜族自治州",
    "朝鲜族自治县",
    "维吾尔自治区",
    "满族自治县",
    "瑶族自治县",
    "傣族自治州",
    "壮族自治区",
    "回族自治区",
    "조선족자치주",
    "조선족자치현",
    "로동자구",
    "노동자구",
    "특별시",
    "직할시",
    "特别市",
    "直辖市",
    "边疆区",
    "자치주",
    "자치현",
    "자치구",
    "自治州",
    "自治县",
    "自治区",
    "地区",
    "市",
    "省",
    "县",
    "区",
    "镇",
    "시",
    "성",
    "군",
    "현",
    "읍",
)
# A stem still ending like this is half a name (河口瑶族自治 from 河口瑶族自治县) or a count
# (东北三 from 东北三省). 구 is not shortened: 네이멍구 is not 네이멍 plus a district.
_UNFINISHED_STEMS: Final = ("自治", "族", "자치", "족", "三")


def _is_cjk(ch: str) -> bool:
    return ord(ch) >= 0x2E80


def _long_enough(stem: str) -> bool:
    # One Hangul or Chinese character, or two Latin letters, names nothing on its own
    # (온성 minus 성 is not a place).
    return len(stem) >= (2 if any(_is_cjk(ch) for ch in stem) else 3)


def strip_generic_suffix(key: str) -> tuple[str, frozenset[str] | None]:
    """Split a normalised key into its stem and the kinds its generic suffix names.

    Returns ``(key, None)`` when the key has no generic suffix, or when removing it would
    leave too little to name a place.
    """
    for suffix, kinds in _SUFFIXES:
        if key.endswith(suffix):
            stem = key[: -len(suffix)]
            if _long_enough(stem):
                return stem, kinds
    return key, None


def short_cjk_form(name: str) -> str | None:
    """The form of a Chinese or Korean name without its administrative suffix, if any."""
    compact = "".join(name.split())
    for suffix in _SHORTENABLE_CJK_SUFFIXES:
        if compact.endswith(suffix):
            stem = compact[: -len(suffix)]
            if (
                _long_enough(stem)
                and all(_is_cjk(ch) for ch in stem)
                and not stem.endswith(_UNFINISHED_STEMS)
            ):
                return stem
            return None
    return None
