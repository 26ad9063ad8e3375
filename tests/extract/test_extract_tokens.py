"""The plain token arrays, and the properties that keep extraction linear in the text."""

from __future__ import annotations

import gc
from datetime import date

import pytest
import spacy
from fake_gazetteer import GAZETTEER, run
from hypothesis import given, settings
from hypothesis import strategies as st

from refuge.extract.phrases import PhraseTable, longest_first
from refuge.extract.pipeline import _COMMON_ENGLISH, _WORD, _looks_binary, _plainly_english
from refuge.extract.tokens import Tokens

_NLP = spacy.blank("en")
_REPORT = (
    "Police in Dandong arrested seven North Koreans, among them a 14-year-old girl, on "
    "June 3.\n\nThey were held at the detention centre in Tumen. Two days later they were "
    "handed over to North Korea, a source said.\n\n"
)


@pytest.mark.parametrize(
    "text",
    [_REPORT, "a  b\t\tc\n\n d  ", "  leading and trailing  ", "x\u00a0y \u2003z", "", "one"],
)
def test_the_arrays_hold_what_spacy_tokens_hold(text: str) -> None:
    doc = _NLP.make_doc(text)
    toks = Tokens(doc, text)
    assert toks.texts == [t.text for t in doc]
    assert toks.words == [t.lower_ for t in doc]
    assert toks.starts == [t.idx for t in doc]
    assert Tokens(doc).text == text  # rebuilt from the doc when not given


def test_positions_lists_every_place_a_word_stands_in_order() -> None:
    toks = Tokens(_NLP.make_doc("the cat and the dog and the bird"), None)
    assert toks.positions(frozenset({"the", "and"})) == [0, 2, 3, 5, 6]
    assert toks.positions(frozenset({"fish"})) == []


def test_longest_first_keeps_the_longer_of_overlapping_spans() -> None:
    assert longest_first([(0, 2), (1, 4), (5, 6), (5, 6)]) == [(1, 4), (5, 6)]


def test_find_in_sees_only_phrases_inside_the_bounds() -> None:
    table = PhraseTable.of_set(lambda s: s.split(), ["sent back", "handed over"])
    toks = Tokens(_NLP.make_doc("they were sent back and then handed over"), None)
    assert table.find_in(toks, 0, 8) == (2, 2, True)
    assert table.find_in(toks, 3, 8) == (6, 2, True)
    assert table.find_in(toks, 3, 7) is None


def test_work_grows_linearly_with_the_length_of_the_text(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = [0]
    original = PhraseTable.at

    def counting(self: PhraseTable[object], *args: object) -> object:
        calls[0] += 1
        return original(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(PhraseTable, "at", counting)
    run(_REPORT, date(2021, 6, 30))
    once = calls[0]
    calls[0] = 0
    run(_REPORT * 16, date(2021, 6, 30))
    assert once > 0
    assert calls[0] <= 16 * once * 1.05


def test_extraction_leaves_the_cycle_collector_as_it_found_it() -> None:
    assert gc.isenabled()
    run(_REPORT)
    assert gc.isenabled()
    gc.disable()
    try:
        run(_REPORT)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_quick_english_check_never_contradicts_the_full_detector() -> None:
    from refuge.evidence.language import detect_language

    samples = [
        _REPORT,
        "Le chat est sur la table et le chien dort dans la maison de la famille.",
        "북한 이탈 주민 the and of the a the of",
        "the the the",
        "Names only: Kim, Lee, Park, Choi, Jung, Kang, Cho, Yoon, Jang, Lim.",
    ]
    for text in samples:
        if _plainly_english(text):
            assert detect_language(text) == "en"
    assert _plainly_english(_REPORT)


def test_control_characters_make_a_text_look_binary_but_whitespace_does_not() -> None:
    assert _looks_binary("\x00\x01\x02abc" * 10)
    assert not _looks_binary("line one\n\tline two\r\n\x0b\x0c")
    assert _looks_binary("\ufffd" * 10 + "abc")


def test_the_gazetteer_fixture_is_used() -> None:
    # The linearity figures above hold with places found, not only on empty results.
    result = run(_REPORT, date(2021, 6, 30))
    assert GAZETTEER is not None and result.incidents
    assert any(p.name == "Tumen" for p in result.incidents[0].places)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from([*"the a of and to was xyzé’İ", " ", ".", "\n", "1"]), max_size=120
    )
)
def test_the_quick_english_check_counts_words_as_a_plain_loop_would(sample: str) -> None:
    words = _WORD.findall(sample.lower())
    common = sum(1 for w in words if w in _COMMON_ENGLISH)
    letters = sum(len(w) for w in words)
    plain = letters >= 20 and common >= 2 and common >= 0.1 * len(words)
    assert _plainly_english(sample) == plain
