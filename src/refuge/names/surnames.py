"""Common Korean family names: Hangul forms (South and North) and their romanized spellings.

Compiled for Refuge from general knowledge of Korean naming: the South Hangul form, the
North's form where it keeps an initial ㄹ (리 for 이, 류 for 유, 로 for 노, 림 for 임, 량 for
양, 라 for 나, 려 for 여, 렴 for 염, 룡 for 용, 륙 for 육), and the spellings seen in passports,
lists and news reports, including the strict RR and MR forms. Hangul names put the family
name first; a handful of two-syllable family names (남궁, 황보, 제갈, 선우, 독고, 사공, 서문)
make the split of a Hangul name ambiguous, and :func:`split_hangul_name` returns each reading.
"""

from __future__ import annotations

from refuge.names.folding import fold

# (South form, North form, spellings). A spelling may belong to more than one name (Chun:
# 전 and 천); lookups then return every candidate.
_TABLE: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("김", "김", ("Kim", "Gim")),
    ("이", "리", ("Lee", "Yi", "Rhee", "Ri", "I", "Yee", "Rhie", "Lie")),
    ("박", "박", ("Park", "Pak", "Bak", "Bahk")),
    ("최", "최", ("Choi", "Choe", "Ch'oe", "Chwe")),
    ("정", "정", ("Jung", "Jeong", "Chung", "Chŏng", "Jong", "Chong", "Cheong", "Joung")),
    ("강", "강", ("Kang", "Gang")),
    ("조", "조", ("Cho", "Jo", "Joe", "Choh")),
    ("윤", "윤", ("Yoon", "Yun", "Youn")),
    ("장", "장", ("Jang", "Chang")),
    ("임", "림", ("Lim", "Im", "Rim", "Yim", "Lym")),
    ("한", "한", ("Han",)),
    ("오", "오", ("Oh", "O")),
    ("서", "서", ("Seo", "Suh", "Sŏ", "So")),
    ("신", "신", ("Shin", "Sin", "Sheen")),
    ("권", "권", ("Kwon", "Gwon", "Kwŏn", "Kweon")),
    ("황", "황", ("Hwang", "Whang")),
    ("안", "안", ("Ahn", "An")),
    ("송", "송", ("Song",)),
    ("유", "류", ("Ryu", "Yoo", "Yu", "You", "Lyu", "Rhyu")),
    ("홍", "홍", ("Hong",)),
    ("전", "전", ("Jeon", "Jun", "Chun", "Chŏn", "Chon", "Jon")),
    ("고", "고", ("Ko", "Go", "Koh")),
    ("문", "문", ("Moon", "Mun")),
    ("양", "량", ("Yang", "Ryang")),
    ("손", "손", ("Son", "Sohn")),
    ("배", "배", ("Bae", "Pae")),
    ("백", "백", ("Baek", "Paek", "Baik", "Paik")),
    ("허", "허", ("Heo", "Huh", "Hur", "Hŏ", "Ho")),
    ("남", "남", ("Nam",)),
    ("노", "로", ("Noh", "Roh", "No", "Ro")),
    ("천", "천", ("Cheon", "Chun", "Ch'ŏn", "Chon")),
    ("주", "주", ("Joo", "Ju", "Chu", "Choo")),
    ("구", "구", ("Koo", "Ku", "Gu")),
    ("성", "성", ("Sung", "Seong", "Sŏng")),
    ("차", "차", ("Cha", "Ch'a")),
    ("우", "우", ("Woo", "U")),
    ("민", "민", ("Min",)),
    ("하", "하", ("Ha",)),
    ("곽", "곽", ("Kwak", "Gwak")),
    ("나", "라", ("Na", "Ra", "La")),
    ("현", "현", ("Hyun", "Hyeon", "Hyŏn")),
    ("진", "진", ("Jin", "Chin")),
    ("지", "지", ("Ji", "Chi")),
    ("엄", "엄", ("Um", "Eom", "Ŏm")),
    ("채", "채", ("Chae", "Ch'ae")),
    ("원", "원", ("Won", "Wŏn")),
    ("방", "방", ("Bang", "Pang")),
    ("변", "변", ("Byun", "Byeon", "Pyŏn", "Pyon")),
    ("염", "렴", ("Yeom", "Yŏm", "Yum", "Ryeom", "Ryŏm")),
    ("여", "려", ("Yeo", "Yŏ", "Ryeo", "Ryŏ")),
    ("용", "룡", ("Yong", "Ryong")),
    ("육", "륙", ("Yuk", "Ryuk")),
    ("남궁", "남궁", ("Namgung", "Namkung")),
    ("황보", "황보", ("Hwangbo", "Hwangpo")),
    ("제갈", "제갈", ("Jegal", "Chegal")),
    ("선우", "선우", ("Seonu", "Sunwoo", "Sŏnu")),
    ("독고", "독고", ("Dokgo", "Tokko")),
    ("사공", "사공", ("Sagong",)),
    ("서문", "서문", ("Seomun", "Sŏmun")),
)

_COMPOUND = frozenset(south for south, _, _ in _TABLE if len(south) == 2)


def _build_index() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for south, north, spellings in _TABLE:
        for form in (south, north, *spellings):
            index.setdefault(fold(form), set()).add(south)
    return {key: frozenset(value) for key, value in index.items()}


_INDEX = _build_index()
_BY_SOUTH = {south: (south, north, spellings) for south, north, spellings in _TABLE}


def surname_groups(written: str) -> frozenset[str]:
    """The South Hangul forms a written family name may stand for (empty when unknown)."""
    return _INDEX.get(fold(written), frozenset())


def surname_variants(surname: str) -> set[str]:
    """Every form in the table of the family name(s) ``surname`` may be.

    ``surname_variants("Lee")`` holds 이, 리, Lee, Yi, Rhee, Ri, I, ...; an unknown name
    gives a set holding only itself (stripped), so callers can always union the result.
    """
    variants: set[str] = set()
    for south in surname_groups(surname):
        south_form, north_form, spellings = _BY_SOUTH[south]
        variants.update((south_form, north_form, *spellings))
    return variants or {surname.strip()}


def split_hangul_name(name: str) -> list[tuple[str, str]]:
    """The (family name, given name) readings of a Hangul name written without spaces.

    Korean writes the family name first. Four syllables or more after a two-syllable family
    name read as that name (남궁민수); three syllables after one (선우진) can be either
    선우 + 진 or 선 + 우진, and both readings are returned, the compound first.
    """
    if len(name) <= 1:
        return [(name, "")]
    if name[:2] in _COMPOUND:
        if len(name) >= 4:
            return [(name[:2], name[2:])]
        if len(name) == 3:
            return [(name[:2], name[2:]), (name[:1], name[1:])]
    return [(name[:1], name[1:])]


__all__ = ["split_hangul_name", "surname_groups", "surname_variants"]
