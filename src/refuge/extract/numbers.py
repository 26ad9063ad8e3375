"""Numbers and their qualifiers: "70", "1,200", "seventy", "two dozen", "dozens", "about 60",
"more than 500", "up to 60", "between 50 and 60", "50-60", "600-odd".

Component ``refuge_numbers_v1`` sets ``doc._.refuge_numbers`` to a list of NumberMention.
The evidence span of a number is its own words (digits or number words), without the
qualifier, so that the span's text states the value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc

from refuge.extract.lang import NumberTables
from refuge.extract.phrases import PhraseTable, Tokenize
from refuge.extract.tokens import tokens_of

_DIGITS = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)$", re.ASCII)
# Numbers this large are not head counts in reports; they are years, sums or ids.
_MAX_COUNT = 10_000_000


@dataclass(frozen=True, slots=True)
class NumberMention:
    start: int  # characters of the number's own words
    end: int
    first: int  # first token of the mention, qualifier included
    num_first: int  # first token of the number itself
    last: int  # token after the mention
    value: int
    min: int | None
    max: int | None
    qualifier: str
    words: bool  # written in words ("seventy"), not digits
    vague: bool  # "dozens", "hundreds": a lower bound only


class NumberFinder:
    """Finds numbers in a tokenized text with the tables of one language."""

    def __init__(self, tables: NumberTables, tokenize: Tokenize) -> None:
        self.t = tables
        self.before = PhraseTable(tokenize, tables.qualifiers_before)
        self.after = PhraseTable(tokenize, tables.qualifiers_after)
        self._openers = frozenset({*tables.vague, *tables.units, *tables.article_one})
        # "a", "an" open a number only before a scale word or "dozen" ("a hundred", "a
        # dozen"); at every other article ``_plain`` finds none, so it is not asked.
        self._bare_articles = tables.article_one - frozenset(tables.units) - frozenset(tables.vague)
        self._after_article = frozenset(tables.scales) | tables.dozen

    def _plain(self, words: list[str], i: int) -> tuple[int, int, bool, bool] | None:
        """A number starting at token i: (value, next token, in words, vague)."""
        w = words[i]
        t = self.t
        m = _DIGITS.match(w)
        if m:
            value = int(w.replace(",", ""))
            j = i + 1
            if j < len(words) and words[j] in t.scales:
                value *= t.scales[words[j]]
                j += 1
            return value, j, False, False
        if w in t.vague:
            return t.vague[w], i + 1, True, True
        if w not in t.units and not (
            w in t.article_one
            and i + 1 < len(words)
            and (words[i + 1] in t.scales or words[i + 1] in t.dozen)
        ):
            return None
        total = current = 0
        j = i
        seen = False
        while j < len(words):
            x = words[j]
            if x in t.units:
                if seen and current % 100 != 0 and current % 10 == 0 and t.units[x] < 10:
                    current += t.units[x]  # "twenty five"
                elif seen and current % 100 != 0:
                    break
                else:
                    current += t.units[x]
                seen = True
            elif x in t.article_one and not seen:
                current = 1
                seen = True
            elif x in t.dozen and seen:
                current = max(current, 1) * 12
            elif x in t.scales and seen:
                current = max(current, 1) * t.scales[x]
                if t.scales[x] >= 1000:
                    total, current = total + current, 0
            elif x == "-" and seen and j + 1 < len(words) and words[j + 1] in t.units:
                pass  # "twenty-five"
            elif (
                x == "and"
                and seen
                and j + 1 < len(words)
                and words[j + 1] in t.units
                and (total or current >= 100)
            ):
                pass  # "one hundred and twenty"
            else:
                break
            j += 1
        # Drop a trailing hyphen or "and" that the loop stepped over without a number after.
        while j > i and words[j - 1] in ("-", "and"):
            j -= 1
        if not seen or j == i:
            return None
        value = total + current
        if value == 1 and words[i] in t.article_one:
            return None
        return value, j, True, False

    def find(self, doc: Doc) -> list[NumberMention]:
        toks = tokens_of(doc)
        words = toks.words
        out: list[NumberMention] = []
        n = len(words)
        # A number starts with a digit or a number word; no other token is tried.
        digits = toks.digit_starts()
        candidates = sorted({*toks.positions(self._openers), *digits})
        resume = 0
        bare, after_article = self._bare_articles, self._after_article
        for i in candidates:
            if i < resume:
                continue
            if words[i] in bare and (i + 1 >= n or words[i + 1] not in after_article):
                continue
            hit = self._plain(words, i)
            if hit is None:
                continue
            value, j, in_words, vague = hit
            if value > _MAX_COUNT:
                resume = j
                continue
            num_first, first = i, i
            low, high = value, value
            qualifier = "at_least" if vague else "exact"
            # "between 50 and 60"
            if (
                i > 0
                and words[i - 1] in self.t.range_between
                and j + 1 < n
                and words[j]
                in (
                    "and",
                    "to",
                    "-",
                    "–",
                )
            ):
                second = self._plain(words, j + 1)
                if second and second[0] > value:
                    low, high, qualifier = value, second[0], "range"
                    first, j = i - 1, second[1]
            # "50 to 60", "50-60", "two or three"
            elif j + 1 < n and words[j] in self.t.range_joiners:
                second = self._plain(words, j + 1)
                if second and second[0] > value and not second[3]:
                    low, high, qualifier = value, second[0], "range"
                    j = second[1]
            if qualifier in ("exact", "at_least") and not vague:
                after = self.after.at(words, j)
                if after is not None:
                    qualifier = after[1]
                    if qualifier == "at_least":
                        high = None  # type: ignore[assignment]
                    after_len = after[0]
                else:
                    after_len = 0
                before = self.before.ending_at(words, first)
                if before is not None and after_len == 0:
                    qualifier = before[1]
                    first -= before[0]
                last = j + after_len
            else:
                last = j
            mn: int | None = low
            mx: int | None = high
            if qualifier == "at_least":
                mx = None
            elif qualifier == "at_most":
                mn = None
            elif qualifier == "approx":
                mn = mx = None
            start = toks.starts[num_first]
            out.append(
                NumberMention(
                    start=start,
                    end=toks.end(j - 1),
                    first=first,
                    num_first=num_first,
                    last=last,
                    value=low,
                    min=mn,
                    max=mx,
                    qualifier=qualifier,
                    words=in_words,
                    vague=vague,
                )
            )
            resume = max(last, i + 1)
        return out
