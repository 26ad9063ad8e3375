"""Rules of extractor 0.3.0 (ages, lone victims, dates told from the one before, groups
told apart in one paragraph), each on sentences written for these tests."""

from __future__ import annotations

from datetime import date

from fake_gazetteer import GAZETTEER, run

from refuge.extract.dates import resolve_after
from refuge.extract.pipeline import build_pipeline
from refuge.extract.result import When


def _counts(text: str) -> list[tuple[int, str, str | None]]:
    nlp, _ = build_pipeline("en", GAZETTEER)
    return [(c.value, c.category, c.ages) for c in nlp(text)._.refuge_counts]


def _victims(text: str, published: date = date(2021, 6, 30)) -> list[dict[str, object]]:
    return [i["victims"] for i in run(text, published).to_json()["incidents"]]


def _whens(text: str, published: date = date(2021, 6, 30)) -> list[object]:
    return [i["when"] for i in run(text, published).to_json()["incidents"]]


# -- ages ----------------------------------------------------------------------------------


def test_an_age_under_eighteen_makes_one_person_a_minor() -> None:
    assert _counts("Police detained a 16-year-old North Korean in Tumen.") == [(1, "minors", None)]


def test_an_age_written_in_words_makes_a_relative_a_minor() -> None:
    assert (1, "minors", None) in _counts(
        "Officers detained a North Korean and a nine-year-old son."
    )


def test_an_adult_age_makes_one_person_an_adult() -> None:
    assert _counts("Police arrested a 34-year-old North Korean in Dandong.") == [
        (1, "adults", None)
    ]


def test_ages_given_for_every_member_make_the_group_adults() -> None:
    victims = _victims(
        "Guards held three North Korean men, aged 22, 30 and 41, in Tumen on June 2."
    )
    assert victims[0]["total"]["value"] == 3  # type: ignore[index]
    assert victims[0]["adults"] == 3
    assert victims[0]["men"] == 3


def test_ages_under_eighteen_for_every_member_make_the_group_minors() -> None:
    counts = _counts("Four North Korean girls, aged 14 to 16, were arrested in Shenyang.")
    assert counts == [(4, "minors", None)]


def test_mixed_ages_decide_no_part() -> None:
    counts = _counts("Five North Koreans, aged 12 to 40, were arrested in Shenyang.")
    assert counts == [(5, "total", None)]


def test_a_group_in_their_forties_is_adults() -> None:
    victims = _victims(
        "Police arrested two North Koreans in Dandong on June 3.\n\n"
        "The two, both in their forties, were held in Tumen."
    )
    assert victims[0]["adults"] == 2


def test_one_person_in_his_forties_does_not_make_a_pair_adults() -> None:
    victims = _victims(
        "Police arrested two North Koreans in Dandong on June 3, a driver in his forties said."
    )
    assert victims[0]["adults"] is None


# -- lone victims and members ---------------------------------------------------------------


def test_a_lone_woman_is_a_woman_and_an_adult() -> None:
    victims = _victims("A North Korean woman was arrested in Dandong on June 4.")
    assert (victims[0]["women"], victims[0]["adults"], victims[0]["men"]) == (1, 1, None)


def test_a_lone_boy_is_a_minor_not_an_adult() -> None:
    victims = _victims("A North Korean boy was arrested in Dandong on June 4.")
    assert (victims[0]["minors"], victims[0]["adults"]) == (1, None)


def test_one_member_among_a_group_is_a_part() -> None:
    victims = _victims(
        "Nine North Koreans, among them a 12-year-old girl, were arrested in Shenyang on June 8."
    )
    assert victims[0]["total"]["value"] == 9  # type: ignore[index]
    assert victims[0]["minors"] == 1


def test_a_subset_after_of_them_needs_no_verb() -> None:
    assert _counts("Eleven North Koreans, four of them children, were arrested.") == [
        (11, "total", None),
        (4, "minors", None),
    ]


def test_an_unknown_word_between_nationality_and_noun_keeps_the_count() -> None:
    assert _counts("Three North Korean restaurant workers were detained.") == [(3, "total", None)]


def test_the_men_opening_a_sentence_names_the_whole_group_by_sex() -> None:
    victims = _victims(
        "Two North Koreans were arrested in Dandong on June 3.\n\n"
        "The men were held in Tumen for a week."
    )
    assert victims[0]["men"] == 2


# -- dates -----------------------------------------------------------------------------------


def test_days_later_counts_from_the_date_before() -> None:
    whens = _whens(
        "Police arrested eight North Koreans in Dandong on June 3. "
        "Three days later they were moved to the detention centre in Tumen."
    )
    assert whens == [{"start": "2021-06-03", "end": "2021-06-06", "precision": "day"}]


def test_a_date_after_its_verb_dates_that_verb() -> None:
    whens = _whens(
        "Police caught six North Koreans in Dandong last Thursday and handed them back "
        "to North Korea two days later."
    )
    # Published Wednesday 30 June 2021: last Thursday is the 24th.
    assert whens == [{"start": "2021-06-24", "end": "2021-06-26", "precision": "day"}]


def test_the_following_weekday_and_the_same_evening_resolve_from_a_day() -> None:
    ref = When("2021-06-03", "2021-06-03", "day")  # a Thursday
    assert resolve_after(ref, ("weekday", 0)) == When("2021-06-07", "2021-06-07", "day")
    assert resolve_after(ref, ("day", 0)) == ref
    assert resolve_after(ref, ("month", 0)) == When("2021-06", "2021-06", "month")


def test_a_day_counted_from_a_week_is_not_invented() -> None:
    week = When("2021-06-07", "2021-06-13", "day")
    assert resolve_after(week, ("day", 2)) is None
    assert resolve_after(week, ("day", 0)) is None


def test_a_range_of_days_in_one_month_is_one_date() -> None:
    whens = _whens("Police arrested twelve North Koreans in Dandong between June 3 and 9.")
    assert whens == [{"start": "2021-06-03", "end": "2021-06-09", "precision": "day"}]


def test_a_day_inside_a_week_dates_the_same_event_more_precisely() -> None:
    whens = _whens(
        "Police in Dandong arrested North Koreans twice this week.\n\n"
        "On Monday, officers arrested five North Koreans at a hotel in Dandong."
    )
    assert whens[0] == {"start": "2021-06-28", "end": "2021-06-28", "precision": "day"}


def test_a_speech_verb_in_the_sentence_before_does_not_make_a_date_the_telling() -> None:
    nlp, _ = build_pipeline("en", GAZETTEER)
    doc = nlp.make_doc("Police arrested them, a resident said. On Monday, five more were held.")
    doc.user_data["refuge.published"] = date(2021, 6, 30)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    assert [d.speech for d in doc._.refuge_dates] == [False]


# -- groups in one paragraph ---------------------------------------------------------------


def test_the_same_event_on_another_day_is_another_group() -> None:
    victims = _victims(
        "On Monday, police arrested six North Koreans at a hostel in Dandong. "
        "On Wednesday, two North Korean women were arrested at a market in Shenyang."
    )
    totals = [v["total"]["value"] for v in victims]  # type: ignore[index]
    assert totals == [6, 2]
    assert victims[1]["women"] == 2


def test_another_account_of_the_same_group_stays_one_incident() -> None:
    victims = _victims(
        "Police said 12 North Koreans were arrested in Dandong on June 3. "
        "Relatives said 15 North Koreans were arrested."
    )
    assert [v["total"]["value"] for v in victims] == [12]  # type: ignore[index]


def test_a_child_the_group_includes_is_a_minor_of_that_group() -> None:
    victims = _victims(
        "Police arrested eight North Koreans in Dandong on June 2.\n\n"
        "The eight include three women and a child, a source said."
    )
    assert victims[0]["total"]["value"] == 8  # type: ignore[index]
    assert victims[0]["minors"] == 1


def test_a_child_in_passing_is_not_counted() -> None:
    assert _counts("A child watched as the police left.") == []


def test_the_man_opening_an_incident_is_the_man_introduced_just_before() -> None:
    victims = _victims(
        "A court in Dandong ordered the expulsion of a North Korean man on June 20.\n\n"
        "The man was arrested in May at a market in Dandong."
    )
    assert (victims[0]["total"]["value"], victims[0]["men"]) == (1, 1)  # type: ignore[index]
