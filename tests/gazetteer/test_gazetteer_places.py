"""Data quality of the shipped places.csv (src/refuge/gazetteer/places.csv)."""

from __future__ import annotations

import csv
import math
from importlib import resources

import pytest

from refuge.gazetteer import Gazetteer, Place, default_gazetteer, normalise_name
from refuge.gazetteer.model import AREA_PRECISIONS, KINDS, PRECISIONS, PRECISIONS_BY_KIND


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return default_gazetteer()


# Rough boxes (lat_min, lat_max, lon_min, lon_max) around each country the file uses; a
# point outside its country's box has swapped, mistyped or borrowed coordinates.
COUNTRY_BOXES = {
    "CN": (18.0, 53.6, 73.5, 134.8),
    "KP": (37.6, 43.1, 124.1, 130.7),
    "KR": (33.1, 38.7, 124.5, 131.0),
    "LA": (13.9, 22.5, 100.0, 107.7),
    "VN": (8.5, 23.4, 102.1, 109.5),
    "TH": (5.6, 20.5, 97.3, 105.7),
    "MN": (41.5, 52.2, 87.7, 119.9),
    "RU": (41.1, 82.0, 19.6, 180.0),
    "KH": (10.0, 14.7, 102.3, 107.7),
    "MM": (9.5, 28.6, 92.1, 101.2),
}

# Towns that face each other across a border river or at a crossing: each pair lies within
# a few kilometres, so a wrong coordinate on either side shows (the seed put Sinuiju
# 20 km east of Dandong).
FACING_TOWNS = [
    ("kp-np-sinuiju", "cn-ln-dandong"),
    ("kp-nh-namyang", "cn-jl-tumen"),
    ("kp-rg-hyesan", "cn-jl-changbai"),
    ("kp-cg-manpo", "cn-jl-jian"),
    ("vn-qn-mongcai", "cn-gx-dongxing"),
    ("la-bk-houayxay", "th-cr-chiangkhong"),
    ("mm-shan-tachileik", "th-cr-maesai"),
    ("mn-dg-zamynuud", "cn-nm-erenhot"),
]


def km_between(a: Place, b: Place) -> float:
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def test_the_shipped_file_loads_and_holds_the_seed_and_more(gazetteer: Gazetteer) -> None:
    assert len(gazetteer) >= 150


def test_ids_are_unique_in_the_file() -> None:
    text = resources.files("refuge.gazetteer").joinpath("places.csv").read_text("utf-8")
    ids = [row["id"] for row in csv.DictReader(text.splitlines())]
    assert len(ids) == len(set(ids))


def test_every_kind_and_precision_is_in_the_contract_vocabulary(gazetteer: Gazetteer) -> None:
    for place in gazetteer:
        assert place.kind in KINDS, place.id
        assert place.precision in PRECISIONS, place.id
        assert place.precision in PRECISIONS_BY_KIND[place.kind], place.id


def test_no_area_has_coordinates(gazetteer: Gazetteer) -> None:
    areas = [p for p in gazetteer if p.precision in AREA_PRECISIONS]
    assert any(p.kind == "province" for p in areas)
    for place in areas:
        assert place.lat is None and place.lon is None, place.id


def test_every_point_lies_in_its_countrys_box(gazetteer: Gazetteer) -> None:
    points = [p for p in gazetteer if p.is_point]
    assert len(points) >= 60
    for place in points:
        assert place.lat is not None and place.lon is not None
        lat_min, lat_max, lon_min, lon_max = COUNTRY_BOXES[place.country]
        assert lat_min <= place.lat <= lat_max, place.id
        assert lon_min <= place.lon <= lon_max, place.id


@pytest.mark.parametrize(("one", "other"), FACING_TOWNS)
def test_towns_facing_each_other_across_a_border_are_close(
    gazetteer: Gazetteer, one: str, other: str
) -> None:
    a, b = gazetteer.get(one), gazetteer.get(other)
    assert a.country != b.country
    assert km_between(a, b) < 15.0


def test_every_point_lies_near_its_parent_point(gazetteer: Gazetteer) -> None:
    for place in gazetteer:
        parent = gazetteer.get(place.parent_id) if place.parent_id else None
        if place.is_point and parent is not None and parent.is_point:
            assert km_between(place, parent) < 60.0, place.id


def test_every_parent_exists_and_every_place_reaches_a_country(gazetteer: Gazetteer) -> None:
    for place in gazetteer:
        top = place
        while top.parent_id is not None:
            top = gazetteer.get(top.parent_id)
        assert top.kind == "country", place.id
        assert top.country == place.country, place.id


def test_admin1_is_the_name_of_the_province_a_place_lies_in(gazetteer: Gazetteer) -> None:
    for place in gazetteer:
        ancestor = place
        while ancestor.kind != "province" and ancestor.parent_id is not None:
            ancestor = gazetteer.get(ancestor.parent_id)
        if ancestor.kind == "province":
            assert place.admin1 == ancestor.name, place.id


def test_every_row_names_its_source(gazetteer: Gazetteer) -> None:
    for place in gazetteer:
        assert len(place.source) > 10, place.id


def test_every_listed_country_is_present(gazetteer: Gazetteer) -> None:
    countries = {p.country for p in gazetteer if p.kind == "country"}
    assert countries == {"CN", "KP", "KR", "LA", "VN", "TH", "MN", "RU", "KH", "MM"}


def test_the_prc_provincial_divisions_are_all_there(gazetteer: Gazetteer) -> None:
    provinces = [p for p in gazetteer if p.country == "CN" and p.kind == "province"]
    assert len(provinces) == 31  # 22 provinces, 5 autonomous regions, 4 municipalities


@pytest.mark.parametrize(
    "province",
    [
        "North Hamgyong",
        "South Hamgyong",
        "Ryanggang",
        "Chagang",
        "North Pyongan",
        "South Pyongan",
        "North Hwanghae",
        "South Hwanghae",
        "Kangwon",
        "Pyongyang",
        "Rason",
    ],
)
def test_the_dprk_provinces_resolve(gazetteer: Gazetteer, province: str) -> None:
    assert gazetteer.resolve(province, country="KP", kind="province").admin1 == province


# (name as reports write it, country, kind to disambiguate, expected id)
ISSUE_NAMES = [
    ("Tumen", None, None, "cn-jl-tumen"),
    ("Yanji", None, None, "cn-jl-yanji"),
    ("Hunchun", None, None, "cn-jl-hunchun"),
    ("Longjing", None, None, "cn-jl-longjing"),
    ("Helong", None, None, "cn-jl-helong"),
    ("Changbai", None, None, "cn-jl-changbai"),
    ("Linjiang", None, None, "cn-jl-linjiang"),
    ("Ji'an", None, None, "cn-jl-jian"),
    ("Jian", None, None, "cn-jl-jian"),
    ("Dandong", None, None, "cn-ln-dandong"),
    ("Tantung", None, None, "cn-ln-dandong"),
    ("Shenyang", None, None, "cn-ln-shenyang"),
    ("Onsong", None, None, "kp-nh-onsong"),
    ("Hoeryong", None, None, "kp-nh-hoeryong"),
    ("Hoeryŏng", None, None, "kp-nh-hoeryong"),
    ("Hoeryeong", None, None, "kp-nh-hoeryong"),
    ("Musan", None, None, "kp-nh-musan"),
    ("Hyesan", None, None, "kp-rg-hyesan"),
    ("Sinuiju", None, None, "kp-np-sinuiju"),
    ("Sinŭiju", None, None, "kp-np-sinuiju"),
    ("Shinuiju", None, None, "kp-np-sinuiju"),
    ("Namyang", None, None, "kp-nh-namyang"),
    ("Manpo", None, None, "kp-cg-manpo"),
    ("Kimchaek", None, None, "kp-nh-kimchaek"),
    ("Chongjin", None, None, "kp-nh-chongjin"),
    ("Tumen City", None, None, "cn-jl-tumen"),
    ("Yanbian", None, None, "cn-jl-yanbian"),
    ("Jilin", None, "province", "cn-jl"),
    ("Liaoning", None, None, "cn-ln"),
    ("Heilongjiang", None, None, "cn-hl"),
    ("Hebei", None, None, "cn-he"),
    ("Shandong", None, None, "cn-sd"),
    ("Beijing", None, "province", "cn-bj"),
    ("Tianjin", None, "city", "cn-tj-tianjin"),
    ("Inner Mongolia", None, None, "cn-nm"),
    ("Yunnan", None, None, "cn-yn"),
    ("Yunnan Province", None, None, "cn-yn"),
    ("Guangxi", None, None, "cn-gx"),
    ("Guangdong", None, None, "cn-gd"),
    ("Shanghai", None, "province", "cn-sh"),
    ("Kunming", None, None, "cn-yn-kunming"),
    ("Nanning", None, None, "cn-gx-nanning"),
    ("Qingdao", None, None, "cn-sd-qingdao"),
    ("Oudomxay", None, "city", "la-ou-muangxay"),
    ("Oudomxay", None, "province", "la-ou"),
    ("Vientiane", None, None, "la-vt-vientiane"),
    ("Boten", None, None, "la-ln-boten"),
    ("Mong Cai", None, None, "vn-qn-mongcai"),
    ("Lang Son", None, "city", "vn-ls-langson"),
    ("Chiang Saen", None, None, "th-cr-chiangsaen"),
    ("Chiang Khong", None, None, "th-cr-chiangkhong"),
    ("Chiang Rai", None, "city", "th-cr-chiangrai"),
    ("Bangkok", None, None, "th-bangkok"),
    ("Ulaanbaatar", None, None, "mn-ulaanbaatar"),
    ("Vladivostok", None, None, "ru-pri-vladivostok"),
    ("Laos", None, None, "la"),
    ("Vietnam", None, None, "vn"),
    ("Thailand", None, None, "th"),
    ("Mongolia", None, None, "mn"),
    ("Russia", None, None, "ru"),
    ("North Korea", None, None, "kp"),
    ("Tumen border detention center", None, None, "cn-jl-tumen-border-detention-centre"),
    ("Dandong detention centre", None, None, "cn-ln-dandong-detention-centre"),
    ("Shenyang detention centre", None, None, "cn-ln-shenyang-detention-centre"),
    ("Baishan detention centre", None, None, "cn-jl-baishan-detention-centre"),
    ("Bangkok Immigration Detention Centre", None, None, "th-bangkok-idc"),
    ("Onsong MSS holding center", None, None, "kp-nh-onsong-mss-holding-centre"),
    ("Sinuiju MSS holding centre", None, None, "kp-np-sinuiju-mss-holding-centre"),
    ("투먼", None, None, "cn-jl-tumen"),
    ("도문", None, None, "cn-jl-tumen"),
    ("图们", None, None, "cn-jl-tumen"),
    ("图们市", None, None, "cn-jl-tumen"),
    ("선양", None, None, "cn-ln-shenyang"),
    ("심양", None, None, "cn-ln-shenyang"),
    ("신의주", None, None, "kp-np-sinuiju"),
    ("회령", None, None, "kp-nh-hoeryong"),
    ("延边", None, None, "cn-jl-yanbian"),
    ("长白", None, None, "cn-jl-changbai"),
    ("云南省", None, None, "cn-yn"),
    ("윈난성", None, None, "cn-yn"),
]


@pytest.mark.parametrize(("name", "country", "kind", "expected"), ISSUE_NAMES)
def test_every_name_the_issue_lists_resolves(
    gazetteer: Gazetteer, name: str, country: str | None, kind: str | None, expected: str
) -> None:
    assert gazetteer.resolve(name, country=country, kind=kind).id == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Jilin", {"cn-jl", "cn-jl-jilin"}),
        ("Yushu", {"cn-jl-yushu", "cn-qh-yushu"}),
        ("Pingxiang", {"cn-gx-pingxiang", "cn-jx-pingxiang"}),
        ("Nanping", {"cn-jl-nanping", "cn-fj-nanping"}),
        ("산시성", {"cn-sx", "cn-sn"}),
        ("강원도", {"kp-kw", "kr-gw"}),
    ],
)
def test_known_namesakes_are_reported_as_ambiguous(
    gazetteer: Gazetteer, name: str, expected: set[str]
) -> None:
    assert {p.id for p in gazetteer.lookup(name)} == expected


def test_the_seed_rows_that_the_gazetteer_corrected_stay_corrected(gazetteer: Gazetteer) -> None:
    # Province rows of the seed carried their capital's point; kinds outside the contract
    # ("prefecture", "town", "district", "crossing") were mapped.
    assert gazetteer.get("cn-jl").lat is None
    assert gazetteer.get("cn-jl-yanbian").kind == "region"
    assert gazetteer.get("kp-nh-namyang").kind == "city"
    assert gazetteer.get("cn-ln-shenhe").kind == "county"
    assert gazetteer.get("cn-ln-friendship-bridge").kind == "border_crossing"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Musan County", "kp-nh-musan"),
        ("Musan-gun", "kp-nh-musan"),
        ("무산군", "kp-nh-musan"),
        ("Hoeryong-si", "kp-nh-hoeryong"),
        ("혜산시", "kp-rg-hyesan"),
        ("Lang Son City", "vn-ls-langson"),
        ("Chiang Rai Province", "th-cr"),
        ("Liaoning Province", "cn-ln"),
        ("长白县", "cn-jl-changbai"),
        ("Oudomxay Province", "la-ou"),
    ],
)
def test_suffixed_forms_resolve_through_normalisation_not_listing(
    gazetteer: Gazetteer, written: str, expected: str
) -> None:
    place = gazetteer.resolve(written)
    assert place.id == expected
    assert normalise_name(written) not in {normalise_name(n) for n in place.names}
