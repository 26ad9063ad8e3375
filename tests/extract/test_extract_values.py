"""The components' values on a Doc: what ``put`` stores is what ``doc._`` reads, and back."""

from __future__ import annotations

from datetime import date

import pytest
import spacy
from fake_gazetteer import run

from refuge.extract import values
from refuge.extract.values import NAMES, get, put

_NLP = spacy.blank("en")


def test_a_value_put_is_read_through_the_extension_attribute() -> None:
    doc = _NLP.make_doc("Seven were held.")
    for name in NAMES:
        marker = [name]
        put(doc, name, marker)
        assert getattr(doc._, name) is marker
        assert get(doc, name) is marker


def test_a_value_set_through_the_extension_attribute_is_read_by_get() -> None:
    doc = _NLP.make_doc("Seven were held.")
    assert all(get(doc, name) is None for name in NAMES)
    marker = object()
    doc._.refuge_events = marker
    assert get(doc, "refuge_events") is marker


def test_the_installed_spacy_keeps_extension_values_where_put_writes_them() -> None:
    # Otherwise put/get fall back to doc._ and extraction is correct but slower.
    assert values._DIRECT


def test_extraction_is_the_same_through_the_extension_attributes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = (
        "Police in Dandong arrested seven North Koreans on June 3, a source said.\n\n"
        "They were handed over to North Korea two days later."
    )
    direct = run(text, date(2021, 6, 30)).to_json()
    monkeypatch.setattr(values, "_DIRECT", False)
    assert run(text, date(2021, 6, 30)).to_json() == direct
