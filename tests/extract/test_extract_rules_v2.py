"""Rules added for the development corpus, each on sentences written for these tests."""

from __future__ import annotations

from fake_gazetteer import GAZETTEER, run

from refuge.extract.pipeline import build_pipeline


def _counts(text: str) -> list[tuple[int, str]]:
    nlp, _ = build_pipeline("en", GAZETTEER)
    return [(c.value, c.category) for c in nlp(text)._.refuge_counts]


def _events(text: str) -> list[tuple[str, str]]:
    nlp, _ = build_pipeline("en", GAZETTEER)
    doc = nlp(text)
    return [(e.type, e.modality) for e in doc._.refuge_events]


def test_a_number_with_a_copula_names_a_part() -> None:
    assert _counts("Three are children.") == [(3, "minors")]


def test_a_subset_of_the_group_under_eighteen_is_minors_and_the_whole_is_not_recounted() -> None:
    assert _counts("Two of the nine were under eighteen.") == [(2, "minors")]


def test_an_age_range_is_not_an_aggregate() -> None:
    nlp, _ = build_pipeline("en", GAZETTEER)
    doc = nlp("Six North Korean women, aged between 20 and 35, were detained.")
    assert [(c.value, c.aggregate) for c in doc._.refuge_counts] == [(6, False)]


def test_a_habitual_sentence_reports_no_event() -> None:
    found = _events("Detainees in Tumen are usually sent back within a month.")
    assert found and all(m == "generic" for _, m in found)


def test_a_denied_claim_is_not_a_fact() -> None:
    found = _events("The ministry denied reports that refugees had been repatriated.")
    assert ("repatriation", "negated") in found


def test_an_active_return_with_an_object_is_a_repatriation() -> None:
    assert ("repatriation", "fact") in _events("Police returned eight people to the North.")


def test_a_handover_to_another_countrys_police_is_a_deportation() -> None:
    nlp, _ = build_pipeline("en", GAZETTEER)
    doc = nlp("Lao police handed the family to Chinese border guards.")
    found = [(e.type, e.destination) for e in doc._.refuge_events]
    assert ("deportation", "CN") in found


def test_an_unnamed_source_makes_the_incident_anonymous() -> None:
    text = (
        "Eight North Koreans were arrested in Shenyang on July 3. "
        "A villager who saw the raid said they were taken away, asking not to be named."
    )
    inc = run(text).incidents[0]
    assert any(s.anonymous for s in inc.sources)


def test_a_closing_anonymity_sentence_reaches_the_incident() -> None:
    text = (
        "Five North Koreans were arrested in Dandong on July 10, a contact said.\n\n"
        "Our contact cannot be named for safety."
    )
    inc = run(text).incidents[0]
    assert any(s.anonymous for s in inc.sources)


def test_named_institutions_alone_leave_the_incident_not_anonymous() -> None:
    text = "Four North Koreans were arrested in Dandong on July 2, the ministry said."
    inc = run(text).incidents[0]
    assert not any(s.anonymous for s in inc.sources)


def test_a_group_held_with_return_feared_is_pending_with_its_destination() -> None:
    text = (
        "Nine North Koreans were arrested in Shenyang on July 4. "
        "They are held in Shenyang and could be sent back at any time."
    )
    inc = run(text).incidents[0]
    assert inc.status == "repatriation_pending"
    assert inc.destination_country == "KP"


def test_the_documents_victim_nationality_fills_an_incident_that_names_none() -> None:
    text = (
        "North Koreans face a new wave of arrests.\n\n"
        "In Dandong, police arrested six people at a market on July 21."
    )
    inc = run(text).incidents[0]
    assert inc.victims.nationality == "KP"


def test_being_in_a_detention_centre_is_detention_at_its_place() -> None:
    text = (
        "Seven North Koreans were caught in Tumen on July 5. "
        "All seven are in a detention centre in Tumen."
    )
    inc = run(text).incidents[0]
    assert "detention" in inc.event_types
    assert any(p.role == "detention" and p.name == "Tumen" for p in inc.places)


def test_a_scene_setting_sentence_gives_the_event_its_date_and_place() -> None:
    text = (
        "In June 2016 a group of North Koreans waited at a flat in Shenyang. "
        "Police raided it and arrested them all."
    )
    inc = run(text).incidents[0]
    assert inc.when is not None and inc.when.start == "2016-06"
    assert any(p.role == "arrest" and p.name == "Shenyang" for p in inc.places)


def test_a_family_request_found_after_the_family_word_sets_the_flag() -> None:
    text = (
        "Nine North Koreans were held in Dandong. "
        "Names are withheld at the request of the families."
    )
    flags = {f.flag for f in run(text).sensitivity_flags}
    assert "family_requested_non_disclosure" in flags
