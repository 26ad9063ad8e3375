"""Incident segmentation and assembly."""

from __future__ import annotations

from fake_gazetteer import run


def test_a_breakdown_is_part_of_its_total_not_more_incidents() -> None:
    result = run("70 North Koreans were arrested in Shenyang. There were 50 adults and 20 minors.")
    (incident,) = result.incidents
    v = incident.victims
    assert (v.total.value if v.total else None, v.adults, v.minors) == (70, 50, 20)


def test_an_aggregate_statistic_is_not_an_incident() -> None:
    result = run("More than 670 North Koreans have been repatriated since 2020.")
    assert result.incidents == ()


def test_a_background_case_with_another_date_is_another_incident() -> None:
    result = run(
        "Last week, 12 North Koreans were arrested in Dandong.\n\n"
        "In October 2016, China repatriated about 60 North Koreans."
    )
    totals = [i.victims.total.value for i in result.incidents if i.victims.total]
    assert totals == [12, 60]


def test_a_restated_total_joins_its_incident() -> None:
    result = run(
        "70 North Koreans were detained in Tumen.\n\nThe 70 North Koreans were "
        "repatriated on July 20."
    )
    (incident,) = result.incidents
    assert incident.event_types == ("detention", "repatriation")
    assert incident.destination_country == "KP"
    assert incident.status == "repatriated"


def test_pending_repatriation_sets_the_status() -> None:
    (incident,) = run(
        "Five North Korean women were arrested in Shenyang and face repatriation."
    ).incidents
    assert incident.status == "repatriation_pending"
    assert incident.victims.women == 5


def test_a_negated_repatriation_is_no_event() -> None:
    (incident,) = run(
        "Ten North Koreans were arrested in Shenyang but were not repatriated."
    ).incidents
    assert incident.event_types == ("arrest",)


def test_every_evidence_span_is_short_and_in_the_text() -> None:
    text = "Recently, 70 North Korean defectors were detained in Tumen a month ago."
    (incident,) = run(text).incidents
    for key, spans in incident.evidence:
        for s, e in spans:
            assert 0 <= s < e <= len(text) and e - s <= 120, key
    assert text[slice(*dict(incident.evidence)["victims.total"][0])] == "70"
