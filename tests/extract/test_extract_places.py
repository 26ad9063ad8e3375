"""Places with roles, locators, ambiguity and facilities (fake gazetteer)."""

from __future__ import annotations

from fake_gazetteer import run


def places(text: str) -> list[tuple[str, str, str]]:
    (incident,) = run(text).incidents
    return [(p.name, p.role, p.kind) for p in incident.places]


def test_roles_come_from_the_trigger_before_the_place() -> None:
    found = places("Ten North Koreans were arrested in Shenyang and held in Dandong.")
    assert found == [("Shenyang", "arrest", "city"), ("Dandong", "detention", "city")]


def test_a_kind_word_after_a_list_resolves_an_ambiguous_name() -> None:
    found = places("Ten North Koreans were arrested in Yunnan, Liaoning and Jilin provinces.")
    assert ("Jilin", "arrest", "province") in found


def test_a_locator_is_not_a_place_of_its_own() -> None:
    found = places("Ten North Koreans were detained in Tumen in Jilin Province, China.")
    assert found == [("Tumen", "detention", "city")]


def test_a_facility_names_its_place() -> None:
    (incident,) = run(
        "Ten North Koreans were held at the border detention center in Tumen."
    ).incidents
    assert incident.facilities[0].name == "border detention center in Tumen"
    assert incident.facilities[0].place == "Tumen"
    (incident,) = run(
        "Ten North Koreans were held in a Public Security Bureau detention facility in May."
    ).incidents
    assert incident.facilities[0].name == "Public Security Bureau detention facility"


def test_a_province_has_no_point_and_a_city_has_rounded_coordinates() -> None:
    (incident,) = run(
        "Ten North Koreans were arrested in Yunnan province and held in Tumen."
    ).incidents
    by_name = {p.name: p for p in incident.places}
    assert (by_name["Yunnan"].lat, by_name["Yunnan"].precision) == (None, "admin1")
    assert (by_name["Tumen"].lat, by_name["Tumen"].lon) == (42.97, 129.84)
