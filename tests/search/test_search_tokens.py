"""The terms of index and query: CJK runs as bigrams, Latin words as words, normalised."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from refuge.search import index_terms, query_phrases, query_terms
from refuge.search.tokens import MAX_TERMS, MAX_WORD_LENGTH, tokens


def test_a_korean_run_is_cut_into_overlapping_syllable_pairs() -> None:
    assert index_terms("강제북송됐다") == ["강제", "제북", "북송", "송됐", "됐다"]


def test_a_korean_term_inside_a_run_is_among_the_run_s_terms() -> None:
    terms = index_terms("일가족 5명이 공안에 체포되어 강제북송됐다.")
    for word in ("북송", "체포", "공안"):
        assert query_terms(word)[0] in terms


def test_a_chinese_run_is_cut_into_pairs_of_characters() -> None:
    assert index_terms("被遣返回朝鲜") == ["被遣", "遣返", "返回", "回朝", "朝鲜"]


def test_a_lone_cjk_character_is_its_own_term() -> None:
    assert index_terms("北 and 南") == ["北", "and", "南"]


def test_latin_words_are_casefolded_and_split_on_punctuation() -> None:
    assert index_terms("ARRESTED in Tumen, O'Brien said: “sent back”.") == [
        "arrested",
        "in",
        "tumen",
        "o",
        "brien",
        "said",
        "sent",
        "back",
    ]


def test_full_width_letters_and_compatibility_forms_match_their_plain_forms() -> None:
    assert index_terms("ＴＵＭＥＮ ２０２４") == ["tumen", "2024"]
    assert index_terms("Straße") == ["strasse"]


def test_mixed_text_cuts_each_run_by_its_own_script() -> None:
    assert index_terms("COVID19확진 图们市") == ["covid19", "확진", "图们", "们市"]


def test_korean_and_chinese_runs_side_by_side_are_not_paired_across_scripts() -> None:
    assert index_terms("북송遣返") == ["북송", "遣返"]


def test_an_over_long_word_is_left_out() -> None:
    assert index_terms("a" * (MAX_WORD_LENGTH + 1) + " kept") == ["kept"]


def test_a_huge_text_stops_at_the_term_limit() -> None:
    assert len(index_terms("word " * (MAX_TERMS + 10))) == MAX_TERMS


def test_a_query_keeps_each_cjk_run_as_one_phrase() -> None:
    assert query_phrases("강제북송 Tumen 遣返") == [("강제", "제북", "북송"), ("tumen",), ("遣返",)]


def test_quoted_words_are_one_phrase() -> None:
    assert query_phrases('"forced return" Tumen') == [("forced", "return"), ("tumen",)]


def test_a_repeated_phrase_is_asked_once() -> None:
    assert query_phrases("tumen Tumen TUMEN") == [("tumen",)]


def test_punctuation_alone_gives_no_phrase() -> None:
    assert query_phrases("?! — ...") == []


def test_token_spans_point_at_the_original_text() -> None:
    text = "Ｔｕｍｅｎ: 강제북송"
    assert [(t.term, text[t.start : t.end]) for t in tokens(text)] == [
        ("tumen", "Ｔｕｍｅｎ"),
        ("강제", "강제"),
        ("제북", "제북"),
        ("북송", "북송"),
    ]


@given(st.text(max_size=200))
def test_every_term_holds_only_letters_and_digits(text: str) -> None:
    # Both engines' word splitters must keep each term whole (see tokens.py).
    for term in index_terms(text) + query_terms(text):
        assert term and all(c.isalnum() for c in term), term


@given(st.text(alphabet="강제북송됐다遣返回朝鲜 abcXYZ", min_size=1, max_size=40))
def test_every_query_phrase_of_a_text_is_found_in_the_text_s_own_terms(text: str) -> None:
    terms = index_terms(text)
    joined = " " + " ".join(terms) + " "
    for phrase in query_phrases(text):
        assert " " + " ".join(phrase) + " " in joined
