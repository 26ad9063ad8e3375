"""Victim counts: a number attached to a group of people, and which part of the group it is.

"70 North Korean defectors" is a total with a nationality; "50 adults", "20 underaged
individuals", "30 women" are parts (adults, minors, women, men); "a North Korean woman" is
one person. A count followed by "since 2020", "so far", "every year" is an aggregate
statistic, marked so that it never becomes an incident.

Component ``refuge_counts_v3`` (after ``refuge_numbers_v1``) sets ``doc._.refuge_counts``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc

from refuge.extract.lang import CountTables
from refuge.extract.numbers import NumberMention
from refuge.extract.phrases import PhraseTable, Tokenize
from refuge.extract.tokens import Tokens, tokens_of

_YEAR = re.compile(r"^(19|20)\d\d$", re.ASCII)
# Words before a number that make it an identifier, not a count ("Article 3", "No. 22").
_NOT_COUNT_BEFORE = frozenset(
    {
        "no",
        "no.",
        "article",
        "art",
        "art.",
        "number",
        "#",
        "$",
        "us$",
        "page",
        "chapter",
        "paragraph",
        "resolution",
        "opinion",
        "aged",
        "age",
        "ages",
        "kwalliso",
        "camp",
    }
)
_MAX_MODIFIERS = 5
_ARTICLES = frozenset({"a", "an"})
_INCLUDES = frozenset({"include", "includes", "included", "including"})
_MEMBER_INTROS = frozenset(
    {("among", "them"), ("among", "whom"), ("of", "them"), ("one", "of"), ("them", "including")}
)
# Modifier-table words that do not carry a noun phrase on after a nationality: "Seven
# North Koreans, among them ..." ends at the comma.
_PUNCTUATION_MODIFIERS = frozenset({",", "-", "of", "the"})
_COPULAS = frozenset({"were", "are", "was", "is"})
_RESTATING = _COPULAS | {"had", "have", "remain", "remained", "were", "include"}
# Predicates that make a subset minors: "four of them were under eighteen".
_MINOR_PREDICATES = (
    "under eighteen",
    "under 18",
    "under the age of 18",
    "under the age of eighteen",
    "underage",
    "minors",
    "children",
    "teenagers",
)


@dataclass(frozen=True, slots=True)
class CountMention:
    start: int  # characters of the number's own words: the evidence span
    end: int
    first: int  # first token (qualifier included)
    last: int  # token after the group noun
    phrase_end: int  # character end of the group phrase ("... ranging from infants to teenagers")
    value: int
    min: int | None
    max: int | None
    qualifier: str
    category: str  # total, adults, minors, women, men
    nationality: str | None
    nationality_span: tuple[int, int] | None
    aggregate: bool
    single: bool  # "a North Korean woman"
    # "adults" or "minors" when the text gives every member's age ("aged between 19 and
    # 42", "a 15-year-old boy"): the whole group is that part.
    ages: str | None = None
    # One person named as a member of a group counted before: "among them a 15-year-old
    # boy", "the eight include five women and a child".
    member: bool = False


@dataclass(frozen=True, slots=True)
class GroupMention:
    """A group of people named without a number: "North Korean defectors", "the children"."""

    start: int
    end: int
    tok_start: int
    tok_end: int
    category: str
    nationality: str | None
    nationality_span: tuple[int, int] | None


class CountFinder:
    def __init__(self, tables: CountTables, tokenize: Tokenize) -> None:
        self.t = tables
        self.plural = PhraseTable(tokenize, tables.plural_groups)
        self.singular = PhraseTable(tokenize, tables.singular_groups)
        self.modifier_groups = PhraseTable(tokenize, tables.modifier_groups)
        self.nationalities = PhraseTable(tokenize, tables.nationalities)
        self.partitive = PhraseTable.of_set(tokenize, tables.partitive)
        self.aggregate_after = PhraseTable.of_set(tokenize, tables.aggregate_after)
        self.aggregate_before = PhraseTable.of_set(tokenize, tables.aggregate_before)
        self.minor_predicates = PhraseTable.of_set(tokenize, _MINOR_PREDICATES)
        self._group_openers = (
            self.nationalities.first_words | self.plural.first_words | self.singular.first_words
        )

    def _group(
        self, toks: Tokens, words: list[str], j: int, singular: bool
    ) -> tuple[int, str, str | None, tuple[int, int] | None] | None:
        """The group noun phrase after a number at token j: (end, category, nationality)."""
        table = self.singular if singular else self.plural
        modifier_category: str | None = None
        nationality: str | None = None
        nat_span: tuple[int, int] | None = None
        k = j
        steps = 0
        ages: list[int] = []
        while k < len(words) and steps <= _MAX_MODIFIERS:
            if words[k].isspace():
                return None
            age = self._age_at(words, k)
            if age is not None:
                # "a 15-year-old boy", "her ten-year-old daughter", "a 17-year-old".
                ages.append(age[0])
                k += age[1]
                steps += 1
                if not self._continues_group(words, k, table):
                    return k, self._age_class([age[0]]), nationality, nat_span
                continue
            nat = self.nationalities.at(words, k)
            if nat is not None and nationality is None:
                nationality = nat[1]
                nat_span = toks.char_span(k, k + nat[0])
            if (
                nat is not None
                and k + nat[0] < len(words)
                and (
                    table.at(words, k + nat[0]) is not None
                    or (
                        words[k + nat[0]] in self.t.modifiers
                        and words[k + nat[0]] not in _PUNCTUATION_MODIFIERS
                    )
                )
            ):
                k += nat[0]  # "North Korean woman": the noun after the nationality decides
                steps += 1
                continue
            if (
                nat is not None
                and k + nat[0] + 1 < len(words)
                and words[k + nat[0]].isalpha()
                and table.at(words, k + nat[0] + 1) is not None
            ):
                # "North Korean construction workers": one unknown word between the
                # nationality and the group noun.
                k += nat[0] + 1
                steps += 1
                continue
            hit = table.at(words, k)
            if hit is not None:
                n, category = hit
                if category == "total" and modifier_category not in (None, "total"):
                    category = modifier_category
                if category == "total" and ages:
                    category = self._age_class(ages)
                return k + n, category, nationality, nat_span
            mod = self.modifier_groups.at(words, k)
            if mod is not None:
                modifier_category = mod[1]
                k += mod[0]
                steps += 1
                continue
            if words[k] in self.t.modifiers or (nat is not None):
                k += nat[0] if nat is not None else 1
                steps += 1
                continue
            return None
        return None

    def _age_at(self, words: list[str], k: int) -> tuple[int, int] | None:
        """An age modifier at token k: "15-year-old", "ten - year - old", "six-month-old":
        (age in years, tokens)."""
        w = words[k]
        value = int(w) if w.isdigit() and len(w) <= 3 else self.t.number_words.get(w)
        if value is None:
            return None
        rest = words[k + 1 : k + 5]
        if rest[:4] in (["-", "year", "-", "old"], ["-", "years", "-", "old"]):
            return value, 5
        if rest[:4] == ["-", "month", "-", "old"]:
            return 0, 5
        if rest[:2] in (["year", "old"], ["years", "old"]):
            return value, 3
        return None

    def _continues_group(self, words: list[str], k: int, table: PhraseTable[str]) -> bool:
        if k >= len(words):
            return False
        w = words[k]
        return (
            table.at(words, k) is not None
            or self.modifier_groups.at(words, k) is not None
            or self.nationalities.at(words, k) is not None
            or (w in self.t.modifiers and w not in ("of", "the", "-", ","))
        )

    def _age_class(self, ages: list[int]) -> str:
        return "minors" if max(ages) < self.t.adult_age else "adults"

    def _ages_after(self, words: list[str], k: int) -> str | None:
        """ "..., aged between 19 and 42", "aged nine and twelve", "aged 14 to 17": every
        member's age, so the whole group is adults or minors."""
        if k < len(words) and words[k] == ",":
            k += 1
        if k >= len(words) or words[k] not in self.t.age_words:
            return None
        ages: list[int] = []
        k += 1
        stop = min(len(words), k + 12)
        while k < stop:
            w = words[k]
            value = int(w) if w.isdigit() and len(w) <= 3 else self.t.number_words.get(w)
            if value is not None:
                ages.append(value)
            elif w not in ("between", "from", "and", "to", "-", "–", ",", "or"):
                break
            k += 1
        if not ages:
            return None
        if min(ages) >= self.t.adult_age:
            return "adults"
        if max(ages) < self.t.adult_age:
            return "minors"
        return None

    def _aggregate(self, toks: Tokens, words: list[str], first: int, last: int) -> bool:
        before_words = self.aggregate_before.first_words
        after_words = self.aggregate_after.first_words
        for back in range(max(0, first - 4), first):
            if words[back] not in before_words:
                continue
            hit = self.aggregate_before.at(words, back, first)
            if hit is not None and back + hit[0] == first:
                return True
        k = last
        stop = min(len(words), last + 12)
        while k < stop:
            w = words[k]
            if w.isspace() or w in (".", ";"):
                break
            if w == "since":
                nxt = words[k + 1] if k + 1 < len(words) else ""
                # "since 2020" or "since the border reopened" start a statistic; "since
                # March" is when one group's detention began.
                if _YEAR.match(nxt) or nxt in ("the", "then", "records", "its"):
                    return True
            elif w == "between" and k + 1 < len(words) and _YEAR.match(words[k + 1]):
                return True
            elif w in after_words:
                hit = self.aggregate_after.at(words, k)
                after = words[k + hit[0]] if hit and k + hit[0] < len(words) else ""
                # "a month ago" dates an event; "1,000 a month" is a rate.
                if hit is not None and after not in (
                    "ago",
                    "earlier",
                    "before",
                    "later",
                    "in",
                    "of",
                    "after",
                ):
                    return True
            k += 1
        return False

    def find(self, doc: Doc, numbers: list[NumberMention]) -> list[CountMention]:
        toks = tokens_of(doc)
        words = toks.words
        out: list[CountMention] = []
        for num in numbers:
            if num.num_first > 0 and words[num.num_first - 1] in _NOT_COUNT_BEFORE:
                continue
            if out and out[-1].last > num.num_first:
                continue  # "four of the eleven": the whole inside a part's phrase
            if not num.words and _YEAR.match(words[num.num_first]) and num.qualifier == "exact":
                # "in 2019 North Korean defectors ..." is a year, not 2019 people.
                continue
            j = num.last
            # "dozens of defectors", "hundreds of North Koreans"
            if j < len(words) and words[j] == "of" and (num.vague or num.value >= 100):
                j += 1
            group = self._group(toks, words, j, singular=False)
            if group is None and num.value == 1:
                group = self._group(toks, words, j, singular=True)
            if group is None:
                group = self._predicate(toks, words, num.last)
            if group is None and self._bare_total(words, num):
                group = (num.last, "total", None, None)
            if group is None:
                continue
            end_k, category, nationality, nat_span = group
            out.append(
                self._mention(
                    toks,
                    words,
                    num.start,
                    num.end,
                    num.first,
                    end_k,
                    num.value,
                    num.min,
                    num.max,
                    num.qualifier,
                    category,
                    nationality,
                    nat_span,
                    single=False,
                )
            )
        out.extend(self._singles(toks, words, {c.first for c in out}))
        out.sort(key=lambda c: c.start)
        return out

    def _predicate(
        self, toks: Tokens, words: list[str], j: int
    ) -> tuple[int, str, str | None, tuple[int, int] | None] | None:
        """The part a number names through its verb: "five are adults", "four of them were
        children", "four of the eleven were under eighteen"."""
        k = j
        part = self.partitive.at(words, k)
        if part is not None:
            k += part[0]
        elif k + 1 < len(words) and words[k] == "of" and words[k + 1] in ("the", "these"):
            # "of the eleven", "of the group": a subset of a group counted before.
            k += 2
            while k < len(words) and k - j < 5 and words[k] not in _COPULAS:
                k += 1
        if part is not None and k < len(words) and words[k] not in _COPULAS:
            # "Seven North Koreans, three of them children": no verb after "of them".
            minor = self.minor_predicates.at(words, k)
            if minor is not None:
                return k + minor[0], "minors", None, None
            group = self._group(toks, words, k, singular=False)
            return group if group is not None and group[1] != "total" else None
        if k >= len(words) or words[k] not in _COPULAS:
            return None
        k += 1
        if k < len(words) and words[k] in ("all", "both", "also"):
            k += 1
        minor = self.minor_predicates.at(words, k)
        if minor is not None:
            return k + minor[0], "minors", None, None
        group = self._group(toks, words, k, singular=False)
        if group is not None and group[1] != "total":
            return group
        return None

    @staticmethod
    def _bare_total(words: list[str], num: NumberMention) -> bool:
        """ "The group numbered eight", "a group of 50 to 60", "there were eleven of them"."""
        before = words[max(0, num.first - 2) : num.first]
        after = words[num.last] if num.last < len(words) else ""
        if before[-1:] in (["numbered"], ["numbering"], ["totalled"], ["totaled"]):
            return True
        if before in (["group", "of"], ["total", "of"], ["family", "of"], ["party", "of"]):
            return (after not in ("the", "a", "an") and not after.isalpha()) or after in (
                "people",
                "were",
                "was",
                "who",
                "had",
                "have",
                "are",
                "and",
            )
        if before[-1:] in (["all"], ["the"], ["these"], ["those"]) and after in _RESTATING:
            return True  # "all seven are in ...", "the 16 had been held": the group again
        if before == ["there", "were"] or before == ["there", "are"]:
            return after in ("of", "in", ",", ".", "people")
        return False

    def _singles(self, toks: Tokens, words: list[str], taken: set[int]) -> list[CountMention]:
        """ "a North Korean woman": one person, counted only with a nationality or a
        victim noun, never "a man" in passing (the segmenter also needs an event)."""
        out: list[CountMention] = []
        for i in toks.positions(_ARTICLES):
            if i in taken:
                continue
            group = self._group(toks, words, i + 1, singular=True)
            if group is None:
                continue
            end_k, category, nationality, nat_span = group
            aged = "old" in words[i + 1 : end_k]  # "a 15-year-old boy": a specific person
            # "include five women and a child": the list after "include" names members.
            before = words[max(0, i - 6) : i]
            member = any(w in _INCLUDES for w in before if w not in (".", ";")) or (
                tuple(before[-2:]) in _MEMBER_INTROS
            )
            if (
                nationality is None
                and not aged
                and not member
                and category in ("women", "men", "minors", "total")
                and (
                    words[end_k - 1]
                    in (
                        "woman",
                        "man",
                        "child",
                        "girl",
                        "boy",
                        "person",
                        "individual",
                        "worker",
                        "mother",
                        "father",
                        "baby",
                        "infant",
                        "minor",
                    )
                )
            ):
                continue
            mention = self._mention(
                toks,
                words,
                toks.starts[i],
                toks.end(i),
                i,
                end_k,
                1,
                1,
                1,
                "exact",
                category,
                nationality,
                nat_span,
                single=True,
            )
            out.append(replace(mention, member=member) if member else mention)
        return out

    def _mention(
        self,
        toks: Tokens,
        words: list[str],
        start: int,
        end: int,
        first: int,
        last: int,
        value: int,
        mn: int | None,
        mx: int | None,
        qualifier: str,
        category: str,
        nationality: str | None,
        nat_span: tuple[int, int] | None,
        *,
        single: bool,
    ) -> CountMention:
        phrase_last = last
        # "20 underaged individuals ranging from infants to teenagers": the minors' phrase.
        if (
            last + 4 < len(words)
            and words[last] == "ranging"
            and words[last + 1] == "from"
            and words[last + 4] in self.t.minor_range_words
        ):
            phrase_last = last + 5
            if category == "total" and words[last + 2] in self.t.minor_range_words:
                category = "minors"
        return CountMention(
            start=start,
            end=end,
            first=first,
            last=last,
            phrase_end=toks.end(phrase_last - 1),
            value=value,
            min=mn,
            max=mx,
            qualifier=qualifier,
            category=category,
            nationality=nationality,
            nationality_span=nat_span,
            aggregate=self._aggregate(toks, words, first, last),
            single=single,
            ages=self._ages_after(words, phrase_last) if category != "minors" else None,
        )

    def groups(self, doc: Doc) -> list[GroupMention]:
        """Victim nouns with their nationality, wherever they stand (no number needed)."""
        toks = tokens_of(doc)
        words = toks.words
        out: list[GroupMention] = []
        after = 0
        for i in toks.positions(self._group_openers):
            if i < after:
                continue
            nat = self.nationalities.at(words, i)
            start = i
            k = i + nat[0] if nat is not None else i
            hit = self.plural.at(words, k) or self.singular.at(words, k)
            if hit is None and nat is not None:
                # "North Koreans" is itself the group noun.
                hit = self.plural.at(words, i)
                k = i
            if hit is None:
                continue
            end = k + hit[0]
            nat_span = toks.char_span(i, i + nat[0]) if nat is not None else None
            out.append(
                GroupMention(
                    toks.starts[start],
                    toks.end(end - 1),
                    start,
                    end,
                    hit[1],
                    nat[1] if nat else None,
                    nat_span,
                )
            )
            after = end
        return out
