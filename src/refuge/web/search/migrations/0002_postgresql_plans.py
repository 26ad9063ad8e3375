"""PostgreSQL only: what its planner needs to search 200,000 documents quickly.

- Statistics on facet (name, value) pairs: a value belongs to one name (CN only to
  country), so the planner, which multiplies the two columns' frequencies, judged
  country=CN 13 times rarer than it is and started a search from every CN facet row.
- An index on the period (date_end, date_start, kind): a date filter then narrows the
  full-text matches in the index (a bitmap AND) rather than row by row in the table.

SQLite gets neither: its plans were measured without them, and an index it does not need
can lead its planner away from the full-text match (see SearchDocument.Meta).
"""

from django.db import migrations

POSTGRESQL = [
    "CREATE STATISTICS IF NOT EXISTS search_facet_name_value (mcv) "
    "ON name, value FROM search_searchfacet",
    "CREATE INDEX IF NOT EXISTS search_document_period "
    "ON search_searchdocument (date_end, date_start, kind)",
    "ANALYZE search_searchdocument, search_searchfacet",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS search_document_period",
    "DROP STATISTICS IF EXISTS search_facet_name_value",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(_run(POSTGRESQL), _run(POSTGRESQL_REVERSE)),
    ]
