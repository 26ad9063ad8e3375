"""The language of a text, guessed from its script, for the languages Refuge reads.

Scripts settle Korean, Chinese and Japanese apart: Hangul is Korean alone, kana Japanese
alone, and Han without either is Chinese. Latin script is shared by many languages, so a
Latin text is called English only when English function words are common in it; anything
else is None rather than a guess that would send it to the wrong extraction pipeline.
"""

from __future__ import annotations

import re

__all__ = ["detect_language"]

# Below this many weighted letters a guess is noise (a CJK character counts as two letters:
# it carries about as much as a short word).
_MIN_WEIGHT = 20
# Words that are frequent in English and not words of French, German or Spanish.
_ENGLISH_FUNCTION_WORDS = frozenset(
    {
        "the",
        "a",
        "of",
        "and",
        "to",
        "is",
        "was",
        "were",
        "for",
        "that",
        "with",
        "by",
        "from",
        "at",
        "it",
        "are",
        "has",
        "have",
        "had",
        "said",
        "not",
        "this",
        "been",
        "their",
        "they",
        "who",
        "which",
        "or",
        "but",
        "after",
    }
)
_WORD = re.compile(r"[a-z]+")


def detect_language(text: str) -> str | None:
    """``"ko"``, ``"zh"``, ``"ja"``, ``"en"``, or None when unsure or the text is too short."""
    hangul = han = kana = latin = other = 0
    for char in text:
        code = ord(char)
        if 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
            hangul += 1
        elif (
            0x4E00 <= code <= 0x9FFF
            or 0x3400 <= code <= 0x4DBF
            or 0xF900 <= code <= 0xFAFF
            or 0x20000 <= code <= 0x2FA1F
        ):
            han += 1
        elif 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF or 0xFF66 <= code <= 0xFF9D:
            kana += 1
        elif char.isalpha():
            if code < 0x250 or 0x1E00 <= code <= 0x1EFF:
                latin += 1
            else:
                other += 1
    cjk = hangul + han + kana
    if 2 * cjk + latin + other < _MIN_WEIGHT:
        return None
    if 2 * cjk >= latin + other:
        # Korean may quote Han characters and Chinese may quote a Korean name: the share decides.
        if hangul >= 0.2 * cjk:
            return "ko"
        if kana >= 0.1 * cjk:
            return "ja"
        return "zh"
    if latin >= 2 * other and _reads_as_english(text):
        return "en"
    return None


def _reads_as_english(text: str) -> bool:
    words = _WORD.findall(text.lower())
    if not words:
        return False
    function_words = sum(1 for word in words if word in _ENGLISH_FUNCTION_WORDS)
    # Running English has a function word in every four or five words; a list of names or a
    # French or German text has far fewer of these.
    return function_words >= 2 and function_words >= 0.1 * len(words)
