"""The search index: one row per indexed source or incident, rebuilt from the records.

A row holds only what anyone allowed to see the record may see and what is safe in
plaintext: the terms of published text (refuge.search.tokens), the disclosure level and team
(so the policy filters the index exactly as it filters the records) and non-identifying
facets. Confidential text and persons' identifying fields are never written here (see
docs/search.md). The full-text structure over ``terms`` is engine-specific and kept in step
by the database itself (migration 0001): an FTS5 table with triggers on SQLite, a generated
``tsvector`` column with a GIN index on PostgreSQL.
"""

from __future__ import annotations

from django.db import models

from refuge.web.disclosure.levels import Level


class SearchDocument(models.Model):
    class Kind(models.TextChoices):
        SOURCE = "source", "Source"
        INCIDENT = "incident", "Incident"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    object_id = models.BigIntegerField()
    # Named as on the records, so that disclosure.policy.visible() applies to the index as is.
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    disclosure = models.CharField(max_length=16, choices=Level.choices, default=Level.TEAM)
    # Sorting: a source's publication day, an incident's first event day (else its creation).
    # Never empty, so that an index on it serves "newest first" without a sort step.
    sort_date = models.DateField()
    # The period the record covers, for date filters (overlap).
    date_start = models.DateField(null=True, blank=True)
    date_end = models.DateField(null=True, blank=True)
    # Space-joined index terms; empty for a confidential source.
    terms = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_once"),
        ]
        # No index on (disclosure, team): visibility keeps most rows, and such an index led
        # SQLite to scan every visible row instead of starting from the words' matches.
        indexes = [
            models.Index(fields=["sort_date"], name="search_doc_sort_date"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


class SearchFacet(models.Model):
    """One facet value of a document (country=CN, event_type=arrest), for filters and counts."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="facets")
    name = models.CharField(max_length=16)
    value = models.CharField(max_length=300)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "name", "value"], name="search_facet_once"),
        ]
        indexes = [
            models.Index(fields=["name", "value", "document"], name="search_facet_lookup"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} {self.name}={self.value}"
