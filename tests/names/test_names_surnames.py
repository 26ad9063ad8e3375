"""Family names: the variant table, the North's initial ㄹ, and the shared reference list."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from refuge.names import split_hangul_name, surname_variants
from refuge.names.folding import fold
from refuge.names.surnames import surname_groups

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "names"
REFERENCE = SHARED / "korean_surname_variants.csv"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Lee", {"이", "리", "Yi", "Rhee", "Ri", "I"}),
        ("리", {"이", "Lee"}),
        ("Kim", {"김", "Gim"}),
        ("Park", {"박", "Pak", "Bak"}),
        ("Choe", {"최", "Choi"}),
        ("Jung", {"정", "Jeong", "Chung"}),
        ("류", {"유", "Ryu", "Yoo", "Yu"}),
        ("Roh", {"노", "로", "Noh", "No"}),
        ("림", {"임", "Lim", "Im", "Rim"}),
        ("Suh", {"서", "Seo"}),
        ("Sohn", {"손", "Son"}),
        ("Huh", {"허", "Heo"}),
        ("Paek", {"백", "Baek"}),
    ],
)
def test_variants_cover_the_common_spellings(written: str, expected: set[str]) -> None:
    assert expected <= surname_variants(written)


def test_lookups_ignore_case_spaces_and_diacritics() -> None:
    assert surname_groups("  KIM ") == {"김"}
    assert surname_groups("Chŏng") == {"정"}
    assert surname_groups("Ch'oe") == {"최"}


def test_an_unknown_family_name_is_its_own_only_variant() -> None:
    assert surname_variants(" Xyzzy ") == {"Xyzzy"}


def test_a_spelling_shared_by_two_names_gives_both() -> None:
    assert surname_groups("Chun") == {"전", "천"}


def test_hangul_names_split_after_the_family_name() -> None:
    assert split_hangul_name("김정은") == [("김", "정은")]
    assert split_hangul_name("남궁민수") == [("남궁", "민수")]
    assert split_hangul_name("선우진") == [("선우", "진"), ("선", "우진")]
    assert split_hangul_name("김") == [("김", "")]


@pytest.mark.skipif(not REFERENCE.exists(), reason="../shared reference data absent")
def test_the_table_agrees_with_the_shared_reference_list() -> None:
    with REFERENCE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for row in rows:
        south, north = row["hangul_south"], row["hangul_north"]
        variants = {fold(v) for v in surname_variants(south)}
        assert north in surname_variants(south), south
        spellings = [row["passport_most_common"], row["RR_ko_pron"], row["MR_ko_pron"]]
        spellings += row["passport_other_spellings"].split(";")
        spellings += [row["MR_ko_pron_north_form"]]
        for spelling in filter(None, (s.strip() for s in spellings)):
            assert fold(spelling) in variants, (south, spelling)


def test_our_own_romanizations_of_every_family_name_are_in_the_table() -> None:
    # Hangul names are keyed through the table, romanized ones through their spelling; the
    # two meet only if every RR and MR form of each Hangul form is a listed spelling.
    from refuge.names import romanize_mr, romanize_rr
    from refuge.names.surnames import _TABLE

    for south, north, spellings in _TABLE:
        listed = {fold(spelling) for spelling in spellings}
        for hangul in (south, north):
            assert romanize_rr(hangul, assimilate=False) in listed, hangul
            assert fold(romanize_mr(hangul, assimilate=False)) in listed, hangul
