"""Snippets: a short window of a text around the first match, with the matches marked.

The caller decides which text may be shown (docs/search.md); this module only cuts it.
Marks are spans of the returned text, so a template escapes the text and wraps the spans
itself: no HTML is produced here.
"""

from __future__ import annotations

from dataclasses import dataclass

from refuge.search.tokens import tokens

WIDTH = 240


@dataclass(frozen=True, slots=True)
class Snippet:
    """``text`` is a window of the document; ``marks`` the [start, end) spans that matched."""

    text: str
    marks: tuple[tuple[int, int], ...]
    starts_inside: bool
    ends_inside: bool


def _merge(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def snippet(text: str, terms: list[str] | set[str], width: int = WIDTH) -> Snippet:
    """The window of ``text`` around the first term of ``terms``; its start if none matches."""
    wanted = set(terms)
    first = next((t for t in tokens(text) if t.term in wanted), None)
    if first is None:
        start = 0
    else:
        start = max(0, first.start - width // 3)
        # Start at a word boundary when one is close, so the window does not open mid-word.
        space = text.rfind(" ", max(0, start - 20), start + 1)
        if space != -1 and start > 0:
            start = space + 1
    end = min(len(text), start + width)
    window = text[start:end]
    marks = _merge([(t.start, t.end) for t in tokens(window) if t.term in wanted])
    return Snippet(
        text=window,
        marks=marks,
        starts_inside=start > 0,
        ends_inside=end < len(text),
    )
