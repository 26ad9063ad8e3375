"""Index and query terms: Latin-script words as words, CJK runs as character bigrams.

Korean is written without spaces between a noun and its particles (강제북송됐다), and
Chinese without spaces at all, so a word tokenizer would index a whole run as one term and a
search for 북송 or 遣返 would find nothing. Every run of Hangul, Han or kana characters is
therefore indexed as its overlapping two-character pieces (강제 제북 북송 송됐 됐다), and a
query is cut the same way and matched as a phrase of those pieces, which finds the term
wherever it sits in a run. A run of one character is indexed as that character.

Everything is normalised first (NFKC, then casefold), so full-width letters, compatibility
ideographs and capitals match their ordinary forms. Terms hold only letters, marks and
digits: both database engines' word splitters then keep each term whole.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

# Longer "words" are base64, hashes or garbage from a bad extraction: never worth a term.
MAX_WORD_LENGTH = 64
# A document contributes at most this many terms (the rest of a very long text is not
# searchable; see docs/search.md). PostgreSQL caps a tsvector at 1 MB.
MAX_TERMS = 50_000

Script = Literal["hangul", "han", "kana", "word"]


@dataclass(frozen=True, slots=True)
class Token:
    """One term and where it comes from in the text, ``text[start:end]``."""

    term: str
    start: int
    end: int


def _script(char: str) -> Script | None:
    if not char.isalnum():
        # Combining marks belong to the word they follow (decomposed accents, Indic signs);
        # anything else (punctuation, symbols, unassigned code points) separates terms.
        return "word" if unicodedata.category(char).startswith("M") else None
    code = ord(char)
    if 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return "hangul"
    if (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3134F
    ):
        return "han"
    if 0x3040 <= code <= 0x30FF or 0xFF66 <= code <= 0xFF9F:
        return "kana"
    return "word"


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _runs(text: str) -> Iterator[tuple[Script, int, int]]:
    """Maximal runs of one script, as (script, start, end)."""
    start = 0
    current: Script | None = None
    for i, char in enumerate(text):
        script = _script(char)
        if script == "word" and current == "word":
            continue
        if script is not None and script == current:
            continue
        if current is not None:
            yield current, start, i
        current, start = script, i
    if current is not None:
        yield current, start, len(text)


def _term(text: str) -> str:
    # Normalising can leave a mark or a symbol (a half-width sound mark becomes a combining
    # one): terms keep letters and digits only, so the engines never split them further.
    return "".join(c for c in _normal(text) if c.isalnum())


def _run_tokens(text: str, script: Script, start: int, end: int) -> Iterator[Token]:
    if script == "word":
        term = _term(text[start:end])
        if term and len(term) <= MAX_WORD_LENGTH:
            yield Token(term, start, end)
        return
    # A run of one character is its own term; a longer run gives its overlapping pairs.
    pairs = [(i, min(i + 2, end)) for i in range(start, max(start + 1, end - 1))]
    for a, b in pairs:
        term = _term(text[a:b])
        if term:
            yield Token(term, a, b)


def tokens(text: str) -> Iterator[Token]:
    """The terms of ``text`` in order, with their spans in the original text."""
    for script, start, end in _runs(text):
        yield from _run_tokens(text, script, start, end)


def index_terms(text: str, language: str | None = None) -> list[str]:
    """The terms to index for ``text``, in order, at most MAX_TERMS of them.

    ``language`` is accepted for callers that know it, but segmentation does not depend on
    it: a Korean report quotes Chinese names and an English one Korean words, and each run
    is cut by its own script.
    """
    del language  # segmentation is by script, per run (see above)
    terms: list[str] = []
    for token in tokens(text):
        terms.append(token.term)
        if len(terms) >= MAX_TERMS:
            break
    return terms


def query_phrases(query: str) -> list[tuple[str, ...]]:
    """The phrases a query asks for; a document must hold every one of them.

    A Latin-script word is a phrase of one term; a CJK run is the phrase of its bigrams (so
    "강제북송" needs 강제, 제북, 북송 in a row); text in double quotes is one phrase.
    """
    phrases: list[tuple[str, ...]] = []
    for i, part in enumerate(query.split('"')):
        quoted = i % 2 == 1
        if quoted:
            terms = tuple(t.term for t in tokens(part))
            if terms:
                phrases.append(terms)
            continue
        for script, start, end in _runs(part):
            terms = tuple(t.term for t in _run_tokens(part, script, start, end))
            if terms:
                phrases.append(terms)
    # The same phrase twice asks nothing more; keep the first occurrence's order.
    return list(dict.fromkeys(phrases))


def query_terms(query: str) -> list[str]:
    """Every distinct term of a query, in order (the terms of all its phrases)."""
    return list(dict.fromkeys(t for phrase in query_phrases(query) for t in phrase))
