"""The publishing part of records.json: releases and embargoes, and the rules they keep."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from refuge.sample import SampleDataError, load_sample_data

Records = dict[str, Any]
Edit = Callable[[Callable[[Records], object]], Path]


def test_the_sample_releases_to_the_public_and_to_partners_and_embargoes_one() -> None:
    data = load_sample_data()
    audiences = {r.audience for r in data.releases}
    assert audiences == {"public", "partners"}
    assert any(e.condition == "family_consents" for e in data.embargoes)
    assert all("SAMPLE DATA" in r.public_summary for r in data.releases)
    keys = {i.key for i in data.incidents}
    assert {r.incident for r in data.releases} <= keys
    # The public text is written apart from the internal one: never a copy of it.
    internal = {i.key: (i.title, i.summary) for i in data.incidents}
    for release in data.releases:
        assert release.public_title not in internal[release.incident]
        assert release.public_summary not in internal[release.incident]


BROKEN: list[tuple[str, Callable[[Records], object], str, str]] = [
    (
        "released and embargoed",
        lambda r: r["publishing"]["embargoes"][0].update(incident="i02"),
        "R092",
        "both released and under embargo",
    ),
    (
        "public summary not marked",
        lambda r: r["publishing"]["releases"][0].update(public_summary="A real-looking text."),
        "R097",
        "SAMPLE DATA",
    ),
    (
        "unknown audience",
        lambda r: r["publishing"]["releases"][0].update(audience="everyone"),
        "R095",
        "audience",
    ),
    (
        "unknown condition",
        lambda r: r["publishing"]["embargoes"][0].update(condition="never"),
        "R095",
        "condition",
    ),
    (
        "neither date nor condition",
        lambda r: r["publishing"]["embargoes"][0].pop("condition"),
        "R091",
        "until day or a condition",
    ),
    (
        "unknown incident",
        lambda r: r["publishing"]["releases"][0].update(incident="i99"),
        "R092",
        "'i99'",
    ),
    (
        "released twice to one audience",
        lambda r: r["publishing"]["releases"].append(dict(r["publishing"]["releases"][0])),
        "R092",
        "release",
    ),
]


@pytest.mark.parametrize(
    ("change", "code", "words"),
    [case[1:] for case in BROKEN],
    ids=[case[0] for case in BROKEN],
)
def test_a_broken_publishing_section_is_refused_with_its_code(
    edit_records: Edit, change: Callable[[Records], object], code: str, words: str
) -> None:
    with pytest.raises(SampleDataError) as refused:
        load_sample_data(edit_records(change))
    assert refused.value.code == code
    assert words in refused.value.message
