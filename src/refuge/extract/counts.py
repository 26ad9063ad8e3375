"""Victim counts: a number attached to a group of people, and which part of the group it is.

"70 North Korean defectors" is a total with a nationality; "50 adults", "20 underaged
individuals", "30 women" are parts (adults, minors, women, men); "a North Korean woman" is
one person. A count followed by "since 2020", "so far", "every year" is an aggregate
statistic, marked so that it never becomes an incident.

Component ``refuge_counts_v5`` (after ``refuge_numbers_v1``) sets ``doc._.refuge_counts``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import pairwise

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
# Quotation marks around a group noun ("four "illegal border crossers"") keep the count.
_QUOTES = frozenset({'"', "“", "”", "'", "‘", "’"})
# Nouns of one person that are a victim count only with a nationality ("a Chinese driver"):
# without one they are too often a witness or a passer-by ("a taxi driver reported them").
_NEEDS_NATIONALITY = frozenset(
    {
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
        "citizen",
        "national",
        "pastor",
        "broker",
        "driver",
        "farmer",
        "student",
        "guide",
    }
)
# After a nationality, a word that makes it an adjective of a noun that is not a person
# ("a North Korean family of five", "a North Korean restaurant").
_NOT_ADJECTIVE_NEXT = frozenset(
    {"who", "was", "is", "had", "has", "and", "or", "in", "at", "from", "on", "with", "whose"}
    | {"named", "living", "whom", "that", "were", "said", "told", "by", "to", "for", "of"}
)
# Words that join the items of a list of people.
_LIST_JOINERS = frozenset({",", "and", "plus", "as", "well"})
_POSSESSIVES = frozenset({"his", "her", "their", "my", "your", "our"})
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
    # "a woman" without a nationality or a victim's noun: a person the text introduces, who
    # may be the victim its later sentences speak of ("she was arrested"); never a count by
    # itself.
    plain: bool = False


@dataclass(frozen=True, slots=True)
class Enumeration:
    """People listed one part after another: "three men and three women", "a woman and her
    ten-year-old daughter", "two parents, a grandmother and two children".

    ``parts`` holds a category's value only where one item of the list states it and the
    list decides it (no other item could add to it); ``total`` is the sum of the items,
    which is a count of the group only where the text also states that number.
    """

    start: int
    end: int
    first: int  # first token
    last: int  # token after the list
    total: int
    # (category, value, span start, span end, end of the part's phrase)
    parts: tuple[tuple[str, int, int, int, int], ...]
    inclusive: bool  # after "include", "among them": some members, not the whole group


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
        self.nationality_after = PhraseTable(tokenize, tables.nationality_after)
        self.partitive = PhraseTable.of_set(tokenize, tables.partitive)
        self.aggregate_after = PhraseTable.of_set(tokenize, tables.aggregate_after)
        self.aggregate_before = PhraseTable.of_set(tokenize, tables.aggregate_before)
        self.minor_predicates = PhraseTable.of_set(tokenize, _MINOR_PREDICATES)
        self._group_openers = (
            self.nationalities.first_words | self.plural.first_words | self.singular.first_words
        )
        # The last words of the plural group nouns ("women", "koreans", "workers").
        self._plural_heads = frozenset(phrase.split()[-1] for phrase in tables.plural_groups)
        # The words a group phrase can open with (besides digits): any other word where
        # ``_group`` starts ends it at once, so it is answered without entering the loop.
        self._group_starts = (
            _QUOTES
            | frozenset(tables.number_words)
            | self.nationalities.first_words
            | self.plural.first_words
            | self.singular.first_words
            | self.modifier_groups.first_words
            | tables.modifiers
        )

    def _group(
        self, toks: Tokens, words: list[str], j: int, singular: bool
    ) -> tuple[int, str, str | None, tuple[int, int] | None] | None:
        """The group noun phrase after a number at token j: (end, category, nationality)."""
        if j >= len(words) or (words[j] not in self._group_starts and not words[j].isdigit()):
            return None
        table = self.singular if singular else self.plural
        modifier_category: str | None = None
        nationality: str | None = None
        nat_span: tuple[int, int] | None = None
        k = j
        steps = 0
        ages: list[int] = []
        # "Seven North Koreans arrested in ...": the nationality is itself the group noun
        # when the words after it lead to no other.
        fallback: tuple[int, str, str | None, tuple[int, int] | None] | None = None
        while k < len(words) and steps <= _MAX_MODIFIERS:
            if words[k].isspace():
                return fallback
            if words[k] in _QUOTES:
                k += 1
                continue
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
                own = table.at(words, k)
                if fallback is None and own is not None and own[0] == nat[0]:
                    fallback = (k + own[0], own[1], nationality, nat_span)
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
                if nationality is None:
                    # "eight citizens of the Democratic People's Republic of Korea"
                    of = self.nationality_after.at(words, k + n)
                    if of is not None:
                        nationality = of[1]
                        nat_span = toks.char_span(k + n, k + n + of[0])
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
            return fallback
        return fallback

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

    def _stock(self, words: list[str], first: int, last: int, value: int) -> bool:
        """An estimate of how many are held or live somewhere ("an estimated 2,000 North
        Koreans are still held in China"), not a group something was done to."""
        t = self.t
        if value < t.stock_minimum or not t.stock_estimate:
            return False
        n = len(t.stock_estimate)
        lead = list(t.stock_estimate)
        if lead not in (words[max(0, first - n) : first], words[first : first + n]):
            return False
        # The verb right after the group noun ("are still held"), not one inside a clause
        # about them ("who work at seafood plants ... were sent back") nor a report of an
        # act ("are believed to have been repatriated").
        k = last + 1 if words[last : last + 1] == ["still"] else last
        return (
            k < len(words)
            and words[k] in t.present_state_verbs
            and words[k + 1 : k + 2] not in (["believed"], ["said"], ["reported"], ["thought"])
        )

    def _perfect_of(self, words: list[str], last: int, k: int, verbs: frozenset[str]) -> bool:
        """Whether a perfect passive of one of ``verbs`` follows the count before ``k``
        ("70 North Koreans have been arrested since January"; not "eight caught in Yanji
        have been in custody since March")."""
        between = words[last:k]
        for n in range(len(between) - 2):
            if (
                between[n] in self.t.perfect_auxiliaries
                and between[n + 1] in self.t.passive_been
                and between[n + 2] in verbs
            ):
                return True
        return False

    def _aggregate(self, toks: Tokens, words: list[str], first: int, last: int) -> bool:
        if words[first] in self.t.vague_numbers and words[first + 1 : first + 2] == ["more"]:
            return True  # "hundreds more were still being held": others, not a group told of
        before_words = self.aggregate_before.first_words
        after_words = self.aggregate_after.first_words
        for back in range(max(0, first - 4), first):
            if words[back] not in before_words:
                continue
            hit = self.aggregate_before.at(words, back, first)
            if hit is not None and back + hit[0] == first:
                return True
        # "Since 2015 some 300 children have been returned": a statistic, told first (the
        # year right before the count; "Hiding in Tumen since 2015, six ..." is not one).
        if first >= 2 and words[first - 2] == "since" and _YEAR.match(words[first - 1]):
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
                # "More than 70 have been arrested since January": arrests that added up
                # over a time, not one group ("have been held since March" is one state).
                if self._perfect_of(words, last, k, self.t.accumulating_verbs):
                    return True
            elif w == "between" and k + 1 < len(words) and _YEAR.match(words[k + 1]):
                return True
            elif (
                w == "between"
                and k + 3 < len(words)
                and words[k + 1] in self.t.period_months
                and words[k + 2] in self.t.period_joiners
                and words[k + 3] in self.t.period_months
                and any(x in self.t.accumulating_verbs for x in words[last:k])
            ):
                # "at least 14 caught between January and April" (not "held between
                # January and April": one group's stay)
                return True
            elif w in after_words:
                hit = self.aggregate_after.at(words, k)
                after = words[k + hit[0]] if hit and k + hit[0] < len(words) else ""
                # "a month ago" dates an event; "1,000 a month" is a rate.
                if (
                    hit is not None
                    and after not in ("ago", "earlier", "before", "later", "in", "of", "after")
                    # "hiding in Tumen for a month" is how long, not a rate ("40 a month").
                    and not (w in ("a", "an") and words[k - 1] in self.t.duration_words)
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
            if (
                num.num_first > 0
                and words[num.num_first - 1] in self.t.period_months
                and words[num.num_first].isdigit()
                and int(words[num.num_first]) <= 31
            ):
                continue  # "On May 9 the women were held": a day of a month, not 9 women
            j = num.last
            # "dozens of defectors", "hundreds of North Koreans"
            if j < len(words) and words[j] == "of" and (num.vague or num.value >= 100):
                j += 1
            subset = (
                j + 1 < len(words)
                and words[j] == "of"
                and words[j + 1] in ("the", "them", "these", "those", "whom")
            )
            # "one of the men escaped": a member of a group counted before, not a count of
            # its men (a subset is a part only through its verb: "four of them were women").
            group = None if subset else self._group(toks, words, j, singular=False)
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
        doc.user_data["refuge.enumerations"] = self.enumerations(toks, words, out)
        # People introduced without being a count ("a woman referred to here as Ms. K"):
        # kept apart, for the segmenter to find whom "she" is.
        doc.user_data["refuge.persons"] = [c for c in out if c.plain]
        return [c for c in out if not c.plain]

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
            if (
                i > 0
                and words[i - 1] in self.t.role_preps
                and not (i > 1 and words[i - 2] in self.t.role_prep_exceptions)
            ):
                continue  # "crossed the river as a teenager", "rented by a farmer": no victim
            group = self._group(toks, words, i + 1, singular=True)
            if group is None:
                continue
            end_k, category, nationality, nat_span = group
            nat_noun = self.nationalities.at(words, i + 1)
            if (
                end_k < len(words)
                and words[end_k].isalpha()
                and toks.texts[end_k].islower()
                and words[end_k] not in _NOT_ADJECTIVE_NEXT
                and nat_noun is not None
                and i + 1 + nat_noun[0] == end_k
            ):
                continue  # "a North Korean family of five": an adjective, not a person
            aged = "old" in words[i + 1 : end_k]  # "a 15-year-old boy": a specific person
            # "include five women and a child": the list after "include" names members.
            before = words[max(0, i - 6) : i]
            member = any(w in _INCLUDES for w in before if w not in (".", ";")) or any(
                pair in _MEMBER_INTROS for pair in pairwise(before)
            )
            plain = (
                nationality is None
                and not aged
                and not member
                and category in ("women", "men", "minors", "total")
                and words[end_k - 1] in _NEEDS_NATIONALITY
            )
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
            if member or plain:
                mention = replace(mention, member=member, plain=plain)
            out.append(mention)
        return out

    def _kin(self, toks: Tokens, words: list[str], i: int) -> CountMention | None:
        """ "her ten-year-old daughter", "his wife", "their two children": relatives named
        by a possessive, which count only as items of a list of people."""
        if words[i] not in _POSSESSIVES or i + 1 >= len(words):
            return None
        num = self.t.number_words.get(words[i + 1])
        if i + 2 < len(words) and words[i + 2] in ("-", "year", "years", "month"):
            num = None  # "her ten-year-old daughter": an age, not a number of people
        j = i + 2 if num is not None and num > 1 else i + 1
        group = self._group(toks, words, j, singular=num is None or num == 1)
        if group is None:
            return None
        end_k, category, nationality, nat_span = group
        value = num if num is not None and num > 1 else 1
        return self._mention(
            toks,
            words,
            toks.starts[i],
            toks.end(j - 1),
            i,
            end_k,
            value,
            value,
            value,
            "exact",
            category,
            nationality,
            nat_span,
            single=value == 1,
        )

    def enumerations(
        self, toks: Tokens, words: list[str], counts: list[CountMention]
    ) -> list[Enumeration]:
        """Lists of two or more people items ("three men and three women", "a woman and
        her daughter"), from the counts found and relatives named with a possessive."""
        items = sorted(
            [c for c in counts if not c.aggregate]
            + [
                k
                for k in (self._kin(toks, words, p) for p in toks.positions(_POSSESSIVES))
                if k is not None
            ],
            key=lambda c: c.first,
        )
        out: list[Enumeration] = []
        run: list[CountMention] = []
        for c in [*items, None]:
            if c is not None and run and c.first < run[-1].last:
                continue  # "her two sons" read both as a count and as kin: one item
            if c is not None and run and self._joined(words, run[-1], c):
                run.append(c)
                continue
            if (
                len(run) > 1
                and run[0].value > 1
                and self._after_item(words[run[0].last : run[1].first]) == [","]
                and (
                    run[0].value == sum(x.value for x in run[1:])
                    or (
                        all(x.single for x in run[1:])
                        and sum(x.value for x in run[1:]) < run[0].value
                    )
                )
            ):
                # "two are children, a boy of about eight and a girl of about eleven": the
                # items after the first say who the first are; no list to add up.
                run = []
            if len(run) > 1:
                out.append(self._enumeration(toks, words, run))
            run = [c] if c is not None else []
        return out

    def _after_item(self, between: list[str]) -> list[str]:
        """The list words after an item, past what only describes it: "in her forties",
        "of about ten", "aged 16"."""
        k = 0
        if between[:1] == ["in"] and between[1:2] in (["her"], ["his"], ["their"]):
            if between[2:3] and between[2] in self.t.adult_decades | {"teens"}:
                k = 3
        elif between[:1] == ["of"] and between[1:2] in (["about"], ["around"], ["roughly"]):
            k = 3
        elif between[:1] == ["of"] and between[1:2] and between[1].isdigit():
            k = 2  # "a woman of 45, her two sons": her age
        elif between[:1] and between[0] in self.t.age_words:
            k = 2
        return between[k:] if k else between

    def _joined(self, words: list[str], a: CountMention, b: CountMention) -> bool:
        """Whether only list words stand between two items ("two parents, a grandmother")
        and the second item is the last or the list goes on after it."""
        between = self._after_item(words[a.last : b.first])
        if not between or b.first <= a.last or len(between) > 3:
            return False
        if not all(w in _LIST_JOINERS for w in between):
            return False
        if a.nationality and b.nationality and a.nationality != b.nationality:
            return False  # "a Chinese broker and eight North Koreans": two groups
        if b.category == "total" and not b.single and words[b.first] not in _POSSESSIVES:
            return False  # "a broker and eight North Koreans"; "her two daughters" is kin
        # An age or a relative clause after an item ends at the comma: "two children aged
        # nine and twelve" is one item.
        return a.category != "total" or a.single

    def _enumeration(self, toks: Tokens, words: list[str], run: list[CountMention]) -> Enumeration:
        first, last = run[0].first, run[-1].last
        start = run[0].start
        total = sum(c.value for c in run)
        classes: dict[str, list[CountMention]] = {}
        for c in run:
            classes.setdefault(self._item_class(c), []).append(c)
        parts: list[tuple[str, int, int, int, int]] = []

        def one(category: str, members: list[CountMention]) -> None:
            if len(members) != 1:
                return  # a sum of items is stated by no words of the text
            c = members[0]
            # A lone person's own words ("her daughter") name no number: the list from its
            # first word names this one person among the others.
            if c.value == 1:
                # Only where those words hold "a" or "one" ("a woman and her daughter"):
                # "her brother and her grandmother" states no number at all.
                if words[first] in self.t.singular_determiners:
                    parts.append((category, 1, start, c.phrase_end, c.phrase_end))
                elif words[c.first] in self.t.singular_determiners:
                    parts.append((category, 1, c.start, c.phrase_end, c.phrase_end))
            else:
                # The number's own words, and the phrase that names the part.
                parts.append((category, c.value, c.start, c.end, c.phrase_end))

        before = words[max(0, first - 6) : first]
        inclusive = any(w in _INCLUDES for w in before) or any(
            pair in _MEMBER_INTROS for pair in pairwise(before)
        )
        if inclusive:
            # "who include a pregnant woman and at least two teenagers": one person singled
            # out is no count of the group's women (a child among them still is a minor).
            for category in ("women", "men", "adults"):
                classes[category] = [c for c in classes.get(category, []) if c.value > 1]
        minors = classes.get("minors", [])
        if minors:
            one("minors", minors)
        women = classes.get("women", [])
        men = classes.get("men", [])
        unsexed = classes.get("adults", []) + classes.get("total", [])
        if not unsexed:
            # Every adult's sex is told, so the women and the men are all counted.
            if women:
                one("women", women)
            if men:
                one("men", men)
        lone_adults = [c for c in women + men if c.value == 1]
        if not unsexed and len(lone_adults) == len(women + men) and lone_adults:
            one("adults", lone_adults)  # "a woman and her daughter": one adult
        elif classes.get("adults") and not classes.get("total") and not women + men:
            one("adults", classes["adults"])
        return Enumeration(
            start,
            toks.end(last - 1),
            first,
            last,
            total,
            tuple(parts),
            inclusive,
        )

    @staticmethod
    def _item_class(c: CountMention) -> str:
        if c.ages in ("adults", "minors") and c.category == "total":
            return c.ages
        return c.category

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
            aggregate=self._aggregate(toks, words, first, last)
            # "An estimated 2,000 North Koreans are held in China": a stock, not a group.
            or self._stock(words, first, last, value),
            single=single,
            ages=self._ages_after(words, phrase_last) if category != "minors" else None,
        )

    def ages_by_reference(self, doc: Doc) -> list[tuple[int, str]]:
        """ "The women, aged between 19 and 52, had worked ...": the ages of a group told of
        before, as (token of the age word, "adults" or "minors")."""
        toks = tokens_of(doc)
        words = toks.words
        out: list[tuple[int, str]] = []
        for k in toks.positions(self.t.age_words):
            # "the women ,", "the three men ,": a definite group noun and its comma.
            if k < 3 or words[k - 1] != ",":
                continue
            noun = words[k - 2]
            if noun not in self._plural_heads:
                continue
            if words[k - 3] != "the" and not (
                k >= 4 and words[k - 4] == "the" and words[k - 3] in self.t.number_words
            ):
                continue
            category = self._ages_after(words, k)
            if category is not None:
                out.append((k, category))
        return out

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
