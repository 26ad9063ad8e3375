"""Sentence boundaries for a blank pipeline: after . ! ? (and any closing quotes) before a
capital, digit or opening quote, and at every line break, since a line in a report is a
paragraph or a heading. Component ``refuge_sentences_v3``.

Only the positions of sentence-ending marks and line breaks are visited (from the word
index of ``refuge.extract.tokens``); the boundaries are written to the doc in one array
write and kept, with the token arrays, in ``doc.user_data`` for the other components.
"""

from __future__ import annotations

import numpy
from spacy.attrs import SENT_START
from spacy.tokens import Doc

from refuge.extract.tokens import tokens_of

_ENDS = frozenset({".", "!", "?", "…"})
_CLOSERS = frozenset({"”", '"', "’", "'", ")", "]", "»"})
_OPENERS = frozenset({"“", '"', "‘", "'", "(", "[", "«"})
_NOT_START = numpy.uint64(2**64 - 1)  # -1 as an unsigned 64-bit value


def set_sentences(doc: Doc) -> Doc:
    toks = tokens_of(doc)
    words = toks.words
    texts = toks.texts
    n = len(words)
    if n == 0:
        return doc
    starts = {0}
    breaks = toks.line_breaks()
    for i in breaks:
        if i + 1 < n:
            starts.add(i + 1)
    for i in toks.positions(_ENDS):
        j = i + 1
        while j < n and words[j] in _CLOSERS:
            j += 1
        while j < n and words[j].isspace() and "\n" not in words[j]:
            j += 1
        if j < n:
            nxt = texts[j]
            if nxt[:1].isupper() or nxt[:1].isdigit() or nxt in _OPENERS or nxt.isspace():
                starts.add(j)
    ordered = sorted(starts)
    # SENT_START takes 1 (starts a sentence) or -1 (does not), as unsigned 64-bit values:
    # -1 is written as its unsigned form, so the array needs no conversion.
    values = numpy.full((n, 1), _NOT_START, dtype="uint64")
    values[ordered, 0] = 1
    doc.from_array([SENT_START], values)  # type: ignore[arg-type]
    toks.sent_starts = ordered
    toks.sent_bounds = list(zip(ordered, [*ordered[1:], n], strict=True))
    return doc
