"""Dates: absolute ("on July 25", "in October 2023", "25 July 2017", "in 2019") and relative
("a month ago", "last week", "last year", "on the 9th of this month", "last Thursday"),
anchored on the publication date, each with the precision the text gives and no more.

Candidate phrases are found here, token by token; nothing is parsed from free prose, so
"may" the verb and "march" the noun are never dates (month names must be capitalised), and
nothing is filled in from today's date.

Component ``refuge_dates_v4`` sets ``doc._.refuge_dates``; the anchor is read from
``doc.user_data["refuge.published"]`` (a ``datetime.date`` or None).
"""

from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from spacy.tokens import Doc

from refuge.extract.lang import DateTables
from refuge.extract.result import When
from refuge.extract.tokens import Tokens, tokens_of

_YEAR = re.compile(r"^(19[5-9]\d|20\d\d)$", re.ASCII)
_DAY = re.compile(r"^([1-9]|[12]\d|3[01])(st|nd|rd|th)?$", re.ASCII)
_ISO = re.compile(r"^(\d{4})-(\d\d)-(\d\d)$", re.ASCII)
_MONTH_CONTEXT = frozenset(
    {
        "in",
        "on",
        "since",
        "until",
        "by",
        "early",
        "late",
        "mid",
        "of",
        "last",
        "this",
        "from",
        "during",
        "through",
        "till",
        "between",
        "and",
        "to",
        "-",
        "end",
        "beginning",
        "before",
        "after",
        "around",
    }
)
# What follows the date of a dateline: the outlet in brackets, or a dash.
_DATELINE_AFTER = frozenset({"(", "-", "–", "—"})
_SPEECH_WINDOW = 5
# Words before a date that make it the date of a document or an interview ("an opinion
# adopted last year", "interviewed in Seoul in May 2021"), not of anything done to people.
_DOCUMENT_VERBS = frozenset(
    {"adopted", "published", "issued", "dated", "interviewed", "written", "filed", "posted"}
    | {"notice", "statement", "judgment", "briefing", "announcement", "bulletin", "spoke"}
)
# How far before a date such a word may stand ("interviewed in Seoul over two sessions in
# September 2023").
_DOCUMENT_WINDOW = 8
# How many words before ", who" the attribution of a clause about a source may start.
_SOURCE_WINDOW = 8
_DAY_PARTS = frozenset({"day", "evening", "night", "morning", "afternoon"})
_ANAPHORIC_CUES = frozenset(
    {"later", "after", "next", "following", "same", "evening", "night", "end"}
)
_UNRESOLVED = When("", "", "day")
_AMOUNTS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
}


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    tok_start: int
    tok_end: int
    when: When
    relative: bool
    # Not the date of an event: the start of a statistic ("since 2020"), the date of a
    # document or an interview ("an opinion adopted last year"), or a date in a clause about
    # the teller ("his brother, who reached South Korea in 2016").
    since: bool
    speech: bool  # dates the telling ("told Daily NK on July 25"), not the event
    # A date told from the incident's previous one ("two days later", "the same evening",
    # "the following Monday"): (unit, amount) with unit "day", "month" or "weekday"; its
    # ``when`` is a placeholder until the segmenter resolves it (``resolve_after``).
    after: tuple[str, int] | None = None


def _month_when(y: int, m: int) -> When:
    s = f"{y:04d}-{m:02d}"
    return When(s, s, "month")


def _day_when(d: date) -> When:
    s = d.isoformat()
    return When(s, s, "day")


def _year_when(y: int) -> When:
    return When(f"{y:04d}", f"{y:04d}", "year")


def _shift_months(d: date, months: int) -> tuple[int, int]:
    total = d.year * 12 + (d.month - 1) - months
    return total // 12, total % 12 + 1


def _year_for(anchor: date | None, month: int, day: int | None) -> int | None:
    """The year of a month (and day) given without one: the latest not after the anchor."""
    if anchor is None:
        return None
    if month > anchor.month or (day is not None and month == anchor.month and day > anchor.day):
        return anchor.year - 1
    return anchor.year


class DateFinder:
    def __init__(self, tables: DateTables, speech_verbs: frozenset[str]) -> None:
        self.t = tables
        self.speech = speech_verbs
        self._openers = frozenset(
            {*tables.months, *tables.yesterday, *tables.last, *tables.this, *_AMOUNTS}
            | {"early", "mid", "late", "on", "a", "an", "one"}
            | set(tables.weekdays)
        )
        self._last_or_this = tables.last | tables.this  # made once, not per look-up

    def find(self, doc: Doc) -> list[DateMention]:
        anchor = doc.user_data.get("refuge.published")
        toks = tokens_of(doc)
        words = toks.words
        out: list[DateMention] = []
        # Only words that can open a date phrase are tried: its table words and numbers.
        numbers = toks.digit_starts()
        candidates = sorted({*toks.positions(self._openers), *numbers})
        after = 0
        for i in candidates:
            if i < after:
                continue
            hit = self._at(toks, words, i, anchor)
            if hit is None:
                continue
            first, j, when, relative = hit
            # The telling's verb stands in the date's own sentence ("told ... on July 25"),
            # not at the end of the one before.
            sent = toks.sentence_of(first)
            floor = toks.sent_starts[sent] if sent >= 0 else 0
            # "since 2020", "between 2015 and 2019" open a statistic; "between March 3
            # and 9" is the span of one event.
            since = (
                (
                    first > 0
                    and words[first - 1] in self.t.aggregate_preps
                    and not (when.precision == "day" and words[first - 1] == "between")
                    # "the largest return since October last year, when 500 were sent back":
                    # the clause after the date tells what happened then.
                    and not (j + 1 < len(words) and words[j] == "," and words[j + 1] == "when")
                )
                or any(
                    w in _DOCUMENT_VERBS
                    for w in words[max(floor, first - _DOCUMENT_WINDOW) : first]
                )
                # A clause about the teller or a place's past dates no act on the group.
                or self._about_source(words, floor, first)
            )
            speech = any(
                w in self.speech for w in words[max(floor, first - _SPEECH_WINDOW) : first]
            ) or self._in_dateline(toks, first, j)
            out.append(
                DateMention(
                    toks.starts[first],
                    toks.end(j - 1),
                    first,
                    j,
                    when,
                    relative,
                    since,
                    speech,
                )
            )
            after = j
        out.extend(self._anaphoric(toks, out))
        out.sort(key=lambda d: d.start)
        return out

    @staticmethod
    def _in_dateline(toks: Tokens, first: int, j: int) -> bool:
        """ "SEOUL, June 14 (Meridian Wire) -": the day the report was filed, which dates
        the telling, not an event. A line that opens with a place in capitals, the date
        within its first words and the outlet or a dash right after."""
        breaks = toks.line_breaks()
        k = bisect.bisect_left(breaks, first)
        line = breaks[k - 1] + 1 if k > 0 else 0
        if first - line > 6 or not (toks.texts[line].isupper() and len(toks.texts[line]) > 2):
            return False
        return any(w in _DATELINE_AFTER for w in toks.words[j : j + 6])

    def _about_source(self, words: list[str], floor: int, first: int) -> bool:
        """Whether the date stands in a relative clause about the one a report is
        attributed to ("according to his brother, who reached South Korea in 2016") or
        about a place's past ("Onsong, where the family lived before it fled in 2019")."""
        for k in range(first - 1, floor, -1):
            w = words[k]
            if w in (".", ";"):
                return False
            if w in self.t.place_relatives:
                # "in Onsong, the county where the family lived before it fled in 2019": the
                # place's past, told by a verb of living or leaving right before the date
                # ("the flat where they had lived was raided on May 3" dates the raid).
                return any(
                    x in self.t.background_verbs for x in words[max(k + 1, first - 3) : first]
                )
            if w in self.t.source_relatives and words[k - 1] == ",":
                # The attribution's own words end just before the clause ("according to
                # the man's brother, who"), not a whole statement before it ("said that it
                # had detained eight North Koreans, who were found on Tuesday"); what the
                # source says in it ("who said they were returned on May 20") is reported.
                near = words[max(floor, k - 1 - _SOURCE_WINDOW) : k - 1]
                reported = any(x in self.speech for x in words[k + 1 : first])
                return not reported and any(
                    x in self.t.attributions or x in self.speech for x in near
                )
        return False

    def _anaphoric(self, toks: Tokens, found: list[DateMention]) -> list[DateMention]:
        """Dates told from the one before: "two days later", "a week later", "the next
        day", "the following Monday", "the same evening", "later the same month"."""
        words = toks.words
        n = len(words)
        taken = {k for d in found for k in range(d.tok_start, d.tok_end)}
        out: list[DateMention] = []
        for k in toks.positions(_ANAPHORIC_CUES):
            if k in taken:
                continue
            hit = self._anaphoric_at(words, k, n)
            if hit is None:
                continue
            first, j, after = hit
            if any(t in taken for t in range(first, j)):
                continue
            taken.update(range(first, j))
            out.append(
                DateMention(
                    toks.starts[first],
                    toks.end(j - 1),
                    first,
                    j,
                    _UNRESOLVED,
                    True,
                    False,
                    False,
                    after,
                )
            )
        return out

    def _anaphoric_at(
        self, words: list[str], k: int, n: int
    ) -> tuple[int, int, tuple[str, int]] | None:
        w = words[k]
        prev = words[k - 1] if k > 0 else ""
        nxt = words[k + 1] if k + 1 < n else ""
        if w == "end":
            # "at the end of the month": the month of the date before, at month precision.
            if prev == "the" and words[k + 1 : k + 4] in (
                ["of", "the", "month"],
                ["of", "that", "month"],
            ):
                return k - 1, k + 4, ("month", 0)
            return None
        if w == "after" and k >= 2 and prev in self.t.units:
            # "three days after the arrest": from the date before, as "three days later".
            if (
                k + 2 < n
                and words[k + 1] in self.t.event_determiners
                and words[k + 2] in self.t.event_nouns
                # "three days after the arrest of their guide": another's act
                and not (k + 3 < n and words[k + 3] == "of")
            ):
                shift = self._shift_before(words, k)
                return None if shift is None else (k - 2, k + 3, shift)
            return None
        if w == "later":
            # "two days later", "a week later", "3 weeks later"
            if k >= 2 and prev in self.t.units:
                shift = self._shift_before(words, k)
                return None if shift is None else (k - 2, k + 1, shift)
            # "later the same month", "later that month", "later that day"
            rest = words[k + 1 : k + 4]
            if rest[:2] in (["the", "same"], ["that", "same"]) and len(rest) == 3:
                unit_word, j = rest[2], k + 4
            elif rest[:1] == ["that"] and len(rest) >= 2:
                unit_word, j = rest[1], k + 3
            else:
                return None
            if unit_word == "month":
                return k, j, ("month", 0)
            if unit_word in _DAY_PARTS:
                return k, j, ("day", 0)
            return None
        if w in ("next", "following") and prev == "the":
            if nxt in _DAY_PARTS and nxt != "night":
                return k - 1, k + 2, ("day", 1)
            if nxt in self.t.weekdays:
                first = k - 2 if k >= 2 and words[k - 2] == "on" else k - 1
                return first, k + 2, ("weekday", self.t.weekdays[nxt])
            if nxt == "month":
                return k - 1, k + 2, ("month", 1)
            return None
        if w == "same" and prev in ("the", "that") and nxt in _DAY_PARTS:
            return k - 1, k + 2, ("day", 0)
        if w in _DAY_PARTS and w != "day" and prev == "that":
            return k - 1, k + 1, ("day", 0)
        return None

    def _shift_before(self, words: list[str], k: int) -> tuple[str, int] | None:
        """The amount and unit right before token ``k`` ("two days", "a week", "3 weeks")
        as a shift from the date before: ("day", n) or ("month", n)."""
        amount_word = words[k - 2]
        amount = (
            1
            if amount_word in ("a", "an", "one")
            else int(amount_word)
            if amount_word.isdigit() and len(amount_word) <= 2
            else _AMOUNTS.get(amount_word)
        )
        if amount is None:
            return None
        unit = self.t.units[words[k - 1]]
        if unit == "day":
            return ("day", amount)
        if unit == "week":
            return ("day", 7 * amount)
        if unit == "month":
            return ("month", amount)
        return None

    def _month_at(self, toks: Tokens, words: list[str], i: int) -> int | None:
        w = words[i]
        if w not in self.t.months:
            return None
        text = toks.texts[i]
        if not (text[0].isupper()):
            return None
        if w in (
            "may",
            "march",
            "jan",
            "mar.",
            "dec",
            "oct",
            "aug",
            "nov",
            "feb",
            "apr",
            "sept",
            "jun.",
        ):
            prev = words[i - 1] if i > 0 else ""
            nxt = words[i + 1] if i + 1 < len(words) else ""
            if not (
                _DAY.match(nxt) or _YEAR.match(nxt) or prev in _MONTH_CONTEXT or _DAY.match(prev)
            ):
                return None  # "may" the verb, "march" the noun; "4 March" is a date
        return self.t.months[w]

    def _at(
        self, toks: Tokens, words: list[str], i: int, anchor: date | None
    ) -> tuple[int, int, When, bool] | None:
        w = words[i]
        n = len(words)
        nxt = words[i + 1] if i + 1 < n else ""
        # 2017-07-25
        iso = _ISO.match(w)
        if iso:
            try:
                return i, i + 1, _day_when(date(int(iso[1]), int(iso[2]), int(iso[3]))), False
            except ValueError:
                return None
        # early/mid/late October
        if w in ("early", "mid", "late") and i + 1 < n:
            k = i + 2 if nxt == "-" else i + 1
            if k < n and self._month_at(toks, words, k) is not None:
                hit = self._at(toks, words, k, anchor)
                if hit is not None:
                    _, j, when, rel = hit
                    if when.precision == "day":
                        return None
                    return i, j, when, rel
        month = self._month_at(toks, words, i)
        if month is not None:
            return self._from_month(words, i, month, anchor)
        # 25 July 2017, the 9th of July
        day = _DAY.match(w)
        if day:
            k = i + 1
            if k < n and words[k] in self.t.ordinal_suffixes:
                k += 1
            if k < n and words[k] == "of":
                k += 1
            if k < n and self._month_at(toks, words, k) is not None:
                m = self.t.months[words[k]]
                dd = int(day[1]) if day else 0
                y_tok = k + 1
                if y_tok < n and _YEAR.match(words[y_tok]):
                    return self._safe_day(i, y_tok + 1, int(words[y_tok]), m, dd, False)
                y = _year_for(anchor, m, dd)
                if y is None:
                    return None
                return self._safe_day(i, k + 1, y, m, dd, True)
            # "the 9th of this month", "the 9th of last month"
            if (
                k + 1 < n
                and words[k] in self._last_or_this
                and words[k + 1] == "month"
                and anchor is not None
                and (day[2] or words[i + 1 : i + 2] == ["th"])
            ):
                y, m = (
                    (anchor.year, anchor.month)
                    if words[k] in self.t.this
                    else _shift_months(anchor, 1)
                )
                return self._safe_day(i, k + 2, y, m, int(day[1]), True)
            # "on the 9th" alone: this month, when the day has passed
            if (
                i > 1
                and words[i - 1] == "the"
                and words[i - 2] == "on"
                and day[2]
                and anchor is not None
                and words[k] != "of"
            ):
                dd = int(day[1])
                y, m = (anchor.year, anchor.month) if dd <= anchor.day else _shift_months(anchor, 1)
                return self._safe_day(i - 1, i + 1, y, m, dd, True)
        # in 2019
        if (
            _YEAR.match(w)
            and i > 0
            and words[i - 1]
            in ("in", "since", "during", "until", "of", "by", "early", "late", "mid", "-")
        ):
            if nxt in ("-", "–", "/") and i + 2 < n and _YEAR.match(words[i + 2]):
                return None
            return i, i + 1, _year_when(int(w)), False
        return self._relative(toks, words, i, anchor)

    def _from_month(
        self, words: list[str], i: int, month: int, anchor: date | None
    ) -> tuple[int, int, When, bool] | None:
        n = len(words)
        k = i + 1
        if k < n and _DAY.match(words[k]) and not _YEAR.match(words[k]):
            dd = int(_DAY.match(words[k])[1])  # type: ignore[index]
            k += 1
            if k < n and words[k] in self.t.ordinal_suffixes:
                k += 1
            if k + 1 < n and words[k] == "," and _YEAR.match(words[k + 1]):
                return self._safe_day(i, k + 2, int(words[k + 1]), month, dd, False)
            if k < n and _YEAR.match(words[k]):
                return self._safe_day(i, k + 1, int(words[k]), month, dd, False)
            last_day = self._range_end(words, i, k)
            y = _year_for(anchor, month, dd)
            if y is None:
                return None
            if last_day is not None:
                # "between March 3 and 9", "March 3-9", "from March 3 to 9": one range.
                first_hit = self._safe_day(i, k + 2, y, month, dd, True)
                end_hit = self._safe_day(i, k + 2, y, month, last_day[0], True)
                if first_hit is not None and end_hit is not None:
                    return i, last_day[1], When(first_hit[2].start, end_hit[2].end, "day"), True
            return self._safe_day(i, k, y, month, dd, True)
        if k < n and _YEAR.match(words[k]):
            return i, k + 1, _month_when(int(words[k]), month), False
        if k + 1 < n and words[k] == "," and _YEAR.match(words[k + 1]):
            return i, k + 2, _month_when(int(words[k + 1]), month), False
        first = i
        if i > 0 and words[i - 1] == "last":
            first = i - 1
        if i > 0 and words[i - 1] == "this":
            first = i - 1
        # "October last year", "in March of this year": the year is told relatively.
        k = i + 2 if words[i + 1 : i + 2] == ["of"] else i + 1
        if anchor is not None and k + 1 < n and words[k + 1] == "year":
            if words[k] in self.t.last:
                return first, k + 2, _month_when(anchor.year - 1, month), True
            if words[k] in self.t.this and month <= anchor.month:
                return first, k + 2, _month_when(anchor.year, month), True
        y = _year_for(anchor, month, None)
        if y is None:
            return None
        return first, i + 1, _month_when(y, month), True

    @staticmethod
    def _range_end(words: list[str], i: int, k: int) -> tuple[int, int] | None:
        """The last day of "March 3-9" / "from March 3 to 9" / "between March 3 and 9"
        (k: the token after the first day): (day, token after it)."""
        n = len(words)
        if k + 1 >= n:
            return None
        joiner = words[k]
        before = words[i - 1] if i > 0 else ""
        if not (
            joiner in ("-", "–")
            or (joiner == "to" and before in ("from", "between"))
            or (joiner == "and" and before == "between")
        ):
            return None
        day = _DAY.match(words[k + 1])
        if day is None or _YEAR.match(words[k + 1]):
            return None
        j = k + 2
        if j < n and words[j] in ("st", "nd", "rd", "th"):
            j += 1
        return int(day[1]), j

    @staticmethod
    def _safe_day(
        first: int, j: int, y: int, m: int, d: int, rel: bool
    ) -> tuple[int, int, When, bool] | None:
        if d < 1 or d > calendar.monthrange(y, m)[1]:
            return None
        return first, j, _day_when(date(y, m, d)), rel

    def _relative(
        self, toks: Tokens, words: list[str], i: int, anchor: date | None
    ) -> tuple[int, int, When, bool] | None:
        if anchor is None:
            return None
        w = words[i]
        n = len(words)
        nxt = words[i + 1] if i + 1 < n else ""
        if w in self.t.yesterday:
            return i, i + 1, _day_when(anchor - timedelta(days=1)), True
        # "a month ago", "two weeks ago", "3 days ago"
        amount: int | None = None
        k = i
        if w in ("a", "an", "one"):
            amount, k = 1, i + 1
        elif w.isascii() and w.isdigit() and len(w) <= 2:
            amount, k = int(w), i + 1
        else:
            if w in _AMOUNTS:
                amount, k = _AMOUNTS[w], i + 1
        if amount is not None and k + 1 < n and words[k] in self.t.units and words[k + 1] == "ago":
            return i, k + 2, self._ago(anchor, amount, self.t.units[words[k]]), True
        # last week / last month / last year / this year / earlier this month
        if w in self._last_or_this and nxt in self.t.units:
            unit = self.t.units[nxt]
            back = 1 if w in self.t.last else 0
            first = i - 1 if i > 0 and words[i - 1] in ("earlier", "later") else i
            return first, i + 2, self._ago(anchor, back, unit, calendar_unit=True), True
        if w in self.t.last and nxt in self.t.weekdays:
            wd = self.t.weekdays[nxt]
            delta = (anchor.weekday() - wd) % 7 or 7
            return i, i + 2, _day_when(anchor - timedelta(days=delta)), True
        if (
            w in self.t.weekdays
            and nxt in ("'s", "’s")
            and toks.texts[i][:1].isupper()
            and (i + 2 >= n or words[i + 2] not in self.t.document_nouns)
        ):
            # "Tuesday's repatriation": the day, as "on Tuesday" would give it (not
            # "Tuesday's report", which dates a telling).
            delta = (anchor.weekday() - self.t.weekdays[w]) % 7
            return i, i + 2, _day_when(anchor - timedelta(days=delta)), True
        if w == "on" and nxt in self.t.weekdays and toks.texts[i + 1][:1].isupper():
            wd = self.t.weekdays[nxt]
            delta = (anchor.weekday() - wd) % 7
            return i + 1, i + 2, _day_when(anchor - timedelta(days=delta)), True
        return None

    @staticmethod
    def _ago(anchor: date, amount: int, unit: str, *, calendar_unit: bool = False) -> When:
        if unit == "day":
            return _day_when(anchor - timedelta(days=amount))
        if unit == "week":
            monday = anchor - timedelta(days=anchor.weekday())
            if not calendar_unit:
                centre = anchor - timedelta(days=7 * amount)
                monday = centre - timedelta(days=centre.weekday())
            else:
                monday -= timedelta(days=7 * amount)
            sunday = monday + timedelta(days=6)
            return When(monday.isoformat(), sunday.isoformat(), "day")
        if unit == "month":
            y, m = _shift_months(anchor, amount)
            return _month_when(y, m)
        return _year_when(anchor.year - amount)


def parse_published(text: str) -> date | None:
    """A publication date written in the first lines of a document, if one is plain."""
    head = text[:600]
    m = re.search(r"\b(19|20)(\d\d)-(\d\d)-(\d\d)\b", head)
    if m:
        try:
            return date(int(m[1] + m[2]), int(m[3]), int(m[4]))
        except ValueError:
            return None
    months = "january february march april may june july august september october november december"
    names = {name: k + 1 for k, name in enumerate(months.split())}
    m2 = re.search(r"\b([A-Z][a-z]+)\.? (\d{1,2}), ((?:19|20)\d\d)\b", head)
    if m2 and m2[1].lower() in names:
        try:
            return date(int(m2[3]), names[m2[1].lower()], int(m2[2]))
        except ValueError:
            return None
    m3 = re.search(r"\b(\d{1,2}) ([A-Z][a-z]+) ((?:19|20)\d\d)\b", head)
    if m3 and m3[2].lower() in names:
        try:
            return date(int(m3[3]), names[m3[2].lower()], int(m3[1]))
        except ValueError:
            return None
    return None


def resolve_after(ref: When, after: tuple[str, int]) -> When | None:
    """The date ``after`` a known one: "two days later" from a day, "later the same month"
    from a day or a month; None when the known date is too coarse to count from."""
    unit, amount = after
    single_day = ref.precision == "day" and ref.start == ref.end
    if unit == "day":
        if single_day:
            return _day_when(date.fromisoformat(ref.end) + timedelta(days=amount))
        if amount == 0 and ref.precision == "month" and ref.start == ref.end:
            return _month_when(int(ref.end[:4]), int(ref.end[5:7]))
        return None  # "the same evening" after "last week": which day is not told
    if unit == "month":
        if ref.precision == "year":
            return None
        total = int(ref.end[:4]) * 12 + int(ref.end[5:7]) - 1 + amount
        return _month_when(total // 12, total % 12 + 1)
    if unit == "weekday" and single_day:
        day = date.fromisoformat(ref.end)
        delta = (amount - day.weekday()) % 7 or 7
        return _day_when(day + timedelta(days=delta))
    return None
