"""What a search asks for besides its words: filters, sort and page, checked on creation."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Literal

from refuge.search.errors import SearchError
from refuge.vocabulary import EVENT_TYPES, STATUSES

Kind = Literal["source", "incident"]
Sort = Literal["relevance", "newest", "oldest"]
KINDS: tuple[str, ...] = ("source", "incident")
SORTS: tuple[str, ...] = ("relevance", "newest", "oldest")
LEVELS: tuple[str, ...] = ("team", "organisation", "partners", "public")
RELIABILITIES: tuple[str, ...] = ("A", "B", "C", "D", "E", "F")
MAX_QUERY_LENGTH = 500
MAX_PER_PAGE = 100


def normal_label(value: str) -> str:
    """How facet values (outlet, facility, province...) are stored and compared: as written,
    with runs of white space made one space. Filters take the values the facets list."""
    return " ".join(value.split())


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Every field narrows the results; None (or empty) leaves that facet open.

    A filter that only incidents have (event type, place, minors...) leaves out sources,
    and one that only sources have (outlet, reliability, language) leaves out incidents.
    Dates keep a record whose period overlaps [date_from, date_to].
    """

    kind: Kind | None = None
    event_type: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    country: str | None = None
    admin1: str | None = None
    place: str | None = None  # a gazetteer id (cn-jl-tumen)
    facility: str | None = None
    minors: bool | None = None
    status: str | None = None
    outlet: str | None = None
    reliability: str | None = None
    level: str | None = None
    language: str | None = None

    def __post_init__(self) -> None:
        _one_of("kind", self.kind, KINDS)
        _one_of("event_type", self.event_type, EVENT_TYPES)
        _one_of("status", self.status, STATUSES)
        _one_of("reliability", self.reliability, RELIABILITIES)
        _one_of("level", self.level, LEVELS)
        if self.country is not None and not re.fullmatch(r"[A-Z]{2}", self.country):
            raise SearchError(
                f"country {self.country!r} is not a two-letter code; use e.g. CN or KP",
                code="R121",
            )
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise SearchError(
                f"date_from {self.date_from} is after date_to {self.date_to}; swap them",
                code="R122",
            )


def _one_of(name: str, value: str | None, allowed: tuple[str, ...]) -> None:
    if value is not None and value not in allowed:
        raise SearchError(
            f"{name} {value!r} is not one of: {', '.join(allowed)}; pick one of them",
            code="R121",
        )


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """A whole search: its words, filters, sort and page (1-based)."""

    query: str = ""
    filters: SearchFilters = SearchFilters()
    sort: Sort | None = None  # None: relevance when there are words, else newest
    page: int = 1
    per_page: int = 20

    def __post_init__(self) -> None:
        if len(self.query) > MAX_QUERY_LENGTH:
            raise SearchError(
                f"the query is longer than {MAX_QUERY_LENGTH} characters; shorten it",
                code="R120",
            )
        _one_of("sort", self.sort, SORTS)
        if self.page < 1:
            raise SearchError(f"page {self.page} does not exist; pages start at 1", code="R123")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise SearchError(
                f"per_page {self.per_page} is out of range; use 1 to {MAX_PER_PAGE}", code="R123"
            )

    @property
    def effective_sort(self) -> Sort:
        if self.sort is not None:
            return self.sort
        return "relevance" if self.query.strip() else "newest"


def _date(name: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise SearchError(f"{name} {text!r} is not a day; write YYYY-MM-DD", code="R122") from None


def _int(name: str, text: str) -> int:
    if not text.isdigit():
        raise SearchError(f"{name} {text!r} is not a whole number", code="R123")
    return int(text)


def parse_request(params: Mapping[str, str]) -> SearchRequest:
    """A SearchRequest from query-string parameters (q, sort, page, per_page, filters).

    Empty values are ignored, so a form's blank fields leave their facet open; unknown
    parameters are ignored too (a view may add its own).
    """
    values = {k: v.strip() for k, v in params.items() if isinstance(v, str) and v.strip()}
    filter_args: dict[str, object] = {}
    for f in fields(SearchFilters):
        text = values.get(f.name)
        if text is None:
            continue
        if f.name in ("date_from", "date_to"):
            filter_args[f.name] = _date(f.name, text)
        elif f.name == "minors":
            if text not in ("yes", "no"):
                raise SearchError(f"minors {text!r} must be yes or no", code="R121")
            filter_args[f.name] = text == "yes"
        elif f.name in ("country", "reliability"):
            filter_args[f.name] = text.upper()
        else:
            filter_args[f.name] = text
    return SearchRequest(
        query=params.get("q", "") or "",
        filters=SearchFilters(**filter_args),  # type: ignore[arg-type]
        sort=values.get("sort"),  # type: ignore[arg-type]
        page=_int("page", values["page"]) if "page" in values else 1,
        per_page=_int("per_page", values["per_page"]) if "per_page" in values else 20,
    )
