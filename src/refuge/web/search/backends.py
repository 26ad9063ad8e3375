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
"""

from __future__ import annotations

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


def _vendor() -> str:
    if connection.vendor not in ("sqlite", "postgresql"):  # pragma: no cover
        raise NotImplementedError(f"search has no backend for {connection.vendor}")
    return connection.vendor


def matching(
    queryset: QuerySet[SearchDocument], phrases: list[tuple[str, ...]]
) -> QuerySet[SearchDocument]:
    """The documents of ``queryset`` holding every phrase."""
    if _vendor() == "sqlite":
        ids = RawSQL(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [_fts5_expression(phrases)]
        )
        return queryset.filter(id__in=ids)
    return queryset.filter(_TsMatch(phrases))


class _TsMatch(Expression):
    """``<documents>.tsv @@ query``, naming the documents table by the alias it has in the
    query being compiled (Django renames it inside subqueries), so PostgreSQL can combine
    the GIN index with the other conditions in one scan."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, phrases: list[tuple[str, ...]]) -> None:
        super().__init__()
        self.phrases = phrases

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[str | int]]:
        alias = compiler.query.get_initial_alias()
        query, terms = _tsquery(self.phrases)
        params: list[str | int] = [*terms]
        return f"{compiler.quote_name_unless_alias(alias)}.tsv @@ ({query})", params


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
