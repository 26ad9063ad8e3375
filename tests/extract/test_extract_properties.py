"""Property tests: any text extracts without error, and every span states its value."""

from __future__ import annotations

import re

from fake_gazetteer import run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

WORDS = [
    "70",
    "seventy",
    "about",
    "more",
    "than",
    "North",
    "Korean",
    "defectors",
    "women",
    "children",
    "were",
    "not",
    "arrested",
    "repatriated",
    "sent",
    "back",
    "to",
    "in",
    "Shenyang",
    "Tumen",
    "Jilin",
    "province",
    "on",
    "July",
    "25",
    "a",
    "month",
    "ago",
    "since",
    "2020",
    "source",
    "said",
    ",",
    ".",
    "\n",
    "the",
    "between",
    "and",
    "60",
    "dozens",
    "of",
    "detention",
    "center",
    "face",
    "repatriation",
]
NUMBER_WORDS = {"one": 1, "two": 2, "a": 1, "an": 1, "dozen": 12, "dozens": 12, "hundreds": 100}


def _states(snippet: str, value: int) -> bool:
    digits = {int(d.replace(",", "")) for d in re.findall(r"\d[\d,]*", snippet)}
    if value in digits:
        return True
    from refuge.extract.lang.en import NUMBERS

    return any(w in snippet.lower() for w in (*NUMBERS.units, *NUMBER_WORDS))


def _check(text: str) -> None:
    result = run(text)
    for inc in result.incidents:
        values = {
            "victims.total": inc.victims.total.value if inc.victims.total else None,
            "victims.adults": inc.victims.adults,
            "victims.minors": inc.victims.minors,
            "victims.women": inc.victims.women,
            "victims.men": inc.victims.men,
        }
        for key, spans in inc.evidence:
            for s, e in spans:
                assert 0 <= s < e <= len(text)
                value = values.get(key)
                if value is not None:
                    assert _states(text[s:e], value), (key, text[s:e], value)
        for idx, place in enumerate(inc.places):
            s, e = dict(inc.evidence)[f"places.{idx}"][0]
            assert text[s:e].lower() in {place.name.lower(), "shenyang city"}
    for ref in result.legal_references:
        assert 0 <= ref.span[0] < ref.span[1] <= len(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_text_extracts_without_error(text: str) -> None:
    _check(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=60))
def test_report_like_text_gives_valid_spans_that_state_their_values(words: list[str]) -> None:
    _check(" ".join(words))
