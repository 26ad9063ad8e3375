"""Plain token arrays shared by every component.

Reading a spaCy ``Token`` from Python builds an object per token, which cost more than the
tokenizer itself; the components instead read Python lists made once per document from
one array export (offsets and trailing spaces) and slices of the text: the lower-case
words, the texts, the character offsets, the sentence bounds, and an index from each word
to the positions where it stands. A finder then visits
only the positions where one of its first words occurs (``Tokens.positions``), not every
token of the document.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from itertools import chain

from spacy.attrs import IDX, SPACY
from spacy.tokens import Doc


class Tokens:
    """The document's tokens as lists; built once by the sentence component."""

    __slots__ = (
        "_breaks",
        "_cache",
        "_caps",
        "_digits",
        "index",
        "sent_bounds",
        "sent_starts",
        "starts",
        "table_starts",
        "text",
        "texts",
        "words",
    )

    def __init__(self, doc: Doc, text: str | None = None) -> None:
        if text is None:
            text = doc.text
        texts: list[str] = []
        starts: list[int] = []
        if len(doc):
            # A token ends where the next one starts, less its one trailing space.
            starts, space_after = doc.to_array([IDX, SPACY]).T.tolist()
            ends = starts[1:]
            ends.append(len(text))
            texts = [text[s : e - sp] for s, e, sp in zip(starts, ends, space_after, strict=True)]
        self.texts: list[str] = texts
        self.words: list[str] = [t.lower() for t in texts]
        self.starts: list[int] = starts
        index: dict[str, list[int]] = {}
        add = index.setdefault
        for i, w in enumerate(self.words):
            add(w, []).append(i)
        self.index = index
        self.text = text
        self.sent_bounds: list[tuple[int, int]] = []
        self.sent_starts: list[int] = []
        self._cache: dict[frozenset[str], list[int]] = {}
        self._caps: list[int] | None = None
        self._breaks: list[int] | None = None
        self._digits: list[int] | None = None
        # Where each phrase table's phrases can start (``PhraseTable.starts_in``).
        self.table_starts: dict[object, list[int]] = {}

    def capitalised(self) -> list[int]:
        """Positions of the tokens that start with a capital letter."""
        if self._caps is None:
            self._caps = [i for i, t in enumerate(self.texts) if t[:1].isupper()]
        return self._caps

    def line_breaks(self) -> list[int]:
        """Positions of the whitespace tokens holding a line break (computed once: the
        sentence splitter and the segmenter both need them)."""
        if self._breaks is None:
            self._breaks = self.positions_where(w for w in self.index if w.isspace() and "\n" in w)
        return self._breaks

    def digit_starts(self) -> list[int]:
        """Positions of the tokens that start with a digit (computed once)."""
        if self._digits is None:
            self._digits = self.positions_where(w for w in self.index if w[:1].isdigit())
        return self._digits

    def span_text(self, first: int, last: int) -> str:
        """The text of tokens ``[first, last)``."""
        s, e = self.char_span(first, last)
        return self.text[s:e]

    def __len__(self) -> int:
        return len(self.words)

    def end(self, k: int) -> int:
        """The character offset after token ``k``."""
        return self.starts[k] + len(self.texts[k])

    def char_span(self, first: int, last: int) -> tuple[int, int]:
        """Character bounds of tokens ``[first, last)``."""
        return self.starts[first], self.starts[last - 1] + len(self.texts[last - 1])

    def positions(self, keys: frozenset[str]) -> list[int]:
        """Sorted positions of the words in ``keys`` (cached per key set)."""
        hit = self._cache.get(keys)
        if hit is None:
            found = self.index.keys() & keys
            if not found:
                hit = []
            elif len(found) == 1:
                hit = self.index[next(iter(found))]
            else:
                hit = sorted(chain.from_iterable(map(self.index.__getitem__, found)))
            self._cache[keys] = hit
        return hit

    def positions_where(self, test: Iterable[str]) -> list[int]:
        """Sorted positions of the given words (no cache: for computed word sets)."""
        found = [self.index[w] for w in test if w in self.index]
        return sorted(chain.from_iterable(found))

    def sentence_of(self, i: int) -> int:
        """The index of the sentence holding token ``i``."""
        return bisect.bisect_right(self.sent_starts, i) - 1

    def is_space(self, k: int) -> bool:
        return self.words[k].isspace()

    def is_sent_start(self, k: int) -> bool:
        j = bisect.bisect_left(self.sent_starts, k)
        return j < len(self.sent_starts) and self.sent_starts[j] == k


def tokens_of(doc: Doc) -> Tokens:
    """The document's token arrays, built on first use and shared by the components."""
    cached: Tokens | None = doc.user_data.get("refuge.tokens")
    if cached is None:
        cached = Tokens(doc, doc.user_data.get("refuge.text"))
        doc.user_data["refuge.tokens"] = cached
    return cached
