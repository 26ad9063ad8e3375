"""The speed mechanics of the phrase tables and match filters give exactly the answers of
the plain versions they replace."""

from __future__ import annotations

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Span
from spacy.util import filter_spans

from refuge.extract.phrases import PhraseTable, filter_matches
from refuge.extract.tokens import Tokens

_NLP = spacy.blank("en")
_DOC = _NLP.make_doc(" ".join(["w"] * 30))

_MATCHES = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 29), st.integers(1, 4)).map(
        lambda t: (t[0], t[1], min(30, t[1] + t[2]))
    ),
    max_size=25,
)


@settings(max_examples=300, deadline=None)
@given(_MATCHES)
def test_filter_matches_keeps_exactly_the_spans_spacy_keeps(
    matches: list[tuple[int, int, int]],
) -> None:
    labels = [f"L{label}" for label in range(4)]
    spans = [Span(_DOC, s, e, label=labels[m]) for m, s, e in matches]
    expected = [(labels.index(sp.label_), sp.start, sp.end) for sp in filter_spans(spans)]
    assert filter_matches(matches) == expected


_VOCAB = ["a", "b", "c", "d"]
_PHRASES = st.dictionaries(
    st.lists(st.sampled_from(_VOCAB), min_size=1, max_size=4).map(" ".join),
    st.one_of(st.integers(0, 9), st.none()),
    max_size=12,
)


def _plain_at(table: dict[tuple[str, ...], object], words: list[str], i: int, limit: int | None):  # type: ignore[no-untyped-def]
    """The longest phrase at ``i``, by trying every length: what the tables must answer."""
    if i < 0 or i >= len(words):
        return None
    end_limit = len(words) if limit is None else min(limit, len(words))
    for n in sorted({len(k) for k in table}, reverse=True):
        if i + n <= end_limit and table.get(tuple(words[i : i + n])) is not None:
            return n, table[tuple(words[i : i + n])]
    return None


@settings(max_examples=300, deadline=None)
@given(_PHRASES, st.lists(st.sampled_from(_VOCAB), max_size=12))
def test_phrase_look_ups_answer_as_trying_every_length_would(
    phrases: dict[str, int | None], words: list[str]
) -> None:
    table = PhraseTable(str.split, phrases)
    plain = {tuple(p.split()): v for p, v in phrases.items()}
    lengths = sorted({len(k) for k in plain}, reverse=True)
    for i in range(-2, len(words) + 2):
        for limit in (None, *range(-1, len(words) + 2)):
            assert table.at(words, i, limit) == _plain_at(plain, words, i, limit)
        if 0 <= i < len(words):
            every = [
                (n, plain[tuple(words[i : i + n])])
                for n in lengths
                if i + n <= len(words) and plain.get(tuple(words[i : i + n])) is not None
            ]
            assert table.all_at(words, i) == every
    for j in range(-1, len(words) + 2):
        for floor in range(len(words) + 1):
            ending = None
            if 0 < j <= len(words):
                for n in lengths:
                    if j - n >= floor and plain.get(tuple(words[j - n : j])) is not None:
                        ending = (n, plain[tuple(words[j - n : j])])
                        break
            assert table.ending_at(words, j, floor) == ending


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab1 \n\t.,", max_size=40))
def test_cached_token_positions_are_those_a_scan_of_every_token_finds(text: str) -> None:
    toks = Tokens(_NLP.make_doc(text), text)
    breaks = [k for k, w in enumerate(toks.words) if w.isspace() and "\n" in w]
    digits = [k for k, w in enumerate(toks.words) if w[:1].isdigit()]
    assert toks.line_breaks() == breaks
    assert toks.line_breaks() is toks.line_breaks()
    assert toks.digit_starts() == digits


@settings(max_examples=300, deadline=None)
@given(_PHRASES, st.lists(st.sampled_from(_VOCAB), max_size=12))
def test_phrase_starts_hold_every_position_where_a_phrase_stands(
    phrases: dict[str, int | None], words: list[str]
) -> None:
    table = PhraseTable(str.split, phrases)
    toks = Tokens(_NLP.make_doc(" ".join(words)), None)
    assert toks.words == words
    starts = table.starts_in(toks)
    assert starts == sorted(starts)
    assert set(starts) <= set(toks.positions(table.first_words))
    for i in range(len(words)):
        if table.at(words, i) is not None:
            assert i in starts
    for start in range(len(words) + 1):
        for end in range(start, len(words) + 1):
            assert table.find_in(toks, start, end) == table.find(words, start, end)
