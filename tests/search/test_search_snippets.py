"""Snippets: a window around the first match, with every match in it marked."""

from __future__ import annotations

from refuge.search import query_terms, snippet


def test_it_opens_the_window_near_the_first_match_and_marks_it() -> None:
    text = "filler " * 100 + "were arrested in Tumen" + " tail" * 100
    cut = snippet(text, query_terms("arrested"), width=80)
    assert [cut.text[a:b] for a, b in cut.marks] == ["arrested"]
    assert cut.starts_inside and cut.ends_inside
    assert len(cut.text) <= 80


def test_overlapping_bigram_matches_are_marked_as_one_span() -> None:
    cut = snippet("일가족이 강제북송됐다", query_terms("강제북송"))
    assert [cut.text[a:b] for a, b in cut.marks] == ["강제북송"]


def test_without_a_match_it_shows_the_beginning() -> None:
    cut = snippet("Nothing here matches.", ["absent"])
    assert cut.text == "Nothing here matches." and cut.marks == ()
    assert not cut.starts_inside and not cut.ends_inside
