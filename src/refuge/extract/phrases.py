"""Phrase tables keyed by token tuples, for look-ups around a known position.

spaCy's matchers find phrases anywhere; the components also need to ask "does a qualifier
end right before this number?" or "which group noun starts here?", which these tables
answer in constant time per length. Phrases are tokenized by the pipeline's own tokenizer,
so they split exactly as the text does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Generic, TypeVar

from spacy.tokens import Doc

V = TypeVar("V")

Tokenize = Callable[[str], Sequence[str]]


class PhraseTable(Generic[V]):
    """Token-tuple -> value, with longest-match look-ups starting or ending at a position."""

    __slots__ = ("_first", "_last", "_lengths", "_table")

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

    def __contains__(self, key: object) -> bool:
        return key in self._table


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Token bounds ``[start, end)`` of the sentences, computed once per document."""
    cached = doc.user_data.get("refuge.sents")
    if cached is None:
        cached = [(s.start, s.end) for s in doc.sents]
        doc.user_data["refuge.sents"] = cached
    return cached


def lower_words(doc: Doc) -> list[str]:
    """The lower-case tokens of ``doc``, computed once and shared by every component."""
    cached = doc.user_data.get("refuge.words")
    if cached is None:
        cached = [t.lower_ for t in doc]
        doc.user_data["refuge.words"] = cached
    return cached


def token_texts(doc: Doc) -> list[str]:
    """The tokens' own texts (case kept), computed once and shared by every component."""
    cached = doc.user_data.get("refuge.texts")
    if cached is None:
        cached = [t.text for t in doc]
        doc.user_data["refuge.texts"] = cached
    return cached
