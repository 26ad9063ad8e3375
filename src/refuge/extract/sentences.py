"""Sentence boundaries for a blank pipeline: after . ! ? (and any closing quotes) before a
capital, digit or opening quote, and at every line break, since a line in a report is a
paragraph or a heading. Component ``refuge_sentences_v1``."""

from __future__ import annotations

from spacy.tokens import Doc

_ENDS = frozenset({".", "!", "?", "…"})
_CLOSERS = frozenset({"”", '"', "’", "'", ")", "]", "»"})
_OPENERS = frozenset({"“", '"', "‘", "'", "(", "[", "«"})


def set_sentences(doc: Doc) -> Doc:
    n = len(doc)
    if n == 0:
        return doc
    starts = [False] * n
    starts[0] = True
    for i, tok in enumerate(doc):
        if i + 1 >= n:
            break
        if tok.is_space and "\n" in tok.text:
            starts[i + 1] = True
            continue
        text = tok.text
        if text in _ENDS or (len(text) == 1 and text in _ENDS):
            j = i + 1
            while j < n and doc[j].text in _CLOSERS:
                j += 1
            while j < n and doc[j].is_space and "\n" not in doc[j].text:
                j += 1
            if j < n:
                nxt = doc[j].text
                if nxt[:1].isupper() or nxt[:1].isdigit() or nxt in _OPENERS or doc[j].is_space:
                    starts[j] = True
    for i, tok in enumerate(doc):
        tok.is_sent_start = starts[i]
    return doc
