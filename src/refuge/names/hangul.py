"""Hangul syllables as jamo: the arithmetic of the Unicode block, and the jamo tables.

A precomposed syllable U+AC00..U+D7A3 is ``0xAC00 + (initial * 21 + medial) * 28 + final``
(19 initials, 21 medials, 28 finals counting "no final"). Jamo are named here by their
compatibility letters (ㄱ, ㅏ, ...) because the romanization tables read best that way.
"""

from __future__ import annotations

from dataclasses import dataclass

_FIRST = 0xAC00
_LAST = 0xD7A3

INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
FINALS: tuple[str, ...] = (
    "",
    "ㄱ",
    "ㄲ",
    "ㄳ",
    "ㄴ",
    "ㄵ",
    "ㄶ",
    "ㄷ",
    "ㄹ",
    "ㄺ",
    "ㄻ",
    "ㄼ",
    "ㄽ",
    "ㄾ",
    "ㄿ",
    "ㅀ",
    "ㅁ",
    "ㅂ",
    "ㅄ",
    "ㅅ",
    "ㅆ",
    "ㅇ",
    "ㅈ",
    "ㅊ",
    "ㅋ",
    "ㅌ",
    "ㅍ",
    "ㅎ",
)


@dataclass(frozen=True, slots=True)
class Syllable:
    """One syllable block split into jamo; ``final`` is "" when the syllable is open."""

    initial: str
    medial: str
    final: str


def is_hangul_syllable(char: str) -> bool:
    """Whether ``char`` is one precomposed Hangul syllable."""
    return len(char) == 1 and _FIRST <= ord(char) <= _LAST


def has_hangul(text: str) -> bool:
    """Whether ``text`` holds at least one precomposed Hangul syllable."""
    return any(is_hangul_syllable(char) for char in text)


def decompose(char: str) -> Syllable:
    """The jamo of one precomposed syllable; ``ValueError`` for anything else."""
    if not is_hangul_syllable(char):
        raise ValueError(f"{char!r} is not a Hangul syllable")
    index = ord(char) - _FIRST
    initial, rest = divmod(index, 21 * 28)
    medial, final = divmod(rest, 28)
    return Syllable(INITIALS[initial], MEDIALS[medial], FINALS[final])


def compose(syllable: Syllable) -> str:
    """The precomposed character for ``syllable`` (inverse of :func:`decompose`)."""
    index = (
        INITIALS.index(syllable.initial) * 21 + MEDIALS.index(syllable.medial)
    ) * 28 + FINALS.index(syllable.final)
    return chr(_FIRST + index)


__all__ = [
    "FINALS",
    "INITIALS",
    "MEDIALS",
    "Syllable",
    "compose",
    "decompose",
    "has_hangul",
    "is_hangul_syllable",
]
