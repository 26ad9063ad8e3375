"""Search terms, filters and snippets: the pure half of full-text search.

``index_terms`` and ``query_phrases`` cut text the same way on both sides (Latin-script
words as words, Korean/Chinese/Japanese runs as character bigrams), so 북송 finds
강제북송됐다 and 遣返 finds 被遣返回朝鲜; ``SearchRequest``/``SearchFilters`` hold a checked
search and ``parse_request`` builds one from query-string parameters; ``snippet`` cuts a
window around the first match. The database half is ``refuge.web.search``.

Error codes (SearchError):
- R120: the query is too long.
- R121: a filter value is not in its vocabulary (event type, status, level, country...).
- R122: a date is malformed, or the date range runs backwards.
- R123: a page or page size is out of range.
"""

from refuge.search.errors import SearchError
from refuge.search.filters import SearchFilters, SearchRequest, normal_label, parse_request
from refuge.search.snippets import Snippet, snippet
from refuge.search.tokens import index_terms, query_phrases, query_terms

__all__ = [
    "SearchError",
    "SearchFilters",
    "SearchRequest",
    "Snippet",
    "index_terms",
    "normal_label",
    "parse_request",
    "query_phrases",
    "query_terms",
    "snippet",
]
