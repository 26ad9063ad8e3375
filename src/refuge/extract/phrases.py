"""Phrase tables keyed by token tuples, for look-ups around a known position.

spaCy's matchers find phrases anywhere; the components also need to ask "does a qualifier
end right before this number?" or "which group noun starts here?", which these tables
answer in constant time per length. Phrases are tokenized by the pipeline's own tokenizer,
so they split exactly as the text does.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Generic, TypeVar

from spacy.tokens import Doc

from refuge.extract.tokens import Tokens, tokens_of

V = TypeVar("V")

Tokenize = Callable[[str], Sequence[str]]


class PhraseTable(Generic[V]):
    """Token-tuple -> value, with longest-match look-ups starting or ending at a position."""

    __slots__ = ("_first", "_last", "_lengths", "_table", "first_words")

    def __init__(self, tokenize: Tokenize, phrases: Mapping[str, V]) -> None:
        self._table: dict[tuple[str, ...], V] = {}
        for phrase, value in phrases.items():
            key = tuple(tokenize(phrase.lower()))
            if key:
                self._table[key] = value
        self._lengths = sorted({len(k) for k in self._table}, reverse=True)
        # Lengths of the phrases by first and by last word: most positions hold a word no
        # phrase starts (or ends) with, and are answered by one dictionary look-up.
        first: dict[str, set[int]] = {}
        last: dict[str, set[int]] = {}
        for k in self._table:
            first.setdefault(k[0], set()).add(len(k))
            last.setdefault(k[-1], set()).add(len(k))
        self._first = {w: tuple(sorted(n, reverse=True)) for w, n in first.items()}
        self._last = {w: tuple(sorted(n, reverse=True)) for w, n in last.items()}
        self.first_words = frozenset(self._first)

    @classmethod
    def of_set(cls, tokenize: Tokenize, phrases: Iterable[str]) -> PhraseTable[bool]:
        return PhraseTable(tokenize, {p: True for p in phrases})

    def at(self, words: Sequence[str], i: int, limit: int | None = None) -> tuple[int, V] | None:
        """The longest phrase starting at ``i`` (and ending before ``limit``): (length, value)."""
        if i < 0 or i >= len(words):
            return None
        lengths = self._first.get(words[i])
        if lengths is None:
            return None
        end_limit = len(words) if limit is None else min(limit, len(words))
        for n in lengths:
            if i + n <= end_limit:
                value = self._table.get(tuple(words[i : i + n]))
                if value is not None:
                    return n, value
        return None

    def all_at(self, words: Sequence[str], i: int) -> list[tuple[int, V]]:
        """Every phrase starting at ``i``, longest first: (length, value)."""
        lengths = self._first.get(words[i])
        if lengths is None:
            return []
        out: list[tuple[int, V]] = []
        for n in lengths:
            if i + n <= len(words):
                value = self._table.get(tuple(words[i : i + n]))
                if value is not None:
                    out.append((n, value))
        return out

    def ending_at(self, words: Sequence[str], j: int, floor: int = 0) -> tuple[int, V] | None:
        """The longest phrase ending right before ``j`` (not before ``floor``)."""
        if j <= 0 or j > len(words):
            return None
        lengths = self._last.get(words[j - 1])
        if lengths is None:
            return None
        for n in lengths:
            if j - n >= floor:
                value = self._table.get(tuple(words[j - n : j]))
                if value is not None:
                    return n, value
        return None

    def find(self, words: Sequence[str], start: int, end: int) -> tuple[int, int, V] | None:
        """The first phrase inside words[start:end]: (position, length, value)."""
        first = self._first
        for i in range(max(start, 0), min(end, len(words))):
            if words[i] not in first:
                continue
            hit = self.at(words, i, end)
            if hit is not None:
                return i, hit[0], hit[1]
        return None

    def find_in(self, toks: Tokens, start: int, end: int) -> tuple[int, int, V] | None:
        """As ``find``, visiting only the positions where a phrase's first word stands."""
        where = toks.positions(self.first_words)
        words = toks.words
        for k in range(bisect.bisect_left(where, start), len(where)):
            i = where[k]
            if i >= end:
                break
            hit = self.at(words, i, end)
            if hit is not None:
                return i, hit[0], hit[1]
        return None

    def __contains__(self, key: object) -> bool:
        return key in self._table


def longest_first(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Token spans ``(start, end)`` without overlaps, longer ones (then earlier ones) kept
    first, in text order: ``spacy.util.filter_spans`` on plain tuples."""
    kept: list[tuple[int, int]] = []
    seen: set[int] = set()
    for start, end in sorted(spans, key=lambda sp: (sp[1] - sp[0], -sp[0]), reverse=True):
        if start not in seen and end - 1 not in seen:
            kept.append((start, end))
            seen.update(range(start, end))
    kept.sort()
    return kept


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Token bounds ``[start, end)`` of the sentences (set by the sentence component)."""
    toks = tokens_of(doc)
    if not toks.sent_bounds and len(toks):
        toks.sent_bounds = [(s.start, s.end) for s in doc.sents]
        toks.sent_starts = [b[0] for b in toks.sent_bounds]
    return toks.sent_bounds


def lower_words(doc: Doc) -> list[str]:
    """The lower-case tokens of ``doc``, computed once and shared by every component."""
    return tokens_of(doc).words


def token_texts(doc: Doc) -> list[str]:
    """The tokens' own texts (case kept), computed once and shared by every component."""
    return tokens_of(doc).texts
