"""Rules of extractor 0.5.0, each on sentences written for these tests: an event told only
as a definite noun of a counted group ("the forced return of some 600 North Koreans"), an
arrest placed by pointing back ("arrested them there"), the count of a scene-setting
sentence, a length of time that is not a rate, and children counted after the event."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fake_gazetteer import GAZETTEER, PUBLISHED, FakePlace, run

from refuge.extract import extract


def _incidents(text: str) -> list[dict[str, Any]]:
    return run(text).to_json()["incidents"]


def test_a_definite_return_of_a_counted_group_is_an_incident_that_happened() -> None:
    (inc,) = _incidents(
        "Rights groups condemned the forced repatriation of some 600 North Koreans "
        "from Jilin in October."
    )
    assert inc["event_types"] == ["repatriation"]
    assert inc["status"] == "repatriated"
    assert inc["victims"]["total"]["value"] == 600
    assert inc["when"]["start"] == "2016-10"


def test_a_possessive_day_makes_the_return_definite() -> None:
    (inc,) = _incidents("Tuesday's repatriation of 50 escapees went ahead despite appeals.")
    assert inc["event_types"] == ["repatriation"]
    assert inc["victims"]["total"]["value"] == 50


def test_a_return_not_yet_done_or_only_possible_is_not_a_fact() -> None:
    for text in (
        "Activists urged China to stop the repatriation of 50 escapees.",
        "The move could lead to the repatriation of 50 escapees.",
        "Officials discussed the planned repatriation of 50 escapees.",
    ):
        assert all("repatriation" not in inc["event_types"] for inc in _incidents(text)), text


def test_an_indefinite_or_uncounted_return_is_still_a_topic() -> None:
    assert _incidents("China has long defended the repatriation of North Koreans.") == []
    indefinite = _incidents("There may be a repatriation of 50 escapees, a rumour said.")
    assert all("repatriation" not in inc["event_types"] for inc in indefinite)


def test_a_return_of_a_counted_group_after_a_possessive_day_is_one_too() -> None:
    (inc,) = _incidents("Last Friday's return of about 60 North Koreans drew protests.")
    assert inc["event_types"] == ["repatriation"]
    assert inc["victims"]["total"]["value"] == 60


def test_the_return_of_something_uncounted_is_no_event() -> None:
    assert _incidents("Relatives demanded the return of the bodies from the river.") == []


def test_an_arrest_there_takes_place_in_the_town_named_before() -> None:
    (inc,) = _incidents(
        "Six North Koreans reached Tumen on July 1. Police arrested all six at the bus "
        "station there."
    )
    arrests = [p["name"] for p in inc["places"] if p["role"] == "arrest"]
    assert arrests == ["Tumen"]


def test_there_opening_a_clause_or_naming_an_origin_places_nothing() -> None:
    for text in (
        "Six North Koreans reached Tumen on July 1. There were police at the station, "
        "and they arrested all six.",
        "Six North Koreans reached Tumen on July 1. From there they took a bus and "
        "police arrested all six.",
    ):
        (inc,) = _incidents(text)
        assert [p for p in inc["places"] if p["role"] == "arrest"] == [], text


def test_the_count_of_a_scene_setting_sentence_is_the_arrested_groups() -> None:
    (inc,) = _incidents(
        "Six North Koreans had been hiding in a flat in Tumen for a month. Police "
        "arrested them there on July 3."
    )
    assert inc["victims"]["total"]["value"] == 6
    assert inc["when"]["start"] == "2017-07-03"


def test_a_number_a_month_is_still_a_rate_and_its_acts_no_incident() -> None:
    assert _incidents("Border guards in Tumen arrested 40 people a month last year.") == []


def test_the_acts_of_a_statistic_told_after_an_incident_are_not_its_own() -> None:
    (inc,) = _incidents(
        "Police in Tumen arrested two women on July 4. Since 2015 some 300 people have "
        "been returned, a report said."
    )
    assert inc["event_types"] == ["arrest"]


def test_children_counted_after_the_event_raise_the_flag_but_count_no_minors() -> None:
    text = (
        "Twelve North Koreans were sent back from Tumen on July 4. A witness said she "
        "saw at least three children."
    )
    out = run(text).to_json()
    (flag,) = [f for f in out["sensitivity_flags"] if f["flag"] == "minors_involved"]
    assert "three children" in text[flag["span"][0] : flag["span"][1]]


def _flags(text: str) -> set[str]:
    return {f["flag"] for f in run(text).to_json()["sensitivity_flags"]}


def test_children_named_with_their_ages_in_a_report_of_an_incident_raise_the_flag() -> None:
    text = (
        "Police in Tumen arrested two sisters on July 4. The younger had brought her "
        "children, a boy of five and a girl of three."
    )
    assert "minors_involved" in _flags(text)


def test_children_in_a_statistic_or_in_a_text_with_no_incident_raise_no_flag() -> None:
    assert "minors_involved" not in _flags(
        "Police in Tumen arrested two women on July 4. Since 2015 some 300 children "
        "have been returned, a report said."
    )
    assert "minors_involved" not in _flags("A girl of three was born in Tumen last year.")


def test_attention_that_could_harm_the_people_is_a_publicity_risk() -> None:
    text = (
        "Twelve North Koreans were sent back from Tumen on July 4. Relatives asked us not "
        "to print names, fearing that attention could harm them."
    )
    assert "publicity_risk" in _flags(text)


def test_a_possessive_weekday_dates_the_event_like_on_that_day() -> None:
    # Published Wednesday 2017-07-26: "Tuesday's" is the day before.
    (inc,) = _incidents("Tuesday's repatriation of 50 escapees from Tumen went ahead.")
    assert inc["when"]["start"] == "2017-07-25"


def test_two_days_later_counts_from_the_scene_setting_sentences_date() -> None:
    (inc,) = _incidents(
        "Six North Koreans reached Tumen on July 1. Two days later police arrested all "
        "six at the bus station there."
    )
    assert (inc["when"]["start"], inc["when"]["end"]) == ("2017-07-03", "2017-07-03")


def test_an_estimated_stock_of_people_held_is_no_incident() -> None:
    assert _incidents("An estimated 2,000 North Koreans are still held in China.") == []


def test_an_estimated_count_of_a_dated_return_is_still_an_incident() -> None:
    (inc,) = _incidents(
        "China sent back an estimated 1,000 North Koreans held in Liaoning in 2015."
    )
    assert inc["victims"]["total"]["value"] == 1000
    # A present verb in a clause about them is no stock ("who work ... were sent back").
    (inc,) = _incidents(
        "An estimated 1,200 North Koreans who work at plants in Tumen were sent back on July 3."
    )
    assert inc["victims"]["total"]["value"] == 1200


def test_a_count_in_that_time_is_a_statistic() -> None:
    text = (
        "Twelve North Koreans were sent back from Tumen on July 4. At least 560 people "
        "have been sent back in that time, a group said."
    )
    assert [i["victims"]["total"]["value"] for i in _incidents(text)] == [12]


def test_a_list_of_kin_takes_its_total_from_a_later_count_that_states_the_sum() -> None:
    text = (
        "A North Korean woman of 45, her two teenage sons and a cousin were taken into "
        "custody in Tumen on July 8. The four were moved to Dandong on Monday."
    )
    (inc,) = _incidents(text)
    assert inc["victims"]["total"]["value"] == 4
    assert inc["victims"]["minors"] == 2
    start, end = inc["evidence"]["victims.total"][0]
    assert text[start:end].lower().endswith("four")


def test_a_move_quoted_after_would_be_is_still_only_pending() -> None:
    (inc,) = _incidents(
        'Nine North Koreans are held in Tumen. A guard said they would be "sent home '
        'with the next group".'
    )
    assert "repatriation" not in inc["event_types"]
    assert inc["status"] == "repatriation_pending"


def test_an_uncounted_crossing_told_in_passing_is_no_incident_of_its_own() -> None:
    incidents = _incidents(
        "Nine North Koreans were arrested in Tumen on July 8. The cousin, a woman of 31, "
        "had crossed the river only in 2015."
    )
    assert [i["event_types"] for i in incidents] == [["arrest"]]


def test_a_list_of_kin_without_an_article_states_no_part_of_one() -> None:
    text = "Police in Tumen arrested her 12-year-old brother and her grandmother on July 8."
    (inc,) = _incidents(text)
    victims = inc["victims"]
    assert (victims["adults"], victims["minors"], victims["women"]) == (None, None, None)
    # From "a", the list's words state the part of one person, which is given.
    text = "Police in Tumen arrested a woman and her ten-year-old daughter on July 8."
    (inc,) = _incidents(text)
    assert inc["victims"]["minors"] == 1
    start, end = inc["evidence"]["victims.minors"][0]
    assert text[start:end].startswith("a woman")


def test_the_date_of_a_dateline_dates_no_event() -> None:
    (inc,) = _incidents(
        "Twelve held in Tumen\n\nSEOUL, July 25 (Test Wire) - Twelve North Koreans were "
        "arrested in Tumen, a rights group said. The arrests took place on July 3."
    )
    assert inc["when"]["start"] == "2017-07-03"


def test_a_group_named_as_the_object_of_a_later_act_is_the_same_incident() -> None:
    (inc,) = _incidents(
        "Eight North Korean women who worked at a plant in Tumen face repatriation.\n\n"
        "The plant exports frozen fish to Korea and Japan.\n\n"
        "Its owners did not answer calls on Monday.\n\n"
        "Officers entered the dormitory on July 16 and led the women away."
    )
    assert inc["victims"]["women"] == 8
    assert "arrest" in inc["event_types"]
    assert inc["when"]["start"] == "2017-07-16"


def test_sent_across_the_bridge_is_a_return_and_across_to_a_third_country_is_not() -> None:
    (inc,) = _incidents("About 60 North Koreans were sent across the bridge at Dandong in May.")
    assert inc["event_types"] == ["repatriation"]
    assert inc["destination_country"] == "KP"
    (inc,) = _incidents("Lao police drove four North Koreans across the border to China on Monday.")
    assert "deportation" in inc["event_types"]
    assert inc["destination_country"] == "CN"


def test_a_verb_joined_to_stopped_a_bus_keeps_its_own_mood() -> None:
    (inc,) = _incidents(
        "Police stopped a minibus near Tumen on July 3 and took off between six and eight "
        "North Koreans."
    )
    assert inc["event_types"] == ["arrest"]
    assert inc["victims"]["total"]["value"] == 6


def test_a_plane_that_took_off_arrests_no_one() -> None:
    for text in (
        "Six North Koreans waited in Tumen as the plane took off the runway.",
        "The plane took off at 9 am from Tumen with six North Koreans on board.",
        "The bus took off 20 minutes late from Tumen with six North Koreans.",
    ):
        assert all("arrest" not in i["event_types"] for i in _incidents(text)), text
    (inc,) = _incidents(
        "Nine North Koreans were taken off a long-distance sleeper bus in Tumen on July 3."
    )
    assert inc["event_types"] == ["arrest"]


def test_an_anonymised_interviewee_is_an_anonymous_source() -> None:
    (inc,) = _incidents(
        "The interviewee, a woman whom we call Ms. P, was arrested in Tumen on July 3 and "
        "sent back on July 20."
    )
    assert any(s["anonymous"] for s in inc["sources"])


def test_victims_left_unnamed_by_the_writer_are_no_anonymous_source() -> None:
    assert "source_anonymity" not in _flags(
        "Consider three people I will not name. They were arrested in Tumen on July 3."
    )


def test_are_returned_tells_what_happens_to_such_people_not_to_this_group() -> None:
    assert (
        _incidents("People who cross without papers are illegal migrants and are returned.") == []
    )
    (inc,) = _incidents("Nine North Koreans arrested on July 3 are held in Tumen.")
    assert "detention" in inc["event_types"]


def test_handed_over_to_local_police_is_a_transfer_not_a_return() -> None:
    (inc,) = _incidents(
        "Six North Koreans caught in Dandong on July 3 were handed over to the border "
        "defence authorities."
    )
    assert "repatriation" not in inc["event_types"]
    assert "transfer" in inc["event_types"]


def test_at_the_end_of_the_month_is_a_time_not_a_call_to_end_returns() -> None:
    (inc,) = _incidents(
        "Police arrested nine North Koreans in Tumen on July 3. At the end of the month "
        "they were moved to Dandong."
    )
    assert "transfer" in inc["event_types"]
    # The arrest starts the period at its day; the move ends it at the month it is told in.
    assert (inc["when"]["start"], inc["when"]["end"]) == ("2017-07-03", "2017-07")


class _WithSeoul:
    """The fake gazetteer and Seoul: a gazetteer of its own, so its own cached pipeline."""

    _SEOUL = FakePlace("kr-seoul", "Seoul", "city", "city", "KR", "Seoul", 37.6, 127.0, None)

    def surface_forms(self) -> Iterator[tuple[str, str]]:
        yield from GAZETTEER.surface_forms()
        yield "Seoul", "kr-seoul"

    def get(self, place_id: str) -> FakePlace:
        return self._SEOUL if place_id == "kr-seoul" else GAZETTEER.get(place_id)


def test_the_same_city_does_not_point_back_to_where_a_source_is_safe() -> None:
    text = (
        "Nine North Koreans were held in Tumen, said a pastor who lives in Seoul. In "
        "January five people were picked up by police in a rented flat in the same city."
    )
    out = extract(text, published=PUBLISHED, language="en", gazetteer=_WithSeoul()).to_json()
    arrests = [p for i in out["incidents"] for p in i["places"] if p["role"] == "arrest"]
    assert arrests and all(p["country"] != "KR" for p in arrests)


def test_ages_told_of_a_group_named_before_make_its_adults() -> None:
    (inc,) = _incidents(
        "Police arrested eight North Korean women in Tumen on July 3. The women, aged "
        "between 19 and 52, had worked at a fish plant."
    )
    assert inc["victims"]["adults"] == 8
    (inc,) = _incidents(
        "Police arrested three North Korean teenagers in Tumen on July 3. The three boys, "
        "aged 14, 15 and 16, had crossed in June."
    )
    assert inc["victims"]["minors"] == 3
    (inc,) = _incidents(
        "Police arrested eight North Korean women in Tumen on July 3. The women, aged "
        "between 15 and 52, had worked at a fish plant."
    )
    assert inc["victims"]["adults"] is None  # ages on both sides of 18 decide neither


def test_an_asked_for_or_announced_return_is_not_one_that_happened() -> None:
    for text in (
        "South Korea has asked for the return of six fishermen held in Tumen.",
        "Officials said that repatriation of 50 escapees from Tumen would begin next week.",
        "Officials held talks in Tumen regarding the repatriation of 50 escapees.",
    ):
        assert all("repatriation" not in i["event_types"] for i in _incidents(text)), text
    (inc,) = _incidents(
        "Rights groups have watched Tumen closely since the forced return of some 600 "
        "North Koreans in October."
    )
    assert inc["event_types"] == ["repatriation"]


def test_there_after_an_idiom_or_opening_with_a_comma() -> None:
    (inc,) = _incidents(
        "Six North Koreans reached Tumen on July 1. There, police arrested all six."
    )
    assert [p["name"] for p in inc["places"] if p["role"] == "arrest"] == ["Tumen"]
    (inc,) = _incidents(
        "Six North Koreans reached Tumen on July 1. Police arrested all six, and it did "
        "not end there."
    )
    assert [p for p in inc["places"] if p["role"] == "arrest"] == []


def test_exposure_that_worsens_an_illness_is_no_publicity_risk() -> None:
    assert "publicity_risk" not in _flags(
        "Twelve North Koreans were sent back from Tumen on July 4. Months in the cells "
        "and exposure made her illness worse."
    )


def test_sent_across_the_river_into_china_by_a_broker_is_a_crossing() -> None:
    (inc,) = _incidents("A broker sent 12 North Koreans across the river into China in March.")
    assert inc["event_types"] == ["border_crossing"]


def test_handed_over_to_police_is_still_a_return_unless_a_local_office_takes_them() -> None:
    (inc,) = _incidents("Nine North Koreans held in Tumen were handed over to police on July 20.")
    assert "repatriation" in inc["event_types"]


def test_a_weekdays_report_dates_no_event() -> None:
    (inc,) = _incidents(
        "Tuesday's report by the ministry said nine North Koreans were arrested in Tumen."
    )
    assert inc["when"] is None
