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
from refuge.extract.phrases import PhraseTable, Tokenize, lower_words, sentence_bounds


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
        words = lower_words(doc)
        out: list[FlagMention] = []
        for sent_start, sent_end in sentence_bounds(doc):
            s, e = sent_start, sent_end
            for flag, rules in self.rules.items():
                hit = self._rule_hit(doc, words, s, e, rules)
                if hit is not None:
                    out.append(FlagMention(hit[0], hit[1], flag))
            found = self.anonymity.find(words, s, e)
            if found is not None:
                i, n, _ = found
                span = doc[i : i + n]
                out.append(FlagMention(span.start_char, span.end_char, "source_anonymity"))
        return out

    @staticmethod
    def _rule_hit(
        doc: Doc,
        words: list[str],
        s: int,
        e: int,
        rules: list[tuple[PhraseTable[bool], PhraseTable[bool], int]],
    ) -> tuple[int, int] | None:
        for first, second, dist in rules:
            i = s
            while i < e:
                a = first.at(words, i, e)
                if a is None:
                    i += 1
                    continue
                b = second.find(words, i + a[0], min(e, i + a[0] + dist))
                if b is not None:
                    k, n, _ = b
                    last = doc[k + n - 1]
                    return doc[i].idx, last.idx + len(last.text)
                i += 1
        return None
