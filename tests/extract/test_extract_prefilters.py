"""Cheap pre-tests that spare the finders most positions never drop a mention: on any text
each finder returns exactly what trying every position (the plain loop, kept here as the
reference) returns."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import example, given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc

from refuge.extract.lang import tables_for
from refuge.extract.numbers import NumberFinder
from refuge.extract.phrases import sentence_bounds
from refuge.extract.pipeline import _tokenizer_of, build_pipeline
from refuge.extract.places import PlaceFinder, PlaceMention
from refuge.extract.sentences import set_sentences
from refuge.extract.sources import SourceFinder, SourceMention
from refuge.extract.tokens import tokens_of

_NLP, _ = build_pipeline("en", None)
_TABLES = tables_for("en")
assert _TABLES is not None
_TOKENIZE = _tokenizer_of(_NLP)

# Words and phrases of the tables, mixed with names, punctuation and line breaks, so that
# random texts hit the rules often.
_SOURCE_WORDS = [
    "a",
    "an",
    "the",
    "two",
    "local",
    "other",
    "source",
    "sources",
    "insiders",
    "resident",
    "official",
    "officials",
    "familiar with",
    "North Korean",
    "said",
    "told",
    "according to",
    "Kim",
    "Lee Kyu Chang",
    ",",
    ", director of",
    "at",
    "Korea Institute",
    "Human Rights Watch",
    "Daily NK",
    "asked not to be named",
    "anonymity",
    "who",
    "in",
    "China",
    ".",
    "\n\n",
]


def _doc(text: str) -> Doc:
    return set_sentences(_NLP.make_doc(text))


def _sources_every_position(finder: SourceFinder, doc: Doc) -> list[SourceMention]:
    """``SourceFinder.find`` as it was before its pre-tests: every start is tried, and the
    sources the text goes on to name are then marked named (``_named_later``), as ``find``
    has always done after its loop."""
    toks = tokens_of(doc)
    words = toks.words
    out: list[SourceMention] = []
    starts = sorted({*toks.positions(finder._openers), *toks.capitalised()})
    speaking = {toks.sentence_of(k) for k in toks.positions(finder.t.speech_verbs)}
    bounds = sentence_bounds(doc)
    k = 0
    while k < len(starts):
        sent = toks.sentence_of(starts[k])
        s, e = bounds[sent]
        anon_sentence = finder.anonymity.find_in(toks, s, e) is not None
        speaks = sent in speaking
        taken_until = -1
        while k < len(starts) and starts[k] < e:
            i = starts[k]
            k += 1
            if i < taken_until:
                continue
            m = None
            if words[i] in finder._openers:
                m = finder._anonymous(toks, i, e, speaks, anon_sentence)
            if m is None and toks.texts[i][:1].isupper():
                m = finder._named(toks, i, e, anon_sentence)
            if m is not None:
                out.append(m)
                taken_until = m.tok_end
    return finder._named_later(toks, out)


_SOURCES = SourceFinder(_TABLES.sources, _TOKENIZE)


_NAMED_AND_WITHHELD = (
    "Lee Kyu Chang , director of the Korea Institute , said the man , who asked not to be named"
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_SOURCE_WORDS), max_size=40))
@example([_NAMED_AND_WITHHELD])
@example(["a resident who asked not to be named . according to Kim"])
@example(["said", "sources", ",", "Korea Institute"])
def test_sources_found_with_pre_tests_are_those_every_position_gives(words: list[str]) -> None:
    doc = _doc(" ".join(words))
    assert _SOURCES.find(doc) == _sources_every_position(_SOURCES, doc)


def test_a_source_named_right_after_it_is_named_in_both_paths() -> None:
    # Found by the property above: the reference once stopped before ``_named_later``, so
    # it kept "sources" anonymous where ``find`` (rightly) does not.
    doc = _doc(" ".join(["said", "sources", ",", "Korea Institute"]))
    found = _SOURCES.find(doc)
    assert found == _sources_every_position(_SOURCES, doc)
    assert [(m.text, m.anonymous) for m in found] == [("sources", False)]


def test_the_source_vocabulary_does_find_sources() -> None:
    # The property above means something only if such texts hold sources of both kinds.
    doc = _doc(
        "a local source said . Kim Kyu Chang , director of the Korea Institute , said it"
        " .\n\naccording to Human Rights Watch"
    )
    found = _SOURCES.find(doc)
    assert [m.anonymous for m in found] == [True, False, False]
    assert _SOURCES.find(_doc(_NAMED_AND_WITHHELD))[0].anonymous


_NUMBER_WORDS = [
    "a",
    "an",
    "one",
    "two",
    "twenty",
    "-",
    "five",
    "hundred",
    "thousand",
    "dozen",
    "dozens",
    "and",
    "between",
    "more than",
    "about",
    "up to",
    "or more",
    "60",
    "1,200",
    "of",
    "people",
    ".",
]
_NUMBERS = NumberFinder(_TABLES.numbers, _TOKENIZE)
_NUMBERS_EVERYWHERE = NumberFinder(_TABLES.numbers, _TOKENIZE)
_NUMBERS_EVERYWHERE._bare_articles = frozenset()  # every article is tried


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_NUMBER_WORDS), max_size=30))
@example(["a hundred", "and", "an", "dozen", "a", "thousand", "a", "people"])
def test_numbers_found_skipping_bare_articles_are_those_trying_them_gives(words: list[str]) -> None:
    doc = _doc(" ".join(words))
    assert _NUMBERS.find(doc) == _NUMBERS_EVERYWHERE.find(doc)


_PLACES = PlaceFinder(_TABLES.places, None, _TOKENIZE, _NLP.vocab)


def _locators_reading_every_gap(words: list[str], found: list[PlaceMention]) -> list[bool]:
    """``PlaceFinder._mark_locators`` as it was: every word between two places is read."""
    t = _PLACES.t
    out: list[PlaceMention] = []
    for k, p in enumerate(found):
        locator = False
        if k > 0:
            q = found[k - 1]
            between = [w for w in words[q.tok_end : p.tok_start] if w not in ("the", "’s", "'s")]
            between = [w for w in between if w not in t.kind_words]
            close = (
                len(between) <= 6
                and all(w in t.locator_preps or w in t.kind_words or w.isalpha() for w in between)
                and any(w in t.locator_preps for w in between[-2:] or [","])
            )
            if close and _PLACES._contains(p, q):
                locator = True
            if close and not locator and out and out[-1].locator and k > 1:
                locator = _PLACES._contains(p, found[k - 2])
        out.append(replace(p, locator=True) if locator else p)
    return [p.locator for p in out]


_GAP_WORDS = ["the", "’s", "in", ",", "of", "near", "province", "city", "county", "and", "x", "1"]
_KINDS = [("province", "admin1"), ("city", "city"), ("country", "country")]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(_GAP_WORDS), max_size=12),
            st.integers(1, 2),
            st.sampled_from(_KINDS),
            st.sampled_from(["A", "B"]),
        ),
        max_size=6,
    )
)
def test_locators_found_reading_short_gaps_are_those_reading_every_gap(
    layout: list[tuple[list[str], int, tuple[str, str], str]],
) -> None:
    words: list[str] = []
    found: list[PlaceMention] = []
    for gap, length, (kind, precision), admin1 in layout:
        words.extend(gap)
        start = len(words)
        words.extend(["name"] * length)
        found.append(
            PlaceMention(
                0,
                0,
                start,
                len(words),
                "N",
                kind,
                precision,
                "CN",
                admin1,
                None,
                None,
                f"id{start}",
                None,
                False,
            )
        )
    marked = [p.locator for p in _PLACES._mark_locators(_doc(""), words, found)]
    assert marked == _locators_reading_every_gap(words, found)
