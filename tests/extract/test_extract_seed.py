"""End to end on the founding article, compared with the contract's example values."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from refuge.extract import extract

SEED = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "seed"
NAME = "dailynk-2017-07-china-repatriates-70.txt"


@pytest.fixture(scope="module")
def seed() -> tuple[str, dict]:  # type: ignore[type-arg]
    path = SEED / NAME
    if not path.exists():
        pytest.skip("../shared/corpus/seed is not available")
    text = path.read_text(encoding="utf-8")
    return text, extract(text, published=date(2017, 7, 26)).to_json()


def test_the_founding_article_gives_the_contracts_incident(seed: tuple[str, dict]) -> None:  # type: ignore[type-arg]
    _text, out = seed
    assert out["schema"] == "refuge.extraction/1"
    assert out["document"]["title"] == "China repatriates 70 North Korean defectors"
    (inc,) = out["incidents"]
    assert inc["event_types"] == ["arrest", "detention", "repatriation"]
    assert inc["victims"]["total"] == {"value": 70, "min": 70, "max": 70, "qualifier": "exact"}
    assert (inc["victims"]["adults"], inc["victims"]["minors"]) == (50, 20)
    assert inc["victims"]["nationality"] == "KP"
    if inc["places"]:  # needs the packaged gazetteer
        assert [(p["name"], p["role"]) for p in inc["places"]] == [
            ("Tumen", "detention"),
            ("Yunnan", "arrest"),
            ("Liaoning", "arrest"),
            ("Jilin", "arrest"),
        ]
        assert [e["places"] for e in inc["events"]] == [[1, 2, 3], [0], []]
        assert inc["facilities"] == [{"name": "Tumen's border detention center", "place": "Tumen"}]
    assert inc["destination_country"] == "KP"
    assert inc["when"] == {"start": "2017-06", "end": "2017-07", "precision": "month"}
    assert inc["status"] == "repatriated"
    assert inc["sources"][0]["text"] == "A source familiar with North Korean affairs in China"
    ev = inc["evidence"]
    assert ev["victims.total"] == [[55, 57]]
    assert ev["victims.adults"] == [[177, 179]]
    assert ev["victims.minors"] == [[191, 193]]
    assert ev["event_types.detention"] == [[86, 94]]
    assert ev["event_types.arrest"] == [[261, 269]]
    assert ev["event_types.repatriation"] == [[390, 399]]
    assert ev["status"] == [[614, 630]]
    assert ev["sources.0"] == [[435, 487]]
    assert {r["instrument"] for r in out["legal_references"]} == {
        "cn-kp-border-protocol-1986",
        "refugee-convention-1951",
        "un-coi-dprk-2014",
        "kr-constitution-art3",
        "kr-nk-human-rights-act-2016",
        "un-resolution",
    }
    flags = {f["flag"]: f["span"] for f in out["sensitivity_flags"]}
    assert flags["family_requested_non_disclosure"] == [750, 825]
    assert flags["minors_involved"] == [191, 249]
    assert set(flags) == {
        "family_requested_non_disclosure",
        "source_anonymity",
        "minors_involved",
        "publicity_risk",
    }
