"""Sentence boundaries for a blank pipeline: after . ! ? (and any closing quotes) before a
capital, digit or opening quote, and at every line break, since a line in a report is a
paragraph or a heading. Component ``refuge_sentences_v1``.

The boundaries are set in one array write, and the token texts read on the way are kept in
``doc.user_data`` for the other components (reading a spaCy token from Python is the main
cost of a rule-based pipeline).
"""

from __future__ import annotations

import numpy
from spacy.attrs import SENT_START
from spacy.tokens import Doc

_ENDS = frozenset({".", "!", "?", "…"})
_CLOSERS = frozenset({"”", '"', "’", "'", ")", "]", "»"})
_OPENERS = frozenset({"“", '"', "‘", "'", "(", "[", "«"})


def set_sentences(doc: Doc) -> Doc:
    n = len(doc)
    if n == 0:
        doc.user_data["refuge.words"] = []
        doc.user_data["refuge.texts"] = []
        doc.user_data["refuge.sents"] = []
        return doc
    texts: list[str] = []
    lows: list[str] = []
    spaces: list[bool] = []
    for tok in doc:
        texts.append(tok.text)
        lows.append(tok.lower_)
        spaces.append(tok.is_space)
    starts = [False] * n
    starts[0] = True
    for i in range(n - 1):
        text = texts[i]
        if spaces[i]:
            if "\n" in text:
                starts[i + 1] = True
            continue
        if text in _ENDS:
            j = i + 1
            while j < n and texts[j] in _CLOSERS:
                j += 1
            while j < n and spaces[j] and "\n" not in texts[j]:
                j += 1
            if j < n:
                nxt = texts[j]
                if nxt[:1].isupper() or nxt[:1].isdigit() or nxt in _OPENERS or spaces[j]:
                    starts[j] = True
    # SENT_START takes 1 (starts a sentence) or -1 (does not), as unsigned 64-bit values.
    values = numpy.array([[1 if s else -1] for s in starts], dtype="int64").astype("uint64")
    doc.from_array([SENT_START], values)  # type: ignore[arg-type]  # a 2-D uint64 array
    bounds: list[tuple[int, int]] = []
    begin = 0
    for i in range(1, n):
        if starts[i]:
            bounds.append((begin, i))
            begin = i
    bounds.append((begin, n))
    doc.user_data["refuge.words"] = lows
    doc.user_data["refuge.texts"] = texts
    doc.user_data["refuge.sents"] = bounds
    return doc
