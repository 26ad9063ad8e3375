"""Full-text search over published source texts and incidents, on SQLite and PostgreSQL.

Writes: ``search_index_source``, ``search_index_incident``, ``search_remove``,
``search_rebuild`` (services). Reads: ``search`` (selectors), which applies the disclosure
policy before anything is counted. See docs/search.md.
"""
