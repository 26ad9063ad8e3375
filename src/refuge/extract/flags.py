"""Sensitivity flags: what in a text calls for care before anything is published.

``family_requested_non_disclosure`` (the outlet held the story at the family's request),
``publicity_risk`` (reporting may worsen the victims' situation): co-occurrence rules in one
sentence from the tables. ``source_anonymity``: an anonymity phrase ("asked for
anonymity") or an anonymous source. ``minors_involved``: a count of minors, or a minors
word in an incident (decided by the segmenter, which knows the incidents).

Component ``refuge_flags_v1`` sets ``doc._.refuge_flags`` with the first two kinds and the
anonymity phrases; the others are added when incidents are assembled.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from refuge.extract.lang import FlagTables
from refuge.extract.phrases import PhraseTable, Tokenize, sentence_bounds
from refuge.extract.tokens import tokens_of


@dataclass(frozen=True, slots=True)
class FlagMention:
    start: int
    end: int
    flag: str


class FlagFinder:
    def __init__(
        self, tables: FlagTables, anonymity_phrases: frozenset[str], tokenize: Tokenize
    ) -> None:
        self.rules = {
            flag: [
                (PhraseTable.of_set(tokenize, a), PhraseTable.of_set(tokenize, b), dist)
                for a, b, dist in rules
            ]
            for flag, rules in tables.rules.items()
        }
        self.anonymity = PhraseTable.of_set(tokenize, anonymity_phrases)

    def find(self, doc: Doc) -> list[FlagMention]:
        toks = tokens_of(doc)
        words = toks.words
        bounds = sentence_bounds(doc)
        # (sentence, flag order) -> span: per sentence and flag, the first rule that hits
        # decides, at its first position; rules are tried only where their first word is.
        hits: dict[tuple[int, int], tuple[int, int, str]] = {}
        for order, (flag, rules) in enumerate(self.rules.items()):
            for first, second, dist in rules:
                for i in first.starts_in(toks):
                    sent = toks.sentence_of(i)
                    if (sent, order) in hits:
                        continue
                    e = bounds[sent][1]
                    a = first.at(words, i, e)
                    if a is None:
                        continue
                    b = second.find_in(toks, i + a[0], min(e, i + a[0] + dist))
                    if b is not None:
                        k, n, _ = b
                        hits[(sent, order)] = (toks.starts[i], toks.end(k + n - 1), flag)
        anonymous = len(self.rules)
        for i in self.anonymity.starts_in(toks):
            sent = toks.sentence_of(i)
            if (sent, anonymous) in hits:
                continue
            hit = self.anonymity.at(words, i, bounds[sent][1])
            if hit is not None:
                start, end = toks.char_span(i, i + hit[0])
                hits[(sent, anonymous)] = (start, end, "source_anonymity")
        return [FlagMention(*hits[key]) for key in sorted(hits)]
