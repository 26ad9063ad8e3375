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

    __slots__ = (
        "_first",
        "_heads",
        "_last",
        "_lengths",
        "_singles",
        "_table",
        "_tails",
        "first_words",
    )

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
        # Lengths of the longer phrases by their first two (last two) words, and the words
        # that are phrases alone: a common first word ("in", "a") is mostly followed by a
        # word no phrase continues with, answered by one look-up instead of a tuple built
        # and hashed per length.
        heads: dict[tuple[str, str], set[int]] = {}
        tails: dict[tuple[str, str], set[int]] = {}
        for k in self._table:
            if len(k) > 1:
                heads.setdefault((k[0], k[1]), set()).add(len(k))
                tails.setdefault((k[-2], k[-1]), set()).add(len(k))
        self._heads = {p: tuple(sorted(n, reverse=True)) for p, n in heads.items()}
        self._tails = {p: tuple(sorted(n, reverse=True)) for p, n in tails.items()}
        self._singles = frozenset(k[0] for k in self._table if len(k) == 1)

    @classmethod
    def of_set(cls, tokenize: Tokenize, phrases: Iterable[str]) -> PhraseTable[bool]:
        return PhraseTable(tokenize, {p: True for p in phrases})

    def at(self, words: Sequence[str], i: int, limit: int | None = None) -> tuple[int, V] | None:
        """The longest phrase starting at ``i`` (and ending before ``limit``): (length, value)."""
        if i < 0 or i >= len(words):
            return None
        w = words[i]
        if w not in self._first:
            return None
        end_limit = len(words) if limit is None else min(limit, len(words))
        if i + 1 < end_limit:
            lengths = self._heads.get((w, words[i + 1]))
            if lengths is not None:
                for n in lengths:
                    if i + n <= end_limit:
                        value = self._table.get(tuple(words[i : i + n]))
                        if value is not None:
                            return n, value
        if w in self._singles and i < end_limit:
            value = self._table[(w,)]
            if value is not None:
                return 1, value
        return None

    def all_at(self, words: Sequence[str], i: int) -> list[tuple[int, V]]:
        """Every phrase starting at ``i``, longest first: (length, value)."""
        w = words[i]
        if w not in self._first:
            return []
        out: list[tuple[int, V]] = []
        if i + 1 < len(words):
            for n in self._heads.get((w, words[i + 1]), ()):
                if i + n <= len(words):
                    value = self._table.get(tuple(words[i : i + n]))
                    if value is not None:
                        out.append((n, value))
        if w in self._singles:
            value = self._table[(w,)]
            if value is not None:
                out.append((1, value))
        return out

    def ending_at(self, words: Sequence[str], j: int, floor: int = 0) -> tuple[int, V] | None:
        """The longest phrase ending right before ``j`` (not before ``floor``, >= 0)."""
        if j <= 0 or j > len(words):
            return None
        w = words[j - 1]
        if w not in self._last:
            return None
        if j - 2 >= floor and j >= 2:
            lengths = self._tails.get((words[j - 2], w))
            if lengths is not None:
                for n in lengths:
                    if j - n >= floor:
                        value = self._table.get(tuple(words[j - n : j]))
                        if value is not None:
                            return n, value
        if w in self._singles and j - 1 >= floor:
            value = self._table[(w,)]
            if value is not None:
                return 1, value
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

    def starts_in(self, toks: Tokens) -> list[int]:
        """Sorted positions of ``toks`` where a phrase can start: a one-word phrase, or the
        first two words of a longer one (computed once per document). Every position where
        ``at`` finds a phrase is among them; common first words ("in", "the") mostly are not."""
        hit = toks.table_starts.get(self)
        if hit is None:
            words = toks.words
            last = len(words) - 1
            heads = self._heads
            singles = self._singles
            hit = [
                i
                for i in toks.positions(self.first_words)
                if words[i] in singles or (i < last and (words[i], words[i + 1]) in heads)
            ]
            toks.table_starts[self] = hit
        return hit

    def find_in(self, toks: Tokens, start: int, end: int) -> tuple[int, int, V] | None:
        """As ``find``, visiting only the positions where a phrase can start."""
        where = self.starts_in(toks)
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


def filter_matches(matches: Iterable[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Matcher results ``(match_id, start, end)`` without overlaps, chosen exactly as
    ``spacy.util.filter_spans`` chooses spans (longer first, then earlier; of equal spans
    the first given), in text order; tuples cost less than the ``Span`` objects it needs."""
    ranked = sorted(matches, key=lambda m: (m[2] - m[1], -m[1]), reverse=True)
    kept: list[tuple[int, int, int]] = []
    seen: set[int] = set()
    for m in ranked:
        if m[1] not in seen and m[2] - 1 not in seen:
            kept.append(m)
            seen.update(range(m[1], m[2]))
    kept.sort(key=lambda m: m[1])
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
