"""Folding a written name to the letters that matter for comparing spellings."""

from __future__ import annotations

import re
import unicodedata

# Apostrophes (MR aspirates, "n'g"), hyphens between given-name syllables, dots and spaces
# carry no identity: "Ch'oe" and "Choe", "Jong-un" and "Jongun" are one spelling.
_NOISE = re.compile(r"[\s\-‐‑‒–—'’ʼʻ`´.·,]+")


def fold(text: str) -> str:
    """Casefolded, diacritics and punctuation removed; Hangul syllables kept whole.

    NFKD would split Hangul syllables into conjoining jamo, so the text is recomposed (NFC)
    after the combining marks (breves, accents) are dropped.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOISE.sub("", unicodedata.normalize("NFC", kept).casefold())


__all__ = ["fold"]
