"""Dates: absolute ("on July 25", "in October 2023", "25 July 2017", "in 2019") and relative
("a month ago", "last week", "last year", "on the 9th of this month", "last Thursday"),
anchored on the publication date, each with the precision the text gives and no more.

Candidate phrases are found here, token by token; nothing is parsed from free prose, so
"may" the verb and "march" the noun are never dates (month names must be capitalised), and
nothing is filled in from today's date.

Component ``refuge_dates_v1`` sets ``doc._.refuge_dates``; the anchor is read from
``doc.user_data["refuge.published"]`` (a ``datetime.date`` or None).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from spacy.tokens import Doc

from refuge.extract.lang import DateTables
from refuge.extract.phrases import lower_words
from refuge.extract.result import When

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
_SPEECH_WINDOW = 5


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    tok_start: int
    tok_end: int
    when: When
    relative: bool
    since: bool  # "since 2020": the start of a statistic, not the date of an event
    speech: bool  # dates the telling ("told Daily NK on July 25"), not the event


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

    def find(self, doc: Doc) -> list[DateMention]:
        anchor = doc.user_data.get("refuge.published")
        words = lower_words(doc)
        out: list[DateMention] = []
        i = 0
        while i < len(words):
            hit = self._at(doc, words, i, anchor)
            if hit is None:
                i += 1
                continue
            first, j, when, relative = hit
            since = first > 0 and words[first - 1] in self.t.aggregate_preps
            speech = any(w in self.speech for w in words[max(0, first - _SPEECH_WINDOW) : first])
            end_tok = doc[j - 1]
            out.append(
                DateMention(
                    doc[first].idx,
                    end_tok.idx + len(end_tok.text),
                    first,
                    j,
                    when,
                    relative,
                    since,
                    speech,
                )
            )
            i = j
        return out

    def _month_at(self, doc: Doc, words: list[str], i: int) -> int | None:
        w = words[i]
        if w not in self.t.months:
            return None
        text = doc[i].text
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
            if not (_DAY.match(nxt) or _YEAR.match(nxt) or prev in _MONTH_CONTEXT):
                return None
        return self.t.months[w]

    def _at(
        self, doc: Doc, words: list[str], i: int, anchor: date | None
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
            if k < n and self._month_at(doc, words, k) is not None:
                hit = self._at(doc, words, k, anchor)
                if hit is not None:
                    _, j, when, rel = hit
                    if when.precision == "day":
                        return None
                    return i, j, when, rel
        month = self._month_at(doc, words, i)
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
            if k < n and self._month_at(doc, words, k) is not None:
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
                and words[k] in self.t.this | self.t.last
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
        return self._relative(doc, words, i, anchor)

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
            y = _year_for(anchor, month, dd)
            if y is None:
                return None
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
        y = _year_for(anchor, month, None)
        if y is None:
            return None
        return first, i + 1, _month_when(y, month), True

    @staticmethod
    def _safe_day(
        first: int, j: int, y: int, m: int, d: int, rel: bool
    ) -> tuple[int, int, When, bool] | None:
        if d < 1 or d > calendar.monthrange(y, m)[1]:
            return None
        return first, j, _day_when(date(y, m, d)), rel

    def _relative(
        self, doc: Doc, words: list[str], i: int, anchor: date | None
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
            units = {
                "two": 2,
                "three": 3,
                "four": 4,
                "five": 5,
                "six": 6,
                "several": None,
                "few": None,
            }
            if w in units and units[w] is not None:
                amount, k = units[w], i + 1
        if amount is not None and k + 1 < n and words[k] in self.t.units and words[k + 1] == "ago":
            return i, k + 2, self._ago(anchor, amount, self.t.units[words[k]]), True
        # last week / last month / last year / this year / earlier this month
        if w in self.t.last | self.t.this and nxt in self.t.units:
            unit = self.t.units[nxt]
            back = 1 if w in self.t.last else 0
            first = i - 1 if i > 0 and words[i - 1] in ("earlier", "later") else i
            return first, i + 2, self._ago(anchor, back, unit, calendar_unit=True), True
        if w in self.t.last and nxt in self.t.weekdays:
            wd = self.t.weekdays[nxt]
            delta = (anchor.weekday() - wd) % 7 or 7
            return i, i + 2, _day_when(anchor - timedelta(days=delta)), True
        if w == "on" and nxt in self.t.weekdays and doc[i + 1].text[0].isupper():
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
