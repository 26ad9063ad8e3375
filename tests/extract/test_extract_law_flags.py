"""Legal references and sensitivity flags."""

from __future__ import annotations

from fake_gazetteer import run


def test_it_finds_instruments_by_name_and_context() -> None:
    result = run(
        "China acceded to the Refugee Convention. The UN adopted resolutions on "
        "it. Article 3 of the South Korean Constitution applies, as does the "
        "1986 border protocol."
    )
    ids = {r.instrument for r in result.legal_references}
    assert ids == {
        "refugee-convention-1951",
        "un-resolution",
        "kr-constitution-art3",
        "cn-kp-border-protocol-1986",
    }


def test_a_resolution_without_a_un_body_is_not_a_un_resolution() -> None:
    assert run("The council passed a resolution on parking.").legal_references == ()


def test_the_us_act_of_the_same_name_is_not_the_korean_one() -> None:
    result = run("The U.S. passed the North Korean Human Rights Act in 2004.")
    assert result.legal_references == ()


def test_it_flags_family_requests_publicity_risk_and_anonymity() -> None:
    text = (
        "We did not report the case because of requests from the families. Media "
        "reports may worsen their punishment. A resident who asked for anonymity said "
        "20 children were among 70 North Koreans arrested in Shenyang."
    )
    result = run(text)
    flags = {f.flag: text[f.span[0] : f.span[1]] for f in result.sensitivity_flags}
    assert flags["family_requested_non_disclosure"].startswith("did not report")
    assert flags["publicity_risk"] == "Media reports may worsen"
    assert flags["source_anonymity"] == "asked for anonymity"
    assert flags["minors_involved"].startswith("20")
