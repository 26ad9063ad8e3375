from __future__ import annotations

import pytest

from refuge.web.review.display import claim_value_text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ({"value": 11, "min": 11, "max": 11, "qualifier": "exact"}, "11"),
        ({"value": 60, "min": 60, "max": 60, "qualifier": "approx"}, "about 60"),
        ({"value": 670, "min": 670, "max": None, "qualifier": "at_least"}, "at least 670"),
        ({"value": None, "min": None, "max": 20, "qualifier": "at_most"}, "at most 20"),
        ({"value": 55, "min": 50, "max": 60, "qualifier": "range"}, "50–60"),
        ({"name": "Tumen", "role": "detention", "country": "CN"}, "Tumen (detention)"),
        ({"start": "2017-06", "end": "2017-07", "precision": "month"}, "2017-06 – 2017-07"),
        ({"start": "2024-04", "end": "2024-04", "precision": "month"}, "2024-04"),
        ("KP", "KP"),
        (12, "12"),
        (None, "—"),
        ([{"name": "Tumen"}, {"name": "Hunchun"}], "Tumen, Hunchun"),
        ({"a": 1, "b": [2, 3]}, "a: 1; b: 2, 3"),
    ],
)
def test_a_claim_value_is_shown_the_way_a_report_would_say_it(value: object, text: str) -> None:
    assert claim_value_text(value) == text
