"""Legal references: which instruments a text cites, with the contract's ids.

Most are names ("Refugee Convention", the 1986 border protocol's long title, "Article 3 of
the South Korean Constitution"); some need context in the same sentence ("human rights
resolutions" only with a UN body; a Working Group on Arbitrary Detention mention only with
an opinion). A name shared with another country's law is dropped when the sentence points
there (the US North Korean Human Rights Act of 2004).

Component ``refuge_law_v1`` sets ``doc._.refuge_law``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from refuge.extract.lang import LawTables
from refuge.extract.phrases import (
    PhraseTable,
    Tokenize,
    filter_matches,
    lower_words,
    sentence_bounds,
)
from refuge.extract.tokens import tokens_of


@dataclass(frozen=True, slots=True)
class LegalMention:
    start: int
    end: int
    instrument: str


class LawFinder:
    def __init__(self, tables: LawTables, tokenize: Tokenize, vocab: Vocab) -> None:
        self.t = tables
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        self.ids: dict[str, str] = {}
        for phrase, instrument in tables.phrases.items():
            words = list(tokenize(phrase.lower()))
            key = "L:" + " ".join(words)
            self.ids[key] = instrument
            self.matcher.add(key, [Doc(vocab, words=words)])
        self.contextual = [
            (PhraseTable.of_set(tokenize, keys), PhraseTable.of_set(tokenize, context), inst)
            for keys, context, inst in tables.contextual
        ]
        self.exclusions = {
            k: PhraseTable.of_set(tokenize, v) for k, v in tables.exclusions.items() if v
        }

    def find(self, doc: Doc) -> list[LegalMention]:
        words = lower_words(doc)
        strings = doc.vocab.strings
        toks = tokens_of(doc)
        out: list[LegalMention] = []
        bounds = sentence_bounds(doc)
        # Plain (match_id, start, end) tuples, not a spaCy Span per match.
        for match_id, s, e in filter_matches(self.matcher(doc)):
            instrument = self.ids.get(strings[match_id])
            if instrument is None:
                continue
            k = bisect.bisect_right(bounds, (s, len(words) + 1)) - 1
            sent_start, sent_end = bounds[max(k, 0)]
            excl = self.exclusions.get(instrument)
            if excl is not None and excl.find(words, sent_start, sent_end) is not None:
                continue
            if instrument == "un-wgad-opinion" and "opinion" not in words[sent_start:sent_end]:
                continue
            start, end = toks.char_span(s, e)
            out.append(LegalMention(start, end, instrument))
        # A rule can hit only in a sentence holding one of its key words: those sentences
        # are visited (in order, each with its rules in order), not every sentence.
        active = []
        for keys, context, instrument in self.contextual:
            where = keys.starts_in(toks)
            if where:
                active.append((keys, context, instrument, {toks.sentence_of(k) for k in where}))
        for sent in sorted(set().union(*(rule[3] for rule in active))):
            sent_start, sent_end = bounds[sent]
            for keys, context, instrument, sents in active:
                if sent not in sents:
                    continue
                hit = keys.find_in(toks, sent_start, sent_end)
                if hit is None or context.find_in(toks, sent_start, sent_end) is None:
                    continue
                i, n, _ = hit
                first = i
                # "human rights resolutions": the words that qualify the resolution.
                while first > sent_start and words[first - 1] in (
                    "human",
                    "rights",
                    "un",
                    "general",
                    "assembly",
                    "council",
                    "annual",
                ):
                    first -= 1
                start, end = toks.char_span(first, i + n)
                out.append(LegalMention(start, end, instrument))
        out.sort(key=lambda m: m.start)
        return out
