from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from refuge.errors import GazetteerError
from refuge.gazetteer import Gazetteer, Place, default_gazetteer, load_gazetteer

Row = dict[str, str]


@pytest.fixture
def gazetteer(write_csv: Callable[..., Path], country: Row, province: Row, city: Row) -> Gazetteer:
    """A small world written for these tests, so that edits to the shipped places.csv can
    neither make them pass nor fail (test_gazetteer_places covers the data): Jilin is a
    province and a city, and two cities are called Yushu."""
    point = {"name_ko": "", "variants": ""}
    jilin_city = {
        **city,
        **point,
        "id": "cn-jl-jilin",
        "name": "Jilin",
        "name_ko": "지린시",
        "name_zh": "吉林市",
        "variants": "Jilin City",
        "lat": "43.84",
        "lon": "126.55",
    }
    qinghai = {
        **province,
        "id": "cn-qh",
        "name": "Qinghai",
        "name_zh": "青海省",
        "admin1": "Qinghai",
    }
    yushu_jilin = {
        **city,
        **point,
        "id": "cn-jl-yushu",
        "name": "Yushu",
        "name_zh": "榆树市",
        "lat": "44.83",
        "lon": "126.56",
    }
    yushu_qinghai = {
        **city,
        **point,
        "id": "cn-qh-yushu",
        "name": "Yushu",
        "name_zh": "玉树市",
        "admin1": "Qinghai",
        "parent": "cn-qh",
        "lat": "33.0",
        "lon": "97.0",
    }
    return load_gazetteer(
        write_csv(country, province, qinghai, city, jilin_city, yushu_jilin, yushu_qinghai)
    )


def ids(places: list[Place]) -> list[str]:
    return [p.id for p in places]


@pytest.mark.parametrize("name", ["Tumen", "TUMEN", "투먼", "도문", "图们市", "图们", "Tumen City"])
def test_it_finds_a_place_by_any_of_its_names(gazetteer: Gazetteer, name: str) -> None:
    assert ids(gazetteer.lookup(name)) == ["cn-jl-tumen"]


def test_it_finds_a_place_by_its_korean_name(gazetteer: Gazetteer) -> None:
    assert gazetteer.resolve("투먼").id == "cn-jl-tumen"


def test_it_finds_a_place_by_its_chinese_name_with_or_without_suffix(gazetteer: Gazetteer) -> None:
    assert gazetteer.resolve("图们市").id == "cn-jl-tumen"
    assert gazetteer.resolve("图们").id == "cn-jl-tumen"


def test_it_returns_nothing_for_an_unknown_name(gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup("Atlantis") == []
    assert gazetteer.lookup("") == []
    assert gazetteer.lookup("  - ") == []


def test_it_reports_an_ambiguous_name_with_every_candidate(gazetteer: Gazetteer) -> None:
    assert ids(gazetteer.lookup("Jilin")) == ["cn-jl", "cn-jl-jilin"]
    assert ids(gazetteer.lookup("Yushu")) == ["cn-jl-yushu", "cn-qh-yushu"]
    # Without a suffix the short Chinese form fits the province and the city alike.
    assert ids(gazetteer.lookup("吉林")) == ["cn-jl", "cn-jl-jilin"]


def test_it_refuses_to_resolve_an_ambiguous_name_and_lists_the_candidates(
    gazetteer: Gazetteer,
) -> None:
    with pytest.raises(GazetteerError) as caught:
        gazetteer.resolve("Yushu")
    assert caught.value.code == "R022"
    assert "cn-jl-yushu" in caught.value.message
    assert "cn-qh-yushu" in caught.value.message


def test_it_resolves_an_ambiguous_name_once_kind_or_admin_context_decides(
    gazetteer: Gazetteer,
) -> None:
    assert gazetteer.resolve("Jilin", kind="province").id == "cn-jl"
    assert gazetteer.resolve("Jilin", kind="city").id == "cn-jl-jilin"


def test_it_lets_a_written_suffix_choose_between_namesakes(gazetteer: Gazetteer) -> None:
    assert ids(gazetteer.lookup("Jilin Province")) == ["cn-jl"]
    assert ids(gazetteer.lookup("Jilin City")) == ["cn-jl-jilin"]
    assert ids(gazetteer.lookup("吉林省")) == ["cn-jl"]
    assert ids(gazetteer.lookup("吉林市")) == ["cn-jl-jilin"]


def test_it_keeps_a_place_whose_kind_differs_from_the_written_suffix(gazetteer: Gazetteer) -> None:
    # "Tumen County" is a wrong suffix for a city, not a different place: still Tumen.
    assert ids(gazetteer.lookup("Tumen County")) == ["cn-jl-tumen"]


def test_it_raises_r021_for_an_unknown_name(gazetteer: Gazetteer) -> None:
    with pytest.raises(GazetteerError) as caught:
        gazetteer.resolve("Atlantis")
    assert caught.value.code == "R021"


def test_it_names_the_other_candidates_when_a_filter_excludes_them(gazetteer: Gazetteer) -> None:
    with pytest.raises(GazetteerError) as caught:
        gazetteer.resolve("Tumen", country="KP")
    assert caught.value.code == "R021"
    assert "cn-jl-tumen" in caught.value.message


def test_it_filters_by_country_case_insensitively(gazetteer: Gazetteer) -> None:
    assert gazetteer.resolve("Tumen", country="cn").id == "cn-jl-tumen"


@pytest.mark.parametrize(("country_code", "kind"), [("XX", None), ("China", None), (None, "town")])
def test_it_rejects_filters_outside_the_vocabularies(
    gazetteer: Gazetteer, country_code: str | None, kind: str | None
) -> None:
    with pytest.raises(GazetteerError) as caught:
        gazetteer.resolve("Tumen", country=country_code, kind=kind)
    assert caught.value.code == "R025"


def test_it_gets_a_place_by_id(gazetteer: Gazetteer) -> None:
    place = gazetteer.get("cn-jl-tumen")
    assert (place.name, place.admin1, place.lat, place.lon) == ("Tumen", "Jilin", 42.968, 129.844)
    assert place.variants == ("도문", "Tumen City")


def test_it_raises_r021_for_an_unknown_id(gazetteer: Gazetteer) -> None:
    with pytest.raises(GazetteerError) as caught:
        gazetteer.get("cn-xx-nowhere")
    assert caught.value.code == "R021"


def test_it_iterates_over_places_in_file_order(gazetteer: Gazetteer) -> None:
    assert len(gazetteer) == 7
    assert [p.id for p in gazetteer][:3] == ["cn", "cn-jl", "cn-qh"]
    assert "cn-jl-tumen" in gazetteer


def test_it_lists_every_surface_form_with_its_place(gazetteer: Gazetteer) -> None:
    forms = set(gazetteer.surface_forms())
    for form in ["Tumen", "투먼", "图们市", "도문", "Tumen City", "图们"]:
        assert (form, "cn-jl-tumen") in forms
    # An ambiguous form is listed once per place, so the matcher sees the ambiguity.
    assert ("吉林", "cn-jl") in forms
    assert ("吉林", "cn-jl-jilin") in forms


def test_it_lists_each_surface_form_of_a_place_once(gazetteer: Gazetteer) -> None:
    forms = list(gazetteer.surface_forms())
    assert len(forms) == len(set(forms))


def test_places_are_frozen(gazetteer: Gazetteer) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        gazetteer.get("cn").name = "Elsewhere"  # type: ignore[misc]


def test_a_gazetteer_refuses_two_places_with_one_id(gazetteer: Gazetteer) -> None:
    tumen = gazetteer.get("cn-jl-tumen")
    with pytest.raises(GazetteerError) as caught:
        Gazetteer([tumen, tumen])
    assert caught.value.code == "R023"


def test_the_default_gazetteer_is_loaded_once() -> None:
    assert default_gazetteer() is default_gazetteer()
