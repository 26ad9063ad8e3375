"""The sentence component: its boundaries are on the Doc as spaCy sentences too."""

from __future__ import annotations

import spacy

from refuge.extract.sentences import set_sentences
from refuge.extract.tokens import tokens_of

_NLP = spacy.blank("en")


def test_the_sentence_bounds_are_the_docs_sentences() -> None:
    doc = set_sentences(
        _NLP.make_doc("Seven were held. “Two escaped,” he said.\nA heading\n\nMore.")
    )
    bounds = [(s.start, s.end) for s in doc.sents]
    assert bounds == tokens_of(doc).sent_bounds
    assert [s.text for s in doc.sents][:2] == ["Seven were held.", "“Two escaped,” he said."]
