"""The engine-specific half of a search: matching phrases and ranking, SQLite or PostgreSQL.

Both engines index the same terms (refuge.search.tokens), so the same query finds the same
documents on both; only the ranking function differs (FTS5's bm25, PostgreSQL's ts_rank).
A query's terms hold only letters and digits (see tokens.py), and they are passed as
parameters, never spliced into the SQL.

On SQLite, matching is an ``id IN (...)`` subquery of the FTS5 table that does not refer
to the outer query, so the matching queryset can itself be used as a subquery (facet
counts) where Django renames tables; on PostgreSQL it is a condition on the documents'
own ``tsv`` column. Ranking refers to the documents table by name and is applied to the
page query only.

PostgreSQL judges a CJK phrase far rarer than it is: it multiplies its bigrams'
frequencies, though they almost always occur together. With thousands of matches it then
reads and sorts them all for a page instead of walking the date index, so the selector,
which knows the exact number of matches, can ask for the match without the index
(``indexed=False``: the same test, ``ts_match_vq``, which the GIN index does not serve);
and it asks for the planner's estimate (``estimated_rows``) of a wider match
(``matching_any_term``, some term of each phrase), which that multiplication cannot shrink.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import Expression, RawSQL

from refuge.web.search.models import SearchDocument

TABLE = SearchDocument._meta.db_table


def _fts5_expression(phrases: list[tuple[str, ...]]) -> str:
    # FTS5: "a b c" is a phrase (consecutive terms); phrases side by side must all match.
    return " ".join('"' + " ".join(phrase) + '"' for phrase in phrases)


def _tsquery(phrases: list[tuple[str, ...]]) -> tuple[str, list[str]]:
    sql = " && ".join(["phraseto_tsquery('simple', %s)"] * len(phrases))
    return sql, [" ".join(phrase) for phrase in phrases]


def _any_term_tsquery(phrases: list[tuple[str, ...]]) -> tuple[str, list[str]]:
    # (a | b | c) & (d): any term of each phrase, in any place.
    groups = [" || ".join(["plainto_tsquery('simple', %s)"] * len(p)) for p in phrases]
    return " && ".join(f"({group})" for group in groups), [t for p in phrases for t in p]


def _any_term_fts5_expression(phrases: list[tuple[str, ...]]) -> str:
    groups = ["(" + " OR ".join(f'"{term}"' for term in phrase) + ")" for phrase in phrases]
    return " AND ".join(groups)


def _vendor() -> str:
    if connection.vendor not in ("sqlite", "postgresql"):  # pragma: no cover
        raise NotImplementedError(f"search has no backend for {connection.vendor}")
    return connection.vendor


def matching(
    queryset: QuerySet[SearchDocument], phrases: list[tuple[str, ...]], *, indexed: bool = True
) -> QuerySet[SearchDocument]:
    """The documents of ``queryset`` holding every phrase.

    ``indexed=False`` finds the same documents without the full-text index on PostgreSQL,
    row by row, for a query that walks another index (see above); SQLite ignores it.
    """
    if _vendor() == "sqlite":
        ids = RawSQL(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [_fts5_expression(phrases)]
        )
        return queryset.filter(id__in=ids)
    return queryset.filter(_TsMatch(phrases, "index" if indexed else "rows"))


def matching_any_term(
    queryset: QuerySet[SearchDocument], phrases: list[tuple[str, ...]]
) -> QuerySet[SearchDocument]:
    """A superset of ``matching``: the documents holding some term of every phrase.

    For estimating how many documents match, never for results. PostgreSQL estimates a
    phrase as if its terms were independent (the product of their frequencies); any one
    of them is at least as frequent as the phrase, so this errs the other way.
    """
    if _vendor() == "sqlite":
        ids = RawSQL(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH %s",
            [_any_term_fts5_expression(phrases)],
        )
        return queryset.filter(id__in=ids)
    return queryset.filter(_TsMatch(phrases, "any_term"))


class _TsMatch(Expression):
    """``<documents>.tsv @@ query``, naming the documents table by the alias it has in the
    query being compiled (Django renames it inside subqueries), so PostgreSQL can combine
    the GIN index with the other conditions in one scan. ``how``: "index", the phrases
    through the GIN index; "rows", the same test written as the function behind ``@@``,
    which no index serves; "any_term", some term of each phrase (estimates only)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, phrases: list[tuple[str, ...]], how: str) -> None:
        super().__init__()
        self.phrases = phrases
        self.how = how

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[str | int]]:
        alias = compiler.query.get_initial_alias()
        column = f"{compiler.quote_name_unless_alias(alias)}.tsv"
        if self.how == "any_term":
            query, terms = _any_term_tsquery(self.phrases)
        else:
            query, terms = _tsquery(self.phrases)
        params: list[str | int] = [*terms]
        if self.how == "rows":
            return f"ts_match_vq({column}, {query})", params
        return f"{column} @@ ({query})", params


def estimated_rows(queryset: QuerySet[Any]) -> int | None:
    """The planner's estimate of the rows ``queryset`` returns, without running it.

    None on SQLite, whose planner keeps no row estimates it would show.
    """
    if _vendor() == "sqlite":
        return None
    # A query Django knows to be empty (no role, ``pk__in=[]``) is never sent: no plan.
    text = "" if queryset.query.is_empty() else queryset.explain(format="json")
    return int(json.loads(text)[0]["Plan"]["Plan Rows"]) if text else 0


def document_count() -> int:
    """How many documents the index holds, for choosing a plan (not for display).

    PostgreSQL's own estimate (kept by ANALYZE and autovacuum) costs nothing, where a
    count reads a whole index; SQLite keeps none, and counts.
    """
    if _vendor() == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [TABLE])
            row = cursor.fetchone()
        # -1 (or 0) until the table is first analyzed: count instead.
        if row is not None and row[0] > 0:
            return int(row[0])
    return SearchDocument.objects.count()


def ranked(
    queryset: QuerySet[SearchDocument], phrases: list[tuple[str, ...]]
) -> QuerySet[SearchDocument]:
    """``queryset`` (already matched) annotated with ``relevance``, higher is better."""
    if _vendor() == "sqlite":
        # A join, so FTS5 computes bm25 once per match; ``rank`` is bm25, lower is better.
        return queryset.extra(  # noqa: S610 (fixed SQL; the match text is a parameter)
            select={"relevance": "-search_fts.rank"},
            tables=["search_fts"],
            where=[f"search_fts.rowid = {TABLE}.id", "search_fts MATCH %s"],
            params=[_fts5_expression(phrases)],
        )
    query, params = _tsquery(phrases)
    return queryset.extra(  # noqa: S610 (fixed SQL; the terms are parameters)
        select={"relevance": f"ts_rank({TABLE}.tsv, {query})"},
        select_params=params,
    )
