"""Event triggers: tense, modality, negation."""

from __future__ import annotations

from fake_gazetteer import GAZETTEER

from refuge.extract.pipeline import build_pipeline


def events(text: str) -> list[tuple[str, str]]:
    nlp, _ = build_pipeline("en", GAZETTEER)
    return [(e.type, e.modality) for e in nlp(text)._.refuge_events]


def test_a_past_passive_is_a_fact() -> None:
    assert events("They were repatriated in May.") == [("repatriation", "fact")]
    assert events("They were sent back to North Korea.") == [("repatriation", "fact")]
    assert events("Police released them.") == [("release", "fact")]
    assert events("They were released.") == [("release", "fact")]


def test_a_split_phrasal_verb_is_a_repatriation() -> None:
    assert events("China sent about 50 North Koreans back.") == [("repatriation", "fact")]


def test_risk_and_facing_are_pending() -> None:
    assert events("They face repatriation.") == [("repatriation", "pending")]
    assert events("They are at risk of being sent back.") == [("repatriation", "pending")]


def test_a_negated_event_is_not_a_fact() -> None:
    assert events("They were not repatriated.") == [("repatriation", "negated")]


def test_advocacy_and_attributive_uses_are_not_events() -> None:
    assert events("China should stop repatriating them.")[0][1] != "fact"
    assert events("The detained refugees hesitate.")[0][1] == "attributive"
    assert events("He held a briefing.")[0][1] != "fact"


def test_a_nominal_event_is_a_fact_only_when_completed() -> None:
    assert events("The repatriation has been completed.")[0][1] == "fact"
    assert events("The repatriation is a concern.")[0][1] != "fact"


def test_it_reads_the_destination_after_the_trigger() -> None:
    nlp, _ = build_pipeline("en", GAZETTEER)
    (e,) = nlp("They were sent back to North Korea.")._.refuge_events
    assert e.destination == "KP"
