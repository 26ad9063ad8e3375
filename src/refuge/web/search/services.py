"""Writes to the search index. Call the index functions after every write to a record.

Sources and incidents services call ``search_index_source``/``search_index_incident`` in
the same transaction as the change (level, team, text, events, places, victim groups), so
that the index never shows a record at an older, wider level; ``search_rebuild`` rebuilds
everything from the records (after an upgrade or a restore).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connection, transaction

from refuge.web.search.documents import IndexEntry, incident_entry, source_entry
from refuge.web.search.models import SearchDocument, SearchFacet

BATCH = 1000


def _write(entry: IndexEntry) -> SearchDocument:
    with transaction.atomic():
        document, _ = SearchDocument.objects.update_or_create(
            kind=entry.kind,
            object_id=entry.object_id,
            defaults={
                "team_id": entry.team_id,
                "disclosure": entry.disclosure,
                "sort_date": entry.sort_date,
                "date_start": entry.date_start,
                "date_end": entry.date_end,
                "terms": entry.terms,
            },
        )
        SearchFacet.objects.filter(document=document).delete()
        SearchFacet.objects.bulk_create(
            [SearchFacet(document=document, name=n, value=v) for n, v in sorted(entry.facets)]
        )
    return document


def search_index_source(*, source: Any) -> SearchDocument:
    """(Re)index one source; a confidential source gets facets only, never text."""
    return _write(source_entry(source))


def search_index_incident(*, incident: Any) -> SearchDocument:
    """(Re)index one incident, with its events' places and its victim groups' labels."""
    return _write(incident_entry(incident))


def search_remove(*, kind: str, object_id: int) -> None:
    """Take a record out of the index (deleted, merged into another, withdrawn)."""
    SearchDocument.objects.filter(kind=kind, object_id=object_id).delete()


def _batches(entries: Iterable[IndexEntry]) -> Iterator[list[IndexEntry]]:
    batch: list[IndexEntry] = []
    for entry in entries:
        batch.append(entry)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert(batch: list[IndexEntry]) -> None:
    documents = SearchDocument.objects.bulk_create(
        [
            SearchDocument(
                kind=e.kind,
                object_id=e.object_id,
                team_id=e.team_id,
                disclosure=e.disclosure,
                sort_date=e.sort_date,
                date_start=e.date_start,
                date_end=e.date_end,
                terms=e.terms,
            )
            for e in batch
        ]
    )
    SearchFacet.objects.bulk_create(
        [
            SearchFacet(document_id=d.pk, name=n, value=v)
            for d, e in zip(documents, batch, strict=True)
            for n, v in sorted(e.facets)
        ],
        batch_size=5000,
    )


def _all_entries() -> Iterator[IndexEntry]:
    from refuge.web.incidents.models import Incident
    from refuge.web.sources.models import Source

    for source in Source.objects.order_by("pk").iterator(chunk_size=BATCH):
        yield source_entry(source)
    incidents = Incident.objects.order_by("pk").prefetch_related("events__places", "victim_groups")
    for incident in incidents.iterator(chunk_size=BATCH):
        yield incident_entry(incident)


def search_rebuild() -> int:
    """Rebuild the whole index from the records; returns the number of documents."""
    count = 0
    with transaction.atomic():
        SearchFacet.objects.all().delete()
        SearchDocument.objects.all().delete()
        for batch in _batches(_all_entries()):
            _insert(batch)
            count += len(batch)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Merge the index segments the batches left behind: faster queries afterwards.
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
        else:
            # Fresh statistics for the planner (and its row estimate, which the selector
            # reads), rather than whatever autovacuum last saw before the rebuild.
            cursor.execute("ANALYZE search_searchdocument, search_searchfacet")
    return count
