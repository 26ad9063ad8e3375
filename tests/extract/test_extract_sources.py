"""Named and anonymous sources."""

from __future__ import annotations

from fake_gazetteer import GAZETTEER

from refuge.extract.pipeline import build_pipeline


def sources(text: str) -> list[tuple[str, bool, str | None, str | None]]:
    nlp, _ = build_pipeline("en", GAZETTEER)
    return [(s.text, s.anonymous, s.name, s.affiliation) for s in nlp(text)._.refuge_sources]


def test_it_finds_an_anonymous_source_and_its_description() -> None:
    assert sources("A source familiar with the matter who lives there said so.") == [
        ("A source familiar with the matter", True, None, None)
    ]


def test_a_named_source_has_a_name_and_affiliation() -> None:
    found = sources("Kim Min Ho, director of research at the Seoul Refugee Centre, said so.")
    assert found[0][1:] == (False, "Kim Min Ho", "Seoul Refugee Centre")


def test_a_source_who_asked_for_anonymity_is_anonymous() -> None:
    found = sources("A resident of the city, who asked for anonymity, said they were taken.")
    assert found and found[0][1] is True
