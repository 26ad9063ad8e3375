"""Rules of extractor 0.4.0, each on sentences written for these tests: moods of events
(negation, coordination, reported claims, open questions, comparisons, questions,
retractions), counts (lists of people, subsets, quotation marks, nationality after the
noun), which incident a sentence speaks of (anaphora, other people, another account,
groups spoken of together), places, facilities, sources, dates and flags."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from fake_gazetteer import FakePlace

from refuge.extract import extract
from refuge.extract.pipeline import build_pipeline

PUBLISHED = date(2021, 6, 30)  # a Wednesday

_PLACES = [
    FakePlace("cn-jl", "Jilin", "province", "admin1", "CN", "Jilin", None, None, None),
    FakePlace("cn-ln", "Liaoning", "province", "admin1", "CN", "Liaoning", None, None, None),
    FakePlace("cn-jl-tumen", "Tumen", "city", "city", "CN", "Jilin", 42.97, 129.84, "cn-jl"),
    FakePlace("cn-jl-yanji", "Yanji", "city", "city", "CN", "Jilin", 42.9, 129.5, "cn-jl"),
    FakePlace("cn-jl-helong", "Helong", "city", "city", "CN", "Jilin", 42.5, 129.0, "cn-jl"),
    FakePlace(
        "cn-ln-dandong",
        "Dandong",
        "city",
        "city",
        "CN",
        "Liaoning",
        40.12,
        124.38,
        "cn-ln",
        ("Tantung",),
    ),
    FakePlace("cn-ln-shenyang", "Shenyang", "city", "city", "CN", "Liaoning", 41.8, 123.4, "cn-ln"),
    FakePlace("kp-namyang", "Namyang", "city", "city", "KP", "North Hamgyong", 42.9, 129.8, None),
    FakePlace("kr-seoul", "Seoul", "city", "city", "KR", "Seoul", 37.57, 126.98, None),
    FakePlace("cn", "China", "country", "country", "CN", None, None, None, None),
]


class _Gazetteer:
    def surface_forms(self) -> Iterator[tuple[str, str]]:
        for p in _PLACES:
            yield p.name, p.id
            for v in p.variants:
                yield v, p.id

    def get(self, place_id: str) -> FakePlace:
        return next(p for p in _PLACES if p.id == place_id)


GAZETTEER = _Gazetteer()


def _out(text: str, published: date = PUBLISHED) -> dict[str, Any]:
    return extract(text, published=published, language="en", gazetteer=GAZETTEER).to_json()


def _incidents(text: str, published: date = PUBLISHED) -> list[dict[str, Any]]:
    incidents: list[dict[str, Any]] = _out(text, published)["incidents"]
    return incidents


def _doc(text: str, published: date = PUBLISHED) -> Any:
    nlp, _ = build_pipeline("en", GAZETTEER)
    doc = nlp.make_doc(text)
    doc.user_data["refuge.published"] = published
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def _events(text: str) -> list[tuple[str, str]]:
    return [(e.type, e.modality) for e in _doc(text)._.refuge_events]


def _total(incident: dict[str, Any]) -> int | None:
    total = incident["victims"]["total"]
    return None if total is None else int(total["value"])


def _roles(incident: dict[str, Any]) -> set[tuple[str, str]]:
    return {(p["name"], p["role"]) for p in incident["places"]}


# -- moods of events -----------------------------------------------------------------------


def test_to_further_back_is_a_preposition_not_an_infinitive() -> None:
    assert ("repatriation", "fact") in _events(
        "They were driven from Tumen to Namyang and handed to State Security officers."
    )


def test_a_negative_subject_negates_the_event() -> None:
    assert _events("No one who qualifies as a refugee has been returned.") == [
        ("repatriation", "negated")
    ]
    assert _events("No North Koreans were deported to China this year.")[0][1] == "negated"


def test_a_negation_does_not_reach_past_the_next_event() -> None:
    assert _events("They have not been repatriated and remain in custody in Shenyang.") == [
        ("repatriation", "negated"),
        ("detention", "fact"),
    ]


def test_a_verb_joined_by_and_or_shares_the_mood_of_the_one_before() -> None:
    assert _events("They are expected to be moved to Dandong and sent back.") == [
        ("transfer", "pending"),
        ("repatriation", "pending"),
    ]
    assert _events("They were not arrested or detained.") == [
        ("arrest", "negated"),
        ("detention", "negated"),
    ]


def test_a_reported_claim_is_not_asserted() -> None:
    events = _events("The ministry was responding to reports that 40 people had been returned.")
    assert events == [("repatriation", "hypothetical")]


def test_an_open_question_asserts_nothing() -> None:
    assert _events("The spokesman would not say whether any of them had been held.") == [
        ("detention", "hypothetical")
    ]


def test_a_comparison_with_other_groups_is_not_about_this_group() -> None:
    events = _events("They may be returned soon, as other groups sent back from Laos have been.")
    assert ("repatriation", "generic") in events
    assert ("repatriation", "fact") not in events


def test_a_gerund_after_a_preposition_happened() -> None:
    assert ("arrest", "fact") in _events("Police held them for a week after arresting them.")


def test_missing_from_a_list_is_no_disappearance() -> None:
    assert ("disappearance", "fact") not in _events("One person was missing from the list.")
    assert ("disappearance", "fact") in _events("Two of the women are still missing.")


def test_a_participle_naming_the_people_survives_a_denial() -> None:
    events = _events(
        "Officials denied reports that nine North Koreans held in Dandong had been deported."
    )
    assert events == [("detention", "fact"), ("deportation", "negated")]


def test_a_retraction_negates_the_sentence_before() -> None:
    events = _events("An earlier report said the family had been repatriated. That was wrong.")
    assert events == [("repatriation", "negated")]


def test_an_event_in_a_question_is_not_asserted() -> None:
    assert _events("Where are they being held?") == [("detention", "hypothetical")]


def test_usually_makes_only_its_own_clause_habitual() -> None:
    events = _events(
        "Police usually release such people, and the group is expected to fly to Seoul."
    )
    assert events == [("release", "generic"), ("deportation", "pending")]


def test_a_habitual_phrase_makes_its_clause_generic() -> None:
    assert _events("Several missionaries have been jailed in the region in recent years.") == [
        ("detention", "generic")
    ]


def test_a_handover_to_another_country_is_a_deportation() -> None:
    doc = _doc("Lao police handed the four over to Chinese police at the border.")
    (e,) = doc._.refuge_events
    assert (e.type, e.destination) == ("deportation", "CN")
    doc = _doc("Vietnam hands nine North Koreans to China.")
    assert [(e.type, e.destination) for e in doc._.refuge_events] == [("deportation", "CN")]


def test_a_move_to_a_named_country_or_capital_has_its_destination() -> None:
    doc = _doc("The eight were sent to South Korea in May.")
    assert [(e.type, e.destination) for e in doc._.refuge_events] == [("deportation", "KR")]
    doc = _doc("The two workers were put on a flight to Pyongyang on Friday.")
    assert [(e.type, e.destination) for e in doc._.refuge_events] == [("repatriation", "KP")]


def test_stopped_is_an_arrest_only_of_people() -> None:
    assert _events("Police stopped a bus near Dandong.") == [("arrest", "not_custody")]
    assert _events("Police stopped them near Dandong.") == [("arrest", "fact")]


def test_a_pending_cue_with_adverbs_inside_is_still_pending() -> None:
    assert _events("They will almost certainly be sent north and returned.")[-1] == (
        "repatriation",
        "pending",
    )


def test_an_earlier_expectation_told_in_the_past_perfect_is_not_pending() -> None:
    assert _events("Activists had said the group would be handed over within days.") == [
        ("repatriation", "hypothetical")
    ]


def test_allowed_to_travel_on_to_south_korea_is_a_release() -> None:
    doc = _doc("They were released and allowed to travel on to South Korea.")
    assert [(e.type, e.destination) for e in doc._.refuge_events] == [
        ("release", None),
        ("release", "KR"),
    ]


# -- counts --------------------------------------------------------------------------------


def _counts(text: str) -> list[tuple[int, str]]:
    return [(c.value, c.category) for c in _doc(text)._.refuge_counts]


def test_a_nationality_is_the_group_noun_when_no_other_follows() -> None:
    assert _counts("Seven North Koreans arrested in Dandong were sent back.") == [(7, "total")]


def test_quotation_marks_around_the_noun_keep_the_count() -> None:
    assert _counts('Police detained four "illegal border crossers" on Monday.') == [(4, "total")]


def test_a_nationality_before_another_noun_is_an_adjective() -> None:
    assert _counts("A report said a North Korean family of five had been detained.") == [
        (5, "total")
    ]


def test_one_of_the_men_is_a_member_not_a_count_of_men() -> None:
    assert _counts("Two days later one of the men escaped.") == []


def test_a_nationality_after_the_noun_counts() -> None:
    doc = _doc("Guards detained eight citizens of the DPRK near the border.")
    assert [(c.value, c.nationality) for c in doc._.refuge_counts] == [(8, "KP")]


def test_hundreds_more_is_no_group() -> None:
    doc = _doc("Hundreds more North Koreans are still being held in Jilin.")
    assert [c.aggregate for c in doc._.refuge_counts] == [True]


def _lists(text: str) -> list[tuple[int, list[tuple[str, int]], bool]]:
    doc = _doc(text)
    return [
        (e.total, [(p[0], p[1]) for p in e.parts], e.inclusive)
        for e in doc.user_data["refuge.enumerations"]
    ]


def test_a_list_of_women_and_men_decides_both_parts() -> None:
    assert _lists("The six, three men and three women, were taken to Tumen.") == [
        (6, [("women", 3), ("men", 3)], False)
    ]


def test_a_woman_and_her_daughter_are_an_adult_woman_and_a_minor() -> None:
    (lst,) = _lists("A woman and her ten-year-old daughter were handed over.")
    assert lst[0] == 2
    assert set(lst[1]) == {("minors", 1), ("women", 1), ("adults", 1)}


def test_parts_several_items_add_up_to_are_left_open() -> None:
    (lst,) = _lists("The family, two parents, a grandmother and two children, were held.")
    assert lst[0] == 5
    assert dict(lst[1]) == {"minors": 2}  # the adults (2 + 1) are stated by no number


def test_items_that_say_who_a_count_is_are_not_a_list() -> None:
    assert _lists("The other two are children, a boy of about eight and a girl of ten.") == []
    assert _counts("Five are adults. The other two are children, a boy and a girl.")[:2] == [
        (5, "adults"),
        (2, "minors"),
    ]


def test_one_person_singled_out_among_members_is_no_count_of_women() -> None:
    (lst,) = _lists("The 23, who include a pregnant woman and two teenagers, were returned.")
    assert dict(lst[1]) == {"minors": 2}
    assert lst[2] is True


def test_people_of_two_nationalities_are_not_one_list() -> None:
    assert _lists("Police arrested a Chinese broker and eight North Koreans.") == []


def test_a_list_takes_the_total_the_text_states_for_its_sum() -> None:
    (inc,) = _incidents(
        "A report said a North Korean family of five had been held in Tumen.\n\n"
        "The family, two parents, a grandmother and two children aged nine and twelve, "
        "were arrested in Helong on June 8."
    )
    assert (_total(inc), inc["victims"]["minors"], inc["victims"]["adults"]) == (5, 2, None)


# -- which incident a sentence speaks of ---------------------------------------------------


def test_a_marker_inside_a_date_does_not_separate() -> None:
    incidents = _incidents(
        "Twenty North Koreans held in Shenyang\n\n"
        "Twenty North Koreans were arrested earlier this month in Shenyang."
    )
    assert len(incidents) == 1


def test_a_marker_late_in_a_sentence_without_count_does_not_separate() -> None:
    (inc,) = _incidents(
        "Police arrested twelve North Koreans in Yanji on June 3.\n\n"
        "They are held at the detention centre in Tumen, which has held others in the past."
    )
    assert "detention" in inc["event_types"]


def test_a_line_that_tells_nothing_does_not_widen_the_distance() -> None:
    (inc,) = _incidents(
        "REPORTER: Police arrested nine North Koreans in Yanji on June 3.\n\n"
        "HOST: Really?\n\n"
        "HOST: And then?\n\n"
        "REPORTER: They had been held in the detention centre in Tumen before."
    )
    assert ("Tumen", "detention") in _roles(inc)


def test_being_in_a_custodial_facility_continues_the_incident() -> None:
    (inc,) = _incidents(
        "Police returned about 60 North Koreans to North Korea on Friday.\n\n"
        "The group had spent weeks in a detention facility in Dandong, a source said."
    )
    assert "detention" in inc["event_types"]
    assert ("Dandong", "detention") in _roles(inc)


def test_an_anaphoric_subject_reaches_an_incident_paragraphs_back() -> None:
    (inc,) = _incidents(
        "Police arrested seven North Koreans in Yanji on June 3.\n\n"
        "A church worker told us the news.\n\n"
        "Nobody has spoken to the families.\n\n"
        "The group is at risk of being sent back to North Korea."
    )
    assert inc["destination_country"] == "KP"
    assert inc["status"] == "repatriation_pending"


def test_a_far_bigger_figure_in_the_same_paragraph_is_another_group() -> None:
    incidents = _incidents(
        "Police arrested 20 North Koreans in Shenyang in June. "
        "On May 9, the authorities returned about 600 people in a single night."
    )
    assert [_total(i) for i in incidents] == [20, 600]


def test_a_near_figure_without_place_or_date_is_another_account() -> None:
    (inc,) = _incidents(
        "Police said 12 North Koreans were arrested in Yanji on June 3.\n\n"
        "A relative said 15 people had been staying at the house, including three "
        "teenagers, and that all of them were taken away."
    )
    assert (_total(inc), inc["victims"]["minors"]) == (12, 3)


def test_one_person_among_a_counted_group_opens_no_incident() -> None:
    incidents = _incidents(
        "Police returned 20 North Koreans to North Korea on June 3. "
        "It was not clear why one person was missing from the figures."
    )
    assert [_total(i) for i in incidents] == [20]


def test_a_person_of_another_nationality_arrested_with_a_group_is_an_incident() -> None:
    incidents = _incidents(
        "Police arrested a Chinese broker and eight North Koreans in Yanji on June 2."
    )
    got = sorted(
        (i["victims"]["nationality"], _total(i), tuple(i["event_types"])) for i in incidents
    )
    assert got == [("CN", 1, ("arrest",)), ("KP", 8, ("arrest",))]


def test_a_group_arrested_with_one_person_shares_that_arrest() -> None:
    incidents = _incidents(
        "A court in Yanji on Monday sentenced a Chinese driver to three years in prison.\n\n"
        "Police arrested the man and his passengers in March near Dandong. "
        "All six North Koreans were handed to North Korean officials in April."
    )
    group = next(i for i in incidents if _total(i) == 6)
    assert "arrest" in group["event_types"]
    assert ("Dandong", "arrest") in _roles(group)


def test_he_goes_to_the_incident_of_one_person() -> None:
    incidents = _incidents(
        "Police arrested a Chinese broker and eight North Koreans in Yanji on June 2.\n\n"
        "The eight are being held in Tumen.\n\n"
        "He is held separately."
    )
    broker = next(i for i in incidents if i["victims"]["nationality"] == "CN")
    assert "detention" in broker["event_types"]
    assert broker["victims"]["men"] == 1


def test_a_sentence_about_all_the_groups_reaches_each_of_them() -> None:
    incidents = _incidents(
        "In Yanji, police arrested six North Koreans on June 21. "
        "In Dandong, four women were taken from a flat on June 24. "
        "In Shenyang, seven people were arrested on June 26.\n\n"
        "All three groups are being held in detention centres in the cities where they "
        "were arrested."
    )
    assert len(incidents) == 3
    assert all("detention" in i["event_types"] for i in incidents)
    assert ("Yanji", "detention") in _roles(incidents[0])


def test_an_open_next_move_leaves_no_destination() -> None:
    (inc,) = _incidents(
        "Police arrested two North Koreans in Yanji on June 3; officials hoped they "
        "would be allowed to travel to South Korea.\n\n"
        "It is not clear whether China will send them back instead."
    )
    assert inc["destination_country"] is None


def test_people_returned_to_north_korea_are_north_koreans() -> None:
    (inc,) = _incidents(
        "On Monday, three women who had been returned to North Korea were sentenced."
    )
    assert inc["victims"]["nationality"] == "KP"


def test_one_person_gendered_by_pronouns_is_a_man_and_an_adult() -> None:
    (inc,) = _incidents(
        "A South Korean pastor has been arrested in Dandong, the ministry said on June 9.\n\n"
        "Consular officials visited him on Monday. The ministry did not give his name."
    )
    victims = inc["victims"]
    assert (_total(inc), victims["men"], victims["adults"], victims["women"]) == (1, 1, 1, None)


def test_a_headline_clause_after_a_semicolon_is_read_apart() -> None:
    (inc,) = _incidents(
        "Nine North Koreans returned from Dandong; three more held in Yanji\n\n"
        "Police returned nine North Koreans from Dandong on June 3."
    )
    assert ("Yanji", "detention") not in _roles(inc)


def test_she_is_the_woman_introduced_a_few_sentences_before() -> None:
    (inc,) = _incidents(
        "The interviewee, a woman referred to here as Ms. K, spoke to us in Seoul.\n\n"
        "She had lived in Yanji for years. Police arrested her there in May 2018."
    )
    victims = inc["victims"]
    assert (_total(inc), victims["women"], victims["adults"]) == (1, 1, 1)


def test_she_in_a_sentence_with_an_arrest_and_a_date_opens_an_incident() -> None:
    incidents = _incidents("Police arrested her in Yanji on June 3.")
    assert [i["event_types"] for i in incidents] == [["arrest"]]


def test_a_later_escape_told_of_him_alone_opens_no_incident() -> None:
    incidents = _incidents(
        "Police arrested a North Korean man in Yanji on June 3, 2018.\n\nHe escaped again in 2020."
    )
    assert len(incidents) == 1


def test_a_scene_set_in_the_sentence_before_dates_the_arrest() -> None:
    (inc,) = _incidents(
        "HOST: We start in Yanji, where police raided a house last Saturday night.\n\n"
        "REPORTER: Officers led people out of the house and put them in two vans."
    )
    assert inc["when"]["start"] == "2021-06-26"
    assert ("Yanji", "arrest") in _roles(inc)


# -- dates of an incident ------------------------------------------------------------------


def test_each_end_of_an_incident_keeps_the_precision_the_text_gives_it() -> None:
    (inc,) = _incidents(
        "Police arrested five North Koreans in Yanji in March. "
        "The five were returned to North Korea on April 9."
    )
    assert inc["when"] == {
        "start": "2021-03",
        "end": "2021-04-09",
        "precision": "month",
        "start_precision": "month",
        "end_precision": "day",
    }


def test_a_month_read_from_a_statement_gives_way_to_a_day_of_that_month() -> None:
    (inc,) = _incidents(
        "The agency said on Monday that it had detained eight North Koreans, who were "
        "found by a patrol near the border on Tuesday."
    )
    assert inc["when"] == {"start": "2021-06-29", "end": "2021-06-29", "precision": "day"}


def test_a_crossing_long_before_the_arrest_is_not_part_of_the_incident() -> None:
    (inc,) = _incidents(
        "A North Korean woman crossed the border in 2016.\n\n"
        "Police arrested her in Yanji on June 3."
    )
    assert "border_crossing" not in inc["event_types"]
    assert inc["when"]["start"] == "2021-06-03"


def test_a_crossing_told_in_passing_is_no_event() -> None:
    (inc,) = _incidents(
        "On June 3, border guards near Yanji picked up eight North Koreans who had crossed "
        "the border."
    )
    assert inc["event_types"] == ["arrest"]


def test_a_date_after_the_next_event_belongs_to_it() -> None:
    (inc,) = _incidents(
        "Two North Korean workers were detained in Yanji and deported to North Korea "
        "earlier this month."
    )
    detention = next(e for e in inc["events"] if e["type"] == "detention")
    assert detention["when"] is None


def test_held_since_a_month_dates_the_detention() -> None:
    (inc,) = _incidents(
        "The 23 North Koreans had been held at a detention facility in Dandong since "
        "mid-March, a source said."
    )
    assert inc["when"]["start"] == "2021-03"


def test_the_date_of_a_document_dates_no_event() -> None:
    (inc,) = _incidents(
        "In an opinion adopted last year, the UN found that China had detained a North "
        "Korean woman and then returned her to North Korea."
    )
    assert inc["when"] is None


# -- places and facilities -----------------------------------------------------------------


def test_a_province_holding_a_place_of_the_same_role_gives_way_to_it() -> None:
    (inc,) = _incidents("Police arrested nine North Koreans in Yanji, in Jilin, on June 3.")
    assert {p["name"] for p in inc["places"] if p["role"] == "arrest"} == {"Yanji"}


def test_a_town_named_as_a_river_is_not_the_town() -> None:
    doc = _doc("They crossed the Tumen River in May, and later the Tumen in June.")
    assert doc._.refuge_places == []


def test_a_variant_spelling_is_kept_as_written_beside_the_gazetteer_name() -> None:
    (inc,) = _incidents("Nine North Koreans were caught outside Tantung on June 3.")
    (place,) = inc["places"]
    assert (place["name"], place["gazetteer_name"], place["role"]) == (
        "Tantung",
        "Dandong",
        "arrest",
    )


def test_the_city_refers_to_the_town_named_just_before() -> None:
    (inc,) = _incidents(
        "Police arrested five North Korean women in Yanji on June 3. "
        "They are being held at a police station in the city."
    )
    assert ("Yanji", "detention") in _roles(inc)


def test_where_people_lived_is_not_where_they_were_arrested() -> None:
    (inc,) = _incidents(
        "Police arrested six North Koreans in Tumen on June 2. They had lived and worked "
        "in Yanji for several months before the arrest."
    )
    assert ("Yanji", "arrest") not in _roles(inc)


def test_the_one_act_of_a_long_sentence_happened_at_its_place() -> None:
    (inc,) = _incidents(
        "Police arrested five North Koreans on June 14, shortly after they came ashore on "
        "the bank of the river near Helong."
    )
    assert ("Helong", "arrest") in _roles(inc)


def test_a_place_the_group_was_driven_to_is_not_where_it_was_held() -> None:
    (inc,) = _incidents(
        "The 23 North Koreans held in Tumen were driven from the detention centre across "
        "the bridge to Namyang on June 3."
    )
    assert ("Namyang", "detention") not in _roles(inc)


def test_a_place_arrested_at_is_an_arrest_place_not_a_detention() -> None:
    (inc,) = _incidents("Police arrested five North Koreans at a guesthouse in Yanji on June 3.")
    assert ("Yanji", "arrest") in _roles(inc)
    assert "detention" not in inc["event_types"]


def test_a_facility_believed_to_hold_people_is_no_detention() -> None:
    (inc,) = _incidents(
        "Police returned three North Koreans to North Korea on June 2. All three are now "
        "believed to be in a holding centre in Namyang."
    )
    assert "detention" not in inc["event_types"]


def _facilities(text: str) -> list[str]:
    return [f.name for f in _doc(text)._.refuge_facilities]


def test_a_facility_reaches_its_place_past_words_about_it() -> None:
    assert _facilities(
        "They spent days in a temporary detention facility for foreign nationals in Yanji."
    ) == ["temporary detention facility for foreign nationals in Yanji"]
    assert _facilities("They stayed at a guesthouse on the edge of Yanji.") == [
        "guesthouse on the edge of Yanji"
    ]


def test_a_facility_in_two_places_names_both() -> None:
    assert _facilities("They were held in detention centres in Helong and Yanji.") == [
        "detention centres in Helong and Yanji"
    ]


def test_a_word_of_a_longer_name_is_no_facility() -> None:
    assert _facilities("The Open Bridge Network said so.") == []


def test_a_camp_without_a_name_is_a_workplace() -> None:
    assert _facilities("They walked out of a timber camp in Yanji.") == []


# -- sources -------------------------------------------------------------------------------


def _sources(text: str) -> list[tuple[str, bool]]:
    return [(s.text, s.anonymous) for s in _doc(text)._.refuge_sources]


def test_a_victim_the_sentence_names_as_subject_is_not_a_source() -> None:
    assert _sources("A South Korean pastor has been arrested in Yanji, the ministry said.") == []


def test_a_family_member_and_relatives_cited_are_anonymous_sources() -> None:
    assert _sources("According to a family member, the women were moved.") == [
        ("a family member", True)
    ]
    assert _sources("They had been held for years, according to relatives.") == [
        ("relatives", True)
    ]


def test_a_source_named_later_is_not_anonymous() -> None:
    sources = _sources(
        "They were deported, a resident who had tried to help them said. "
        "The men were held for weeks, the resident, Kim Young-ho, said."
    )
    assert sources and not any(anonymous for _, anonymous in sources)


def test_a_co_worker_is_an_unnamed_source() -> None:
    assert _sources("Five women were arrested on Tuesday, a co-worker told us.") == [
        ("a co-worker", True)
    ]


def test_an_unclaimed_request_for_anonymity_covers_every_incident() -> None:
    incidents = _incidents(
        "Our contacts asked not to be named for their safety.\n\n"
        "In Yanji, police arrested six North Koreans on June 21. "
        "In Dandong, four women were taken from a flat on June 24."
    )
    assert len(incidents) == 2
    assert all(any(s["anonymous"] for s in i["sources"]) for i in incidents)


def test_a_request_for_anonymity_told_with_one_incident_stays_with_it() -> None:
    incidents = _incidents(
        "Police arrested five North Koreans in Yanji on June 14.\n\n"
        "Separately, police arrested four North Koreans in Dandong on June 20, a pastor "
        "said, asking us not to print his name."
    )
    assert [any(s["anonymous"] for s in i["sources"]) for i in incidents] == [False, True]


# -- dates ---------------------------------------------------------------------------------


def _dates(text: str) -> list[tuple[str, str, bool]]:
    return [(d.when.start, d.when.end, d.since) for d in _doc(text)._.refuge_dates]


def test_a_month_of_last_year_is_that_month() -> None:
    assert _dates("They were sent back in October last year.") == [("2020-10", "2020-10", False)]


def test_since_a_date_followed_by_when_is_the_date_of_that_clause() -> None:
    assert _dates("It was the largest return since October last year, when 500 were sent.") == [
        ("2020-10", "2020-10", False)
    ]


def test_a_day_before_a_month_name_makes_it_a_date() -> None:
    assert _dates("Police arrested them on 4 March.") == [("2021-03-04", "2021-03-04", False)]


def test_a_statement_s_date_is_not_an_event_date() -> None:
    assert _dates("A notice from the police on Monday spoke of eleven people.")[0][2] is True


def test_nine_days_later_counts_from_the_date_before() -> None:
    (inc,) = _incidents(
        "Police took three North Korean women from a flat in Helong on June 2 and handed "
        "them over at the bridge nine days later."
    )
    assert inc["when"] == {"start": "2021-06-02", "end": "2021-06-11", "precision": "day"}


# -- flags ---------------------------------------------------------------------------------


def _flags(text: str) -> set[str]:
    return {f["flag"] for f in _out(text)["sensitivity_flags"]}


def test_a_relative_asking_not_to_name_the_family_is_a_family_request() -> None:
    assert "family_requested_non_disclosure" in _flags(
        "Police arrested two boys in Yanji on June 3. The relative asked me not to name the family."
    )


def test_a_child_among_the_group_told_apart_from_events_flags_minors() -> None:
    out = _out(
        "Police arrested nine North Koreans in Yanji on June 3.\n\n"
        "Among them were a grandfather and a girl of about ten."
    )
    assert "minors_involved" in {f["flag"] for f in out["sensitivity_flags"]}
    assert out["incidents"][0]["victims"]["minors"] == 1


def test_fear_of_what_publishing_might_do_is_a_publicity_risk() -> None:
    assert "publicity_risk" in _flags(
        "Police arrested three women in Yanji on June 3. A relative asked that nothing more "
        "be published about them, for fear of what it might do to their families."
    )


# -- more rules of 0.4.0 -------------------------------------------------------------------


def test_an_age_said_of_some_members_does_not_make_the_whole_group_adults() -> None:
    (inc,) = _incidents(
        "Police detained four North Koreans - two women in their twenties and two teenage "
        "girls - in Yanji on June 9."
    )
    assert inc["victims"]["adults"] is None


def test_ages_said_of_the_group_make_it_adults() -> None:
    (inc,) = _incidents(
        "Police arrested two North Korean workers in Yanji on June 3.\n\n"
        "The men, aged 34 and 41, were held for three weeks."
    )
    assert (inc["victims"]["adults"], inc["victims"]["men"]) == (2, 2)


def test_a_group_let_go_to_south_korea_has_that_destination() -> None:
    (inc,) = _incidents(
        "Seven North Koreans arrested in Yanji in May were released last month and allowed "
        "to travel on to South Korea."
    )
    assert (inc["status"], inc["destination_country"]) == ("released", "KR")


def test_a_group_deported_onward_has_an_unknown_fate() -> None:
    (inc,) = _incidents(
        "Lao police arrested four North Koreans in May and handed them to Chinese border "
        "police later the same month."
    )
    assert (inc["status"], inc["destination_country"]) == ("unknown", "CN")


def test_an_expulsion_that_is_the_return_itself_is_no_deportation() -> None:
    (inc,) = _incidents(
        "A court ordered four North Korean workers expelled on August 14, and on August 22 "
        "they were handed over to North Korean officials."
    )
    assert "deportation" not in inc["event_types"]
    assert "repatriation" in inc["event_types"]


def test_fear_and_due_to_be_make_a_return_pending() -> None:
    assert _events("Relatives fear that this means a return to North Korea.") == [
        ("repatriation", "pending")
    ]
    assert _events("The seven are due to be handed over to North Korean officials.") == [
        ("repatriation", "pending")
    ]


def test_more_verbs_of_arrest_and_return() -> None:
    assert _events("Police picked them up at a bus station.") == [("arrest", "fact")]
    assert _events("Russia sends two North Korean workers home.") == [("repatriation", "fact")]
    assert _events("Both remain in detention in Yanji.") == [("detention", "fact")]
    assert _events("She was returned to the DPRK in April.") == [("repatriation", "fact")]


def test_what_has_happened_in_the_past_is_habitual() -> None:
    assert _events("Cambodia has in the past allowed North Koreans caught there to leave.") == [
        ("arrest", "generic")
    ]


def test_more_nouns_of_people_count() -> None:
    assert _counts("Police detained two North Korean loggers and two teenage brothers.") == [
        (2, "total"),
        (2, "minors"),
    ]


def test_a_relative_cited_with_a_possessive_is_an_unnamed_source() -> None:
    assert _sources("She was returned in April, according to her sister.") == [("her sister", True)]


def test_a_note_that_identifying_details_were_removed_is_a_request_for_anonymity() -> None:
    assert "source_anonymity" in _flags(
        "Case note shared with identifying details removed. Police arrested her in Yanji on June 3."
    )


def test_a_dateline_or_a_based_in_town_is_not_the_city_referred_to() -> None:
    (inc,) = _incidents(
        "SEOUL (Wire) - Police in Yanji picked up six North Koreans on June 3, a Seoul-based "
        "group said. They were taken to the city's public security bureau."
    )
    assert ("Seoul", "detention") not in _roles(inc)
    assert ("Yanji", "detention") in _roles(inc)


def test_a_town_named_before_a_noun_keeps_its_article() -> None:
    doc = _doc("They were held at the Tumen border detention centre.")
    assert [p.name for p in doc._.refuge_places] == ["Tumen"]


def test_the_month_may_is_not_the_modal_may() -> None:
    assert _events("They were arrested in May and handed over to North Korea.") == [
        ("arrest", "fact"),
        ("repatriation", "fact"),
    ]


def test_a_habitual_word_in_a_relative_clause_stays_there() -> None:
    events = _events(
        "The boys had crossed the Tumen in January, looking for their mother, who usually "
        "works in China."
    )
    assert events == [("border_crossing", "fact")]


def test_a_return_ahead_says_more_than_a_transfer_ahead() -> None:
    (inc,) = _incidents(
        "Police arrested six North Koreans in Yanji on June 3. The six are expected to be "
        "transferred to Tumen and sent back to North Korea."
    )
    assert (inc["status"], inc["destination_country"]) == ("repatriation_pending", "KP")


def test_a_town_ending_a_move_is_its_destination_not_an_arrest_place() -> None:
    (inc,) = _incidents(
        "Police arrested two North Korean workers in Yanji on June 3 and put them on a "
        "flight to Seoul on June 5."
    )
    assert ("Seoul", "arrest") not in _roles(inc)
    assert inc["destination_country"] == "KR"


def test_put_on_a_bus_to_a_town_is_a_transfer_unless_a_handover_ends_it() -> None:
    # 0.6.0: a move in custody to a town is a transfer (0.5.0 read none); a move that ends
    # in a handover, or at a border post, is told by the handover.
    assert _events("Police put them on a bus to Dandong.") == [("transfer", "fact")]
    assert _events("Police put them on a bus to the border crossing at Dandong.") == []
