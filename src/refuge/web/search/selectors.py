"""Reads of the search index: ``search``, which never counts what the user may not see.

Order of work, on which the confidentiality of counts depends: (1) the disclosure policy
narrows the index to the documents this user may see (``policy.visible`` applied to the
index rows, which carry the record's level and team); (2) words and filters narrow further;
(3) only then are the total and the facets counted; (4) each hit on the page is re-checked
with ``policy.can_view`` on the real record, and its snippet is cut from text that record
shows this user (a published source's text, an incident's summary), never from the index.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import Coalesce

from refuge.search import (
    SearchFilters,
    SearchRequest,
    Snippet,
    normal_label,
    query_phrases,
    query_terms,
    snippet,
)
from refuge.web.disclosure import policy
from refuge.web.search.backends import (
    document_count,
    estimated_rows,
    matching,
    matching_any_term,
    ranked,
)
from refuge.web.search.models import SearchDocument, SearchFacet

log = logging.getLogger(__name__)

# Above these many matches, facets are not counted and relevance gives way to newest first:
# both cost time in proportion to the matches (every match's facet rows, every match's
# bm25/ts_rank), and a search matching tens of thousands of records is refined, not read.
# The limits keep p95 under 200 ms on 200,000 documents (benchmarks/RESULTS.md).
FACET_LIMIT = 5_000
RANK_LIMIT = 5_000
# "Few" matches for the choice of plan: at most one document in this many. Few are read
# once, sorted and counted together (when the engine can tell in advance) or counted and
# then read and sorted; many are counted, then the date index is walked until a page is full.
FEW_MATCHES_ONE_IN = 20

# Filters answered by the facet table: (SearchFilters field, facet name).
FACET_FILTERS: tuple[tuple[str, str], ...] = (
    ("event_type", "event_type"),
    ("country", "country"),
    ("admin1", "admin1"),
    ("place", "place"),
    ("facility", "facility"),
    ("status", "status"),
    ("outlet", "outlet"),
    ("reliability", "reliability"),
    ("level", "level"),
    ("language", "language"),
)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One result. ``key`` opens it: a source's UUID, an incident's public id.

    ``title`` is empty for a confidential source (its title is encrypted, and search
    never decrypts); ``snippet`` is None when there is no text this user may be shown.
    """

    kind: str
    key: str
    title: str
    day: date | None
    snippet: Snippet | None
    relevance: float | None


@dataclass(frozen=True, slots=True)
class SearchResults:
    items: list[SearchHit]
    total: int
    page: int
    per_page: int
    # facet name -> value -> number of visible matching documents holding it
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    # False when facets were asked for but not counted (more than FACET_LIMIT matches).
    facets_counted: bool = True
    # The order used: "relevance" becomes "newest" above RANK_LIMIT matches.
    sort: str = "newest"

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _filtered(
    queryset: QuerySet[SearchDocument], filters: SearchFilters, *, per_row: bool
) -> QuerySet[Any]:
    if filters.kind is not None:
        queryset = queryset.filter(kind=filters.kind)
    if filters.date_from is not None:
        queryset = queryset.filter(date_end__gte=filters.date_from)
    if filters.date_to is not None:
        queryset = queryset.filter(date_start__lte=filters.date_to)
    if filters.minors is not None:
        queryset = queryset.filter(_has("minors", "yes" if filters.minors else "no", per_row))
    for attribute, name in FACET_FILTERS:
        value = getattr(filters, attribute)
        if value is not None:
            queryset = queryset.filter(_has(name, normal_label(str(value)), per_row))
    return queryset


def _has(name: str, value: str, per_row: bool) -> Q | Exists:
    facet = SearchFacet.objects.filter(name=name, value=value)
    if per_row:
        # The words' matches drive the query: look each one's facet up in the index.
        return Exists(facet.filter(document=OuterRef("pk")))
    # Filters alone: read the facet index once, as the list of documents holding the value.
    return Q(pk__in=facet.values("document_id"))


def _candidates(
    user: Any, request: SearchRequest, phrases: list[tuple[str, ...]], *, match: str = "index"
) -> QuerySet[Any]:
    """The documents this user may see that match the words and filters (uncounted).

    ``match``: "index" (the full-text index), "rows" (the same test row by row) or
    "any_term" (a superset, some term of each phrase: for estimates only).
    """
    # (1) the policy first, so nothing below ever counts a hidden document.
    candidates = policy.visible(user, SearchDocument.objects.all())
    if phrases and match == "any_term":
        candidates = matching_any_term(candidates, phrases)
    elif phrases:
        candidates = matching(candidates, phrases, indexed=match == "index")
    elif request.query.strip():
        # Words with no searchable term (punctuation only) match nothing rather than all.
        candidates = candidates.none()
    # (2) words and filters narrow further.
    return _filtered(candidates, request.filters, per_row=bool(phrases))


def _ordered(queryset: QuerySet[Any], sort: str, *, ranked: bool, few: bool) -> QuerySet[Any]:
    # With few matches, sort them (Coalesce hides the date index from the planner); with
    # many, walk the date index until a page is full. Both engines misjudge how many rows
    # a text match keeps, and walking the index for a rare match reads most of the table.
    day = Coalesce("sort_date", "sort_date") if few else F("sort_date")
    if sort == "relevance" and ranked:
        return queryset.order_by("-relevance", day.desc(), "-id")
    if sort == "oldest":
        return queryset.order_by(day.asc(), "id")
    return queryset.order_by(day.desc(), "-id")


def _page_query(
    user: Any,
    request: SearchRequest,
    phrases: list[tuple[str, ...]],
    candidates: QuerySet[Any],
    total: int,
    sort: str,
) -> QuerySet[Any]:
    """``candidates`` in the order of ``sort``, planned for ``total`` matches."""
    if sort == "relevance":
        return _ordered(ranked(candidates, phrases), sort, ranked=True, few=True)
    few = total * FEW_MATCHES_ONE_IN <= document_count()
    if not few and not (request.filters.date_from or request.filters.date_to):
        # Many matches and no date filter (which can leave matches only at the far end of
        # the walk): the same query, policy first, with the words tested row by row, so
        # the date index is walked (see backends: PostgreSQL would rather read every match
        # of a CJK phrase through the full-text index, and sort them).
        candidates = _candidates(user, request, phrases, match="rows")
    return _ordered(candidates, sort, ranked=False, few=few)


def _sort_for(wanted: str, total: int) -> str:
    return "newest" if wanted == "relevance" and total > RANK_LIMIT else wanted


def _expect_few(user: Any, request: SearchRequest, phrases: list[tuple[str, ...]]) -> bool:
    """Whether the planner expects few matches (False when the engine cannot tell).

    Asked of a superset (some term of each phrase): the planner judges a phrase as rare as
    the product of its terms' frequencies, which would send a common Korean word, matching
    thousands, down the plan for few. SQLite gives no estimate.
    """
    expected = estimated_rows(_candidates(user, request, phrases, match="any_term"))
    return expected is not None and expected * FEW_MATCHES_ONE_IN <= document_count()


def _rows_and_total(
    user: Any,
    request: SearchRequest,
    phrases: list[tuple[str, ...]],
    candidates: QuerySet[Any],
    wanted: str,
) -> tuple[list[dict[str, Any]], int, str]:
    """One page of rows (kind, object_id, maybe relevance), the total, and the sort used."""
    start = (request.page - 1) * request.per_page
    end = start + request.per_page
    if _expect_few(user, request, phrases):
        # Few expected: read the matches once, sorted by day, counting them on the way (a
        # window count), rather than counting them and then reading them again for a page.
        by_day = "newest" if wanted == "relevance" else wanted
        ordered = _ordered(candidates, by_day, ranked=False, few=True)
        counted = ordered.annotate(found=Window(Count("*")))
        rows = list(counted.values("kind", "object_id", "found")[start:end])
        # No row: no match at all, or a page past the last one (then count them).
        total = rows[0]["found"] if rows else candidates.count() if start else 0
        sort = _sort_for(wanted, total)
        if sort == by_day or start >= total:
            return rows, total, sort
        # Relevance, and few enough matches to rank them: read them again, ranked.
    else:
        total = candidates.count()
        sort = _sort_for(wanted, total)
    fields = ["kind", "object_id"] + (["relevance"] if sort == "relevance" else [])
    # A page past the last match is empty: never walk the whole index to find that out.
    if start >= total:
        return [], total, sort
    ordered = _page_query(user, request, phrases, candidates, total, sort)
    return list(ordered.values(*fields)[start:end]), total, sort


def _facet_counts(queryset: QuerySet[Any]) -> dict[str, dict[str, int]]:
    rows = (
        SearchFacet.objects.filter(document__in=queryset.values("pk"))
        .values("name", "value")
        .annotate(n=Count("id"))
        .order_by()
    )
    facets: dict[str, dict[str, int]] = defaultdict(dict)
    for row in rows:
        facets[row["name"]][row["value"]] = row["n"]
    return {
        name: dict(sorted(v.items(), key=lambda kv: (-kv[1], kv[0]))) for name, v in facets.items()
    }


def _records(kind: str, ids: list[int]) -> dict[int, Any]:
    if kind == "source":
        from refuge.web.sources.models import Source

        return Source.objects.in_bulk(ids)
    from refuge.web.incidents.models import Incident

    return Incident.objects.prefetch_related("events").in_bulk(ids)


def _hit(kind: str, record: Any, terms: list[str], relevance: float | None) -> SearchHit:
    if kind == "source":
        # Only the published class shows text; anything else is treated as confidential.
        published = record.content_class == "published"
        return SearchHit(
            kind=kind,
            key=str(record.uuid),
            title=str(record.title) if published else "",
            day=record.published,
            snippet=snippet(str(record.text), terms) if published and record.text else None,
            relevance=relevance,
        )
    first = min((e.date_start for e in record.events.all() if e.date_start), default=None)
    return SearchHit(
        kind=kind,
        key=record.public_id,
        title=record.title,
        day=first,
        snippet=snippet(record.summary, terms) if record.summary else None,
        relevance=relevance,
    )


def search(
    *,
    user: Any,
    query: str = "",
    filters: SearchFilters | None = None,
    sort: str | None = None,
    page: int = 1,
    per_page: int = 20,
    facets: bool = True,
) -> SearchResults:
    """The page of results this user may see, their total and facet counts.

    Raises SearchError (R120-R123) for a malformed request. An empty query with no filters
    lists every visible document, newest first. Above FACET_LIMIT matches facets are not
    counted (``facets_counted`` False), above RANK_LIMIT relevance gives way to newest first
    (``sort``): refine the search to get them.
    """
    request = SearchRequest(
        query=query,
        filters=filters or SearchFilters(),
        sort=sort,  # type: ignore[arg-type]
        page=page,
        per_page=per_page,
    )
    phrases = query_phrases(request.query)
    candidates = _candidates(user, request, phrases)
    wanted = request.effective_sort
    if wanted == "relevance" and not phrases:
        wanted = "newest"
    # (3) only then the total (with the page) and the facets.
    rows, total, sort_used = _rows_and_total(user, request, phrases, candidates, wanted)
    facets_counted = facets and total <= FACET_LIMIT
    facet_counts = _facet_counts(candidates) if facets_counted and total else {}

    by_kind: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        by_kind[row["kind"]].append(row["object_id"])
    records = {kind: _records(kind, ids) for kind, ids in by_kind.items()}
    terms = query_terms(request.query)
    items: list[SearchHit] = []
    for row in rows:
        record = records[row["kind"]].get(row["object_id"])
        # (4) the real record decides; a stale index entry is dropped, never shown.
        if record is None or not policy.can_view(user, record):
            log.warning("search index out of date for %s %s", row["kind"], row["object_id"])
            continue
        items.append(_hit(row["kind"], record, terms, row.get("relevance")))
    return SearchResults(
        items=items,
        total=total,
        page=request.page,
        per_page=request.per_page,
        facets=facet_counts,
        facets_counted=facets_counted or not facets,
        sort=sort_used,
    )
