"""Rules of extractor 0.6.0, each on sentences written for these tests: moves told with
their route ("driven, handcuffed, to the detention centre") and what keeps one from being a
transfer; raids; counts that are roles, agents, days or a place's occupants; dates told in a
clause about a teller or a place, or from the sentence just before; incidents kept in reach
across sections; towns that place a teller; publicity and non-disclosure flags."""

from __future__ import annotations

from typing import Any

from fake_gazetteer import run

from refuge.extract.pipeline import build_pipeline


def _events(text: str) -> list[tuple[str, str]]:
    """The events that happened ("the detention centre" names a place, not an act)."""
    nlp, _ = build_pipeline("en")
    return [(e.type, e.modality) for e in nlp(text)._.refuge_events if e.modality != "nominal"]


def _incidents(text: str) -> list[dict[str, Any]]:
    return run(text).to_json()["incidents"]


def test_a_move_told_with_its_route_to_a_custody_place_is_a_transfer() -> None:
    for text in (
        "Two weeks later she was driven, handcuffed, to the detention centre in Tumen.",
        "They were taken by train to the border detention centre in Tumen.",
        "The two were flown under escort from Shenyang to Yanji.",
        "All nine were driven some 800 kilometres south to the immigration centre.",
    ):
        assert _events(text) == [("transfer", "fact")], text


def test_a_move_under_guard_whose_end_is_not_told_is_a_transfer() -> None:
    assert _events("All six were put on a train north under guard.") == [("transfer", "fact")]
    assert _events("The six were put on a train under escort.") == [("transfer", "fact")]


def test_a_route_over_the_border_is_a_crossing_not_a_transfer() -> None:
    types = [t for t, _ in _events("They were taken by bus over the bridge to Sinuiju.")]
    assert "transfer" not in types


def test_a_move_that_ends_in_a_handover_is_no_transfer() -> None:
    text = "Two weeks later she was driven, handcuffed, to Dandong and handed over at the bridge."
    assert [t for t, _ in _events(text)] == ["repatriation"]


def test_a_flight_along_a_route_to_pyongyang_is_a_return() -> None:
    text = "The two workers were flown under escort from Vladivostok to Pyongyang."
    assert _events(text) == [("repatriation", "fact")]


def test_a_route_adds_the_transfer_to_the_incident_it_follows() -> None:
    (inc,) = _incidents(
        "Police arrested four North Koreans in Yanji on May 8. Two weeks later they were "
        "driven, handcuffed, to the detention centre in Tumen."
    )
    assert inc["event_types"] == ["arrest", "detention", "transfer"]


def test_schoolchildren_and_pupils_are_minors() -> None:
    (inc,) = _incidents("Police arrested three North Korean schoolchildren in Yanji on May 8.")
    assert inc["victims"]["minors"] == 3


def test_an_interview_date_far_after_its_verb_dates_no_event() -> None:
    (inc,) = _incidents(
        "Police arrested her in Tumen, she said when she was interviewed in Seoul over two "
        "long sessions in September 2016."
    )
    assert inc["when"] is None


def test_a_raid_is_the_arrest_when_no_other_verb_tells_it() -> None:
    (inc,) = _incidents(
        "Four North Koreans had lived in a flat in Yanji since 2019. Police raided the flat "
        "on the night of May 27."
    )
    assert inc["event_types"] == ["arrest"]
    assert inc["when"]["start"] == "2017-05-27"


def test_a_raid_only_sets_the_scene_of_an_arrest_told_with_it_or_just_after() -> None:
    assert _events("Police raided the flat at night and arrested everyone in it.") == [
        ("arrest", "fact")
    ]
    text = (
        "Police raided a house in Yanji last Saturday.\n\nREPORTER: That's right. Officers "
        "led four people out of the house in handcuffs."
    )
    assert [t for t, _ in _events(text)] == ["arrest"]


def test_a_date_in_a_clause_about_the_source_dates_no_event() -> None:
    (inc,) = _incidents(
        "Police arrested five North Koreans in Yanji, according to the man's brother, who "
        "reached South Korea in 2012."
    )
    assert inc["when"] is None
    (inc,) = _incidents(
        "Police arrested six North Koreans in Yanji, according to a relative, who said they "
        "were returned on May 20."
    )
    assert inc["when"] is not None


def test_a_paragraph_about_the_group_keeps_its_incident_in_reach() -> None:
    incidents = _incidents(
        "In 2015 police returned 30 North Koreans from Jilin.\n\n"
        "Police arrested nine North Koreans in Yanji on May 2.\n\n"
        "The group had travelled for three weeks from the south.\n\n"
        "Police officers moved the women to the detention centre in Tumen."
    )
    nine = next(i for i in incidents if (i["victims"]["total"] or {}).get("value") == 9)
    assert "transfer" in nine["event_types"]


def test_an_unnamed_source_of_a_statistic_makes_no_incident_anonymous() -> None:
    (inc,) = _incidents(
        "Police arrested nine North Koreans in Yanji on May 2, the Hanbit Mission said.\n\n"
        "Since 2012 about 2,500 North Koreans have passed through Yanji, according to an official "
        "who asked not to be identified."
    )
    assert not any(s["anonymous"] for s in inc["sources"])


def test_a_date_told_before_any_incident_anchors_the_next_morning() -> None:
    (inc,) = _incidents(
        "The nine who crossed the river on the night of July 10 knew the risk. A boatman "
        "took them across.\n\n"
        "The next morning police found the nine North Koreans in Yanji and arrested them."
    )
    assert inc["when"]["start"] == "2017-07-11"


def test_a_date_told_after_an_incident_does_not_move_its_same_night() -> None:
    incidents = _incidents(
        "A South Korean pastor was arrested in Yanji on the 9th of this month. Consular "
        "officials visited him on Monday.\n\n"
        "A neighbour said police arrested four North Koreans at the pastor's flat the same "
        "night."
    )
    four = next(i for i in incidents if i["victims"]["total"]["value"] == 4)
    assert four["when"]["start"] == "2017-07-09"


def test_days_after_the_arrest_count_from_the_arrest() -> None:
    (inc,) = _incidents(
        "Police arrested nine North Koreans in Yanji on July 11. Three days after the arrest "
        "all nine were moved to the detention centre in Tumen."
    )
    assert inc["when"] == {"start": "2017-07-11", "end": "2017-07-14", "precision": "day"}


def test_a_role_after_as_counts_no_person() -> None:
    out = run(
        "Police arrested a North Korean woman in Yanji on May 3. She had crossed the river in "
        "2009 as a teenager."
    ).to_json()
    (inc,) = out["incidents"]
    assert inc["victims"]["minors"] is None
    assert "minors_involved" not in {f["flag"] for f in out["sensitivity_flags"]}


def test_she_after_a_heading_and_background_is_the_woman_introduced_first() -> None:
    (inc,) = _incidents(
        "The interviewee, a North Korean woman now in her thirties, was interviewed in Seoul. "
        "Her name is withheld.\n\nLife in Yanji\n\nShe spent six years in Yanji. She worked in "
        "a restaurant. She had a phone. She saved money. She learned Chinese.\n\nOn May 3, "
        "2015, police arrested her in Yanji."
    )
    assert inc["victims"]["total"]["value"] == 1
    assert inc["victims"]["women"] == 1


def _flags(text: str) -> set[str]:
    return {f["flag"] for f in run(text).to_json()["sensitivity_flags"]}


def test_publicity_that_would_make_things_worse_is_a_publicity_risk() -> None:
    assert "publicity_risk" in _flags(
        "She worries that publicity will make the interrogations worse for her sister."
    )


def test_names_withheld_to_protect_or_for_safety_are_a_publicity_risk() -> None:
    assert "publicity_risk" in _flags(
        "The names were withheld by the court to protect family members in North Korea."
    )
    assert "publicity_risk" in _flags("For her safety we will not say who she is.")
    assert "publicity_risk" not in _flags("The court withheld its ruling until Friday.")


def test_a_family_asking_not_to_broadcast_names_requested_non_disclosure() -> None:
    assert "family_requested_non_disclosure" in _flags(
        "The family of the mother and daughter, reached in South Korea, asked the station "
        "not to broadcast their names."
    )
    assert "family_requested_non_disclosure" in _flags(
        "She asked us not to give the family's name or their town."
    )
    assert "family_requested_non_disclosure" not in _flags(
        "A church worker asked me not to name him."
    )


def test_a_habit_told_of_a_place_after_where_leaves_the_move_a_fact() -> None:
    text = (
        "A week later they were moved to the detention centre in Tumen, where North Koreans "
        "are usually kept until a handover."
    )
    assert ("transfer", "fact") in _events(text)


def test_questioned_is_custody_only_as_a_passive() -> None:
    assert _events("They were questioned by State Security in Onsong.") == [("detention", "fact")]
    assert _events("She was interrogated in Sinuiju for weeks.") == [("detention", "fact")]
    assert ("detention", "fact") not in _events("Police questioned the driver for hours.")


def test_a_move_to_a_north_korean_custody_place_is_detention_there() -> None:
    text = "They were driven to the State Security holding centre in Onsong."
    assert _events(text) == [("detention", "fact")]


def test_arrests_that_added_up_since_a_month_are_a_statistic() -> None:
    assert _incidents("More than 70 North Koreans have been arrested in Yanji since January.") == []
    (inc,) = _incidents("Seven North Koreans have been held in Yanji since March.")
    assert inc["victims"]["total"]["value"] == 7


def test_a_count_caught_between_two_months_is_a_statistic() -> None:
    assert (
        _incidents("At least 14 North Koreans were caught in Yanji between January and April.")
        == []
    )


def _roles(inc: dict[str, Any]) -> set[tuple[str, str]]:
    return {(p["name"], p["role"]) for p in inc["places"]}


def test_a_town_that_says_where_a_teller_is_is_no_place_of_the_act() -> None:
    (inc,) = _incidents(
        "Police arrested six North Koreans on a bus, according to a shelter worker in Tumen "
        "who met the group later."
    )
    assert ("Tumen", "arrest") not in _roles(inc)
    (inc,) = _incidents(
        "A woman in Tumen whose sister was taken from one of the flats said police "
        "arrested five North Koreans on May 3."
    )
    assert ("Tumen", "arrest") not in _roles(inc)


def test_a_north_korean_in_a_town_is_still_arrested_there() -> None:
    for text in (
        "A North Korean woman in Tumen was arrested on May 3.",
        "Six North Korean workers in Tumen were arrested on May 3 and returned.",
        "Police arrested six North Koreans at the home of a pastor in Tumen on May 3.",
    ):
        (inc,) = _incidents(text)
        assert ("Tumen", "arrest") in _roles(inc), text


def test_a_whether_about_what_follows_a_return_leaves_its_destination() -> None:
    (inc,) = _incidents(
        "China returned 20 North Koreans held in Tumen last week. Security officials "
        "usually hold returnees for questioning before deciding whether to send them to a "
        "labour camp."
    )
    assert inc["destination_country"] == "KP"


def test_a_participle_after_a_bare_people_noun_is_no_act_on_a_group() -> None:
    assert _events("A rapporteur said that people sent back face a real risk of torture.") == [
        ("repatriation", "attributive")
    ]
    assert ("repatriation", "fact") in _events("Six people sent back last week were jailed.")


def test_a_date_of_a_places_past_dates_no_event() -> None:
    (inc,) = _incidents(
        "Police arrested five North Koreans in Tumen on May 27. They are now held in Jilin, "
        "the city where the family lived before it fled in 2012."
    )
    assert inc["when"] == {"start": "2017-05-27", "end": "2017-05-27", "precision": "day"}


def test_raids_carried_out_are_the_arrest() -> None:
    assert _events("On May 5 police in Tumen carried out two raids a few streets apart.") == [
        ("arrest", "fact")
    ]
    assert _events("Police will carry out raids in Tumen.") == []


def test_a_person_after_by_is_an_agent_not_a_victim() -> None:
    (inc,) = _incidents(
        "Police arrested fourteen North Koreans in Tumen on May 5 at a house rented by a "
        "Chinese farmer."
    )
    assert inc["victims"]["total"]["value"] == 14


def test_later_sections_of_a_one_group_report_tell_the_same_incident() -> None:
    (inc,) = _incidents(
        "Fourteen North Koreans were arrested in Tumen and returned to North Korea, a group "
        "said on Friday.\n\nArrest\n\nThe group had waited for a guide.\n\nThey had little money."
        "\n\nCustody\n\nOn May 9 the women were held at a police station in Jilin."
    )
    assert "detention" in inc["event_types"]


def test_an_episode_last_autumn_is_another_incident() -> None:
    incidents = _incidents(
        "Police arrested fourteen North Koreans in Tumen on May 5 and returned them.\n\n"
        "Last autumn, she said, a young couple caught in Jilin were returned within a week."
    )
    assert len(incidents) == 2


def test_a_day_after_a_month_name_is_no_count() -> None:
    (inc,) = _incidents(
        "Police arrested six North Korean women in Tumen on May 5. On May 9 the women were "
        "moved to Jilin. In March three people were caught in Tumen."
    )
    assert inc["victims"]["total"]["value"] == 6


def test_a_move_someone_was_allowed_is_a_move_done() -> None:
    assert _events(
        "In 2004 Vietnam allowed 468 North Koreans to be flown from Hanoi to Seoul."
    ) == [("deportation", "fact")]
    assert _events("Laos would not have allowed them to be deported.") == [
        ("deportation", "hypothetical")
    ]


def test_kin_counted_with_a_possessive_continue_a_list() -> None:
    (inc,) = _incidents(
        "Police in Tumen arrested a North Korean woman of 44 and her two daughters, aged 16 "
        "and 13, on May 3. The family was held at a police station. On Friday the three "
        "were moved to Jilin."
    )
    assert inc["victims"]["total"]["value"] == 3
    assert inc["victims"]["women"] == 1


def test_two_days_later_counts_from_the_sentence_just_before() -> None:
    (inc,) = _incidents(
        "Three North Koreans were sent back to North Korea on July 2, a relative said.\n\n"
        "They reached Tumen by bus on May 28. Two days later police stopped them at the port "
        "there."
    )
    assert inc["when"]["start"] == "2017-05-30"


def test_a_denial_in_the_next_sentence_takes_back_the_act_before() -> None:
    assert _events(
        "The report said that 20 North Koreans had been handed over to North Korea on the "
        "5th. They were not sent back."
    ) == [("repatriation", "negated"), ("repatriation", "negated")]
    assert ("repatriation", "fact") in _events(
        "Police returned 20 North Koreans to North Korea on the 5th. The guards were not sent back."
    )


def test_review_cases_stay_as_they_were() -> None:
    # Counts: the group's own count after ", where"; a stay "since March" or "between
    # January and April"; "as well as".
    (inc,) = _incidents(
        "The broker brought them to a village near Tumen, where police arrested 12 North "
        "Koreans on May 5."
    )
    assert inc["victims"]["total"]["value"] == 12
    (inc,) = _incidents("Eight North Koreans caught in Yanji have been in custody since March.")
    assert inc["victims"]["total"]["value"] == 8
    (inc,) = _incidents(
        "Fourteen North Koreans were held in Tumen between January and April and returned in May."
    )
    assert inc["victims"]["total"]["value"] == 14
    (inc,) = _incidents(
        "Police arrested a North Korean man as well as a North Korean woman in Tumen on May 3."
    )
    assert inc["victims"]["women"] == 1


def test_review_events_that_tell_no_custody() -> None:
    assert ("detention", "fact") not in _events(
        "Two North Korean defectors were questioned by reporters in Seoul on May 3."
    )
    assert ("arrest", "fact") not in _events(
        "Police raided a flat in Yanji on May 3. Nobody was arrested."
    )
    assert ("arrest", "fact") not in _events(
        "Police have carried out raids on North Koreans in Yanji for years."
    )
    assert ("deportation", "fact") not in _events(
        "Thailand has allowed North Koreans to be sent to South Korea for years."
    )
    assert _events("Six North Koreans were driven by a broker to the Laos border on May 3.") == []
    assert ("arrest", "fact") in _events(
        "Six North Korean women were taken from the flat to a police station in Tumen."
    )


def test_review_dates_that_stay() -> None:
    (inc,) = _incidents(
        "The flat where the six North Koreans had lived was raided by police on May 3 and "
        "they were arrested."
    )
    assert inc["when"]["start"] == "2017-05-03"
    (inc,) = _incidents(
        "Police arrested six North Koreans in Tumen on May 3. Their guide had been arrested "
        "on April 20. Two days later they were moved to Jilin."
    )
    assert inc["when"]["start"] == "2017-05-03"
    (inc,) = _incidents(
        "Police arrested six North Koreans in Tumen on May 3. Three days after the arrest "
        "of their guide, they were returned."
    )
    assert inc["when"]["end"] == "2017-05-03" or inc["when"]["end"] is None


def test_review_flags_that_do_not_fire() -> None:
    assert "publicity_risk" not in _flags(
        "The UN rapporteur drew attention to some 200 North Koreans at risk of forced return."
    )
    assert "publicity_risk" not in _flags(
        "Media coverage of the crackdown has grown since conditions got worse."
    )
    assert "family_requested_non_disclosure" not in _flags(
        "The family asked the court not to name the broker."
    )
    assert "family_requested_non_disclosure" not in _flags(
        "She asked not to be named; the family lives in Seoul."
    )


def test_a_newly_named_group_in_a_later_section_is_not_the_first_groups() -> None:
    incidents = _incidents(
        "Police arrested twelve North Koreans in Tumen on May 3, a group said.\n\n"
        "The twelve had hidden in a flat.\n\nThey had little money.\n\nThey ate once a day."
        "\n\nCrackdown\n\nIn June police in Jilin arrested North Korean workers who had left "
        "a factory."
    )
    twelve = next(i for i in incidents if (i["victims"]["total"] or {}).get("value") == 12)
    assert ("Jilin", "arrest") not in _roles(twelve)
