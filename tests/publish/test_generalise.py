"""Generalisation rules (refuge.publish.generalise): nothing comes out more precise than the
rules allow, and nothing more precise than it went in."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from publishkit import CHINA, JILIN

from refuge.errors import DomainValidationError, PublicationError
from refuge.gazetteer import default_gazetteer
from refuge.publish.generalise import (
    DEFAULT_RULES,
    PLACE_FLOORS,
    GeneralisationRules,
    coarsen_date,
    coarsen_place,
    generalise_count,
    generalise_figure,
    generalise_range,
    public_facility,
    rules_for,
)
from refuge.publish.records import PublishedCount, PublishedPlace

PUBLIC = rules_for("public")
PARTNERS = rules_for("partners")
PUBLIC_SENSITIVE = rules_for("public", minors_involved=True)
_DATE_RANK = {"day": 0, "month": 1, "year": 2}


def _gazetteer_place(place_id: str, **changes: object) -> PublishedPlace:
    """A gazetteer place in the shape of an internal Place row."""
    p = default_gazetteer().get(place_id)
    values: dict[str, object] = {
        "name": p.name,
        "name_ko": p.name_ko or "",
        "gazetteer_id": p.id,
        "country": p.country,
        "admin1": p.admin1 or "",
        "precision": p.precision,
        "lat": p.lat,
        "lon": p.lon,
    }
    values.update(changes)
    return PublishedPlace(**values)  # type: ignore[arg-type]


# --- defaults ------------------------------------------------------------------------------


@pytest.mark.parametrize("sensitive", [False, True])
def test_the_public_is_never_shown_more_than_partners(sensitive: bool) -> None:
    public, partners = DEFAULT_RULES[("public", sensitive)], DEFAULT_RULES[("partners", sensitive)]
    assert _DATE_RANK[public.date_precision] >= _DATE_RANK[partners.date_precision]
    assert PLACE_FLOORS.index(public.place_precision) >= PLACE_FLOORS.index(
        partners.place_precision
    )
    assert public.small_count >= partners.small_count
    assert public.range_width >= partners.range_width
    assert partners.show_facility or not public.show_facility
    assert public != partners


@pytest.mark.parametrize("audience", ["public", "partners"])
def test_a_sensitive_record_is_coarser_than_an_ordinary_one(audience: str) -> None:
    plain = DEFAULT_RULES[(audience, False)]  # type: ignore[index]
    sensitive = DEFAULT_RULES[(audience, True)]  # type: ignore[index]
    assert _DATE_RANK[sensitive.date_precision] > _DATE_RANK[plain.date_precision]
    assert PLACE_FLOORS.index(sensitive.place_precision) > PLACE_FLOORS.index(plain.place_precision)
    assert sensitive.small_count > plain.small_count
    assert not sensitive.show_facility


def test_any_sensitivity_flag_or_minors_makes_a_record_sensitive() -> None:
    assert rules_for("public", flags=["family_requested_non_disclosure"]) == PUBLIC_SENSITIVE
    assert rules_for("partners", flags=["minors_involved"]) == DEFAULT_RULES[("partners", True)]
    assert rules_for("public", minors_involved=True) == PUBLIC_SENSITIVE
    assert rules_for("public", flags=[]) == PUBLIC


def test_an_unknown_flag_or_audience_is_refused() -> None:
    with pytest.raises(PublicationError, match=r"R150.*sensitivity flag"):
        rules_for("public", flags=["famous"])
    with pytest.raises(PublicationError, match=r"R150.*audience"):
        rules_for("everyone")  # type: ignore[arg-type]


def test_rules_refuse_values_outside_their_vocabulary() -> None:
    with pytest.raises(PublicationError, match=r"R150.*date precision"):
        GeneralisationRules(date_precision="week")  # type: ignore[arg-type]
    with pytest.raises(PublicationError, match=r"R150.*place floor"):
        GeneralisationRules(place_precision="facility")  # type: ignore[arg-type]
    with pytest.raises(PublicationError, match=r"R150.*at least 1"):
        GeneralisationRules(small_count=0)


def test_a_range_width_that_would_give_a_count_away_is_refused() -> None:
    # 1–3 and 4–6 next to exact 5s and 6s would reveal every 4.
    with pytest.raises(PublicationError, match=r"R150.*must divide"):
        GeneralisationRules(small_count=5, range_width=3)
    assert GeneralisationRules(small_count=5, range_width=2).range_width == 2


# --- dates ---------------------------------------------------------------------------------


def test_a_day_becomes_its_month_for_the_public() -> None:
    assert coarsen_date(date(2024, 4, 17), None, "day", PUBLIC) == (
        date(2024, 4, 1),
        date(2024, 4, 30),
        "month",
    )


def test_a_day_stays_a_day_for_partners() -> None:
    assert coarsen_date(date(2024, 4, 17), date(2024, 4, 17), "day", PARTNERS) == (
        date(2024, 4, 17),
        date(2024, 4, 17),
        "day",
    )


def test_a_year_is_never_made_a_month() -> None:
    assert coarsen_date(date(2017, 1, 1), date(2017, 12, 31), "year", PARTNERS) == (
        date(2017, 1, 1),
        date(2017, 12, 31),
        "year",
    )


def test_a_sensitive_record_is_dated_to_the_year_for_the_public() -> None:
    assert coarsen_date(date(2024, 2, 29), date(2024, 3, 2), "day", PUBLIC_SENSITIVE) == (
        date(2024, 1, 1),
        date(2024, 12, 31),
        "year",
    )


def test_a_period_across_months_keeps_both_ends() -> None:
    start, end, precision = coarsen_date(date(2023, 12, 20), date(2024, 2, 3), "day", PUBLIC)
    assert (start, end, precision) == (date(2023, 12, 1), date(2024, 2, 29), "month")


def test_no_date_stays_no_date_and_an_unrecorded_precision_counts_as_a_year() -> None:
    assert coarsen_date(None, None, "day", PUBLIC) == (None, None, "")
    assert coarsen_date(date(2020, 6, 5), None, "", PARTNERS) == (
        date(2020, 1, 1),
        date(2020, 12, 31),
        "year",
    )
    assert coarsen_date(None, date(2020, 6, 5), "day", PARTNERS).start == date(2020, 6, 5)


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(PublicationError, match="R150"):
        coarsen_date(date(2024, 5, 1), date(2024, 4, 1), "day", PUBLIC)
    with pytest.raises(PublicationError, match=r"R150.*precision"):
        coarsen_date(date(2024, 5, 1), None, "week", PUBLIC)


@settings(max_examples=300, deadline=None)
@given(
    st.dates(),
    st.integers(0, 800),
    st.sampled_from(["day", "month", "year", ""]),
    st.sampled_from(list(DEFAULT_RULES.values())),
)
def test_a_coarsened_period_covers_the_original_at_no_finer_precision(
    start: date, days: int, precision: str, rules: GeneralisationRules
) -> None:
    end = date.fromordinal(min(start.toordinal() + days, date.max.toordinal()))
    out = coarsen_date(start, end, precision, rules)
    assert out.start is not None and out.end is not None
    assert out.start <= start and end <= out.end
    assert _DATE_RANK[out.precision] >= _DATE_RANK[rules.date_precision]
    assert _DATE_RANK[out.precision] >= _DATE_RANK[precision or "year"]


# --- places --------------------------------------------------------------------------------


def test_a_facility_is_published_as_its_province_without_coordinates() -> None:
    facility = _gazetteer_place(
        "cn-jl-tumen-border-detention-centre", lat=42.96, lon=129.84
    )  # coordinates as an editor might have added them
    out = coarsen_place(facility, PUBLIC)
    assert out is not None
    assert (out.gazetteer_id, out.name, out.precision, out.admin1) == (
        "cn-jl",
        "Jilin",
        "admin1",
        "Jilin",
    )
    assert (out.lat, out.lon) == (None, None)


def test_partners_see_a_facility_as_its_city_with_the_city_point() -> None:
    facility = _gazetteer_place("cn-jl-tumen-border-detention-centre", lat=42.96, lon=129.84)
    out = coarsen_place(facility, PARTNERS)
    city = default_gazetteer().get("cn-jl-tumen")
    assert out is not None and out.gazetteer_id == "cn-jl-tumen" and out.precision == "city"
    assert (out.lat, out.lon) == (city.lat, city.lon) != (42.96, 129.84)


def test_a_city_is_published_as_the_country_for_a_sensitive_public_record() -> None:
    out = coarsen_place(_gazetteer_place("cn-jl-tumen"), PUBLIC_SENSITIVE)
    assert out is not None and (out.gazetteer_id, out.precision, out.admin1) == (
        "cn",
        "country",
        "",
    )


def test_a_place_already_coarser_than_the_floor_stays_as_it_is() -> None:
    assert coarsen_place(CHINA, PARTNERS) == CHINA
    assert coarsen_place(JILIN, PARTNERS) == JILIN
    dongbei = _gazetteer_place("cn-dongbei")
    assert coarsen_place(dongbei, PUBLIC) == dongbei


def test_a_prefecture_inside_a_province_becomes_the_province() -> None:
    out = coarsen_place(_gazetteer_place("cn-jl-yanbian"), PUBLIC)
    assert out is not None and out.gazetteer_id == "cn-jl"


def test_an_event_placed_less_precisely_than_its_place_uses_the_event_precision() -> None:
    out = coarsen_place(_gazetteer_place("cn-jl-tumen"), PARTNERS, precision="admin1")
    assert out is not None and out.gazetteer_id == "cn-jl"


def test_a_place_unknown_to_the_gazetteer_falls_back_to_its_own_province_or_country() -> None:
    unknown = PublishedPlace("Somewhere camp", "", "x-1", "CN", "Jilin", "facility", 1.0, 2.0)
    out = coarsen_place(unknown, PUBLIC)
    assert out is not None and (out.name, out.gazetteer_id, out.lat) == ("Jilin", "cn-jl", None)
    off_map = PublishedPlace("Camp", "", "", "ZZ", "Nowhere", "facility", 1.0, 2.0)
    assert coarsen_place(off_map, PUBLIC) == PublishedPlace(
        "Nowhere", "", "", "ZZ", "Nowhere", "admin1", None, None
    )
    assert coarsen_place(off_map, PUBLIC_SENSITIVE) == PublishedPlace(
        "ZZ", "", "", "ZZ", "", "country", None, None
    )
    nothing = PublishedPlace("Camp", "", "", "", "", "facility", 1.0, 2.0)
    assert coarsen_place(nothing, PUBLIC) is None
    assert coarsen_place(None, PUBLIC) is None


def test_an_unrecorded_place_precision_is_coarsened_to_the_floor() -> None:
    vague = PublishedPlace("Tumen", "", "", "CN", "Jilin", "", 42.9, 129.8)
    out = coarsen_place(vague, PARTNERS)
    assert out is not None and out.precision == "admin1" and out.lat is None
    with pytest.raises(PublicationError, match="R150"):
        coarsen_place(PublishedPlace("X", "", "", "CN", "", "street", None, None), PUBLIC)


@pytest.mark.parametrize("rules", list(DEFAULT_RULES.values()))
def test_no_gazetteer_place_is_published_finer_than_the_floor_or_at_a_facility_point(
    rules: GeneralisationRules,
) -> None:
    floor = PLACE_FLOORS.index(rules.place_precision)
    rank = {"city": 0, "county": 1, "region": 1, "admin1": 2, "country": 3}
    for place in default_gazetteer():
        source = _gazetteer_place(place.id)
        out = coarsen_place(source, rules)
        assert out is not None
        assert out.precision != "facility"
        if out.precision != "region":
            assert rank[out.precision] >= floor, (place.id, out)
        if place.precision == "facility":
            assert out.gazetteer_id != place.id


# --- counts --------------------------------------------------------------------------------


def test_small_counts_become_ranges_and_larger_ones_stay_exact() -> None:
    assert generalise_count(0, PUBLIC) == PublishedCount.of(0)
    assert generalise_count(1, PUBLIC).label() == "1\u20134"
    assert generalise_count(4, PUBLIC).label() == "1\u20134"
    assert generalise_count(5, PUBLIC) == PublishedCount.of(5)
    assert generalise_count(2, PARTNERS).label() == "1\u20132"
    assert generalise_count(3, PARTNERS) == PublishedCount.of(3)
    assert generalise_count(7, PUBLIC_SENSITIVE).label() == "1\u20139"
    assert generalise_count(None, PUBLIC) == PublishedCount.unknown()


def test_a_range_widens_at_its_small_end_only() -> None:
    assert generalise_range(3, 8, PUBLIC) == PublishedCount(1, 8)
    assert generalise_range(0, 3, PUBLIC) == PublishedCount(0, 4)
    assert generalise_range(2, None, PUBLIC) == PublishedCount(1, None)
    with pytest.raises(PublicationError, match="R150"):
        generalise_range(5, 3, PUBLIC)
    with pytest.raises(PublicationError, match="R150"):
        generalise_range(-1, 3, PUBLIC)


def test_a_recorded_figure_keeps_its_qualifier() -> None:
    assert generalise_figure(None, 600, None, "approx", PUBLIC).label() == "~600"
    assert generalise_figure(50, None, 60, "approx", PUBLIC) == PublishedCount(50, 60, approx=True)
    assert generalise_figure(None, 3, None, "approx", PUBLIC).label() == "~1\u20134"
    assert generalise_figure(500, None, None, "at_least", PUBLIC).label() == "500+"
    assert generalise_figure(None, 70, None, "at_most", PUBLIC).label() == "\u226470"
    assert generalise_figure(50, None, 60, "range", PUBLIC).label() == "50\u201360"
    assert generalise_figure(70, 70, 70, "exact", PUBLIC).label() == "70"
    assert generalise_figure(None, 2, None, "exact", PUBLIC).label() == "1\u20134"
    assert generalise_figure(None, None, None, "", PUBLIC) == PublishedCount.unknown()
    with pytest.raises(DomainValidationError, match="R056"):
        generalise_figure(60, 50, None, "range", PUBLIC)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(list(DEFAULT_RULES.values())))
def test_a_generalised_count_contains_the_count_and_no_range_reaches_an_exact_value(
    n: int, rules: GeneralisationRules
) -> None:
    out = generalise_count(n, rules)
    assert out.low is not None and out.high is not None
    assert out.low <= n <= out.high
    if not out.exact:
        assert out.low >= 1 and out.high <= rules.small_count - 1
        assert out.high - out.low + 1 == rules.range_width
    else:
        assert n == 0 or n >= rules.small_count


def test_facilities_are_named_only_where_the_rules_allow() -> None:
    assert public_facility("Tumen border detention centre", PUBLIC) == (
        "Tumen border detention centre"
    )
    assert public_facility("Tumen border detention centre", PUBLIC_SENSITIVE) == ""
