"""Revised Romanization (RR, South Korea 2000) and McCune–Reischauer (MR) of Hangul.

Both are written from the published letter tables: every syllable is split into jamo
(:mod:`refuge.names.hangul`) and each jamo has a letter that depends only on its neighbours.

Sound changes applied across syllables when ``assimilate`` is true (the default for running
text; personal names are romanized without them, as the RR rules for given names say):

- linking: a final consonant before a syllable starting with silent ㅇ is read as that
  syllable's initial (한국어 hangugeo); a final ㅎ falls silent there (좋아 joa);
- nasalization: final ㄱ/ㄷ/ㅂ before ㄴ or ㅁ become ㅇ/ㄴ/ㅁ (국민 gungmin, 합니다 hamnida);
- ㄹ after ㅁ or ㅇ is read ㄴ (종로 jongno); after ㄱ/ㄷ/ㅂ it is read ㄴ and the final is
  nasalized (독립 dongnip);
- liquidization: ㄴ+ㄹ and ㄹ+ㄴ are read ㄹ+ㄹ (신라 silla, 설날 seollal);
- aspiration after a final ㅎ (ㅎ, ㄶ, ㅀ) before ㄱ/ㄷ/ㅈ (좋고 joko).

Not implemented: palatalization (같이 gachi), ㄴ insertion, tensification (not written in RR
anyway), the aspiration of ㄱ/ㄷ/ㅂ before ㅎ (RR keeps "kh" in nouns), and MR's hyphen
conventions beyond names. MR voicing is applied as MR prescribes: plain ㄱ/ㄷ/ㅂ/ㅈ are written
g/d/b/j between voiced sounds (after a vowel or ㄴ/ㄹ/ㅁ/ㅇ in the same word) and k/t/p/ch
elsewhere; aspirates take an apostrophe (ch', k', t', p'), ㅓ/ㅡ take a breve (ŏ, ŭ), and
ㄴ+ㄱ is written "n'g" to tell it from ㅇ. ㅅ stays "s" before ㅣ (Sinŭiju), as in the
original system and the North's usage; the South's 1984 variant wrote "shi".
"""

from __future__ import annotations

from typing import Literal

from refuge.names.hangul import Syllable, decompose, is_hangul_syllable
from refuge.names.surnames import split_hangul_name

System = Literal["rr", "mr"]

_NEUTRAL = {
    "": "",
    "ㄱ": "ㄱ",
    "ㄲ": "ㄱ",
    "ㄳ": "ㄱ",
    "ㄴ": "ㄴ",
    "ㄵ": "ㄴ",
    "ㄶ": "ㄴ",
    "ㄷ": "ㄷ",
    "ㄹ": "ㄹ",
    "ㄺ": "ㄱ",
    "ㄻ": "ㅁ",
    "ㄼ": "ㄹ",
    "ㄽ": "ㄹ",
    "ㄾ": "ㄹ",
    "ㄿ": "ㅂ",
    "ㅀ": "ㄹ",
    "ㅁ": "ㅁ",
    "ㅂ": "ㅂ",
    "ㅄ": "ㅂ",
    "ㅅ": "ㄷ",
    "ㅆ": "ㄷ",
    "ㅇ": "ㅇ",
    "ㅈ": "ㄷ",
    "ㅊ": "ㄷ",
    "ㅋ": "ㄱ",
    "ㅌ": "ㄷ",
    "ㅍ": "ㅂ",
    "ㅎ": "ㄷ",
}

# What a final becomes before a silent ㅇ: (what stays as final, what becomes the initial).
_LINK = {
    "ㄳ": ("ㄱ", "ㅅ"),
    "ㄵ": ("ㄴ", "ㅈ"),
    "ㄶ": ("", "ㄴ"),
    "ㄺ": ("ㄹ", "ㄱ"),
    "ㄻ": ("ㄹ", "ㅁ"),
    "ㄼ": ("ㄹ", "ㅂ"),
    "ㄽ": ("ㄹ", "ㅅ"),
    "ㄾ": ("ㄹ", "ㅌ"),
    "ㄿ": ("ㄹ", "ㅍ"),
    "ㅀ": ("", "ㄹ"),
    "ㅄ": ("ㅂ", "ㅅ"),
    "ㅎ": ("", "ㅇ"),
}

_NASAL = {"ㄱ": "ㅇ", "ㄷ": "ㄴ", "ㅂ": "ㅁ"}
_ASPIRATE = {"ㄱ": "ㅋ", "ㄷ": "ㅌ", "ㅈ": "ㅊ"}
_H_FINAL_REST = {"ㅎ": "", "ㄶ": "ㄴ", "ㅀ": "ㄹ"}

_RR_INITIAL = {
    "ㄱ": "g",
    "ㄲ": "kk",
    "ㄴ": "n",
    "ㄷ": "d",
    "ㄸ": "tt",
    "ㄹ": "r",
    "ㅁ": "m",
    "ㅂ": "b",
    "ㅃ": "pp",
    "ㅅ": "s",
    "ㅆ": "ss",
    "ㅇ": "",
    "ㅈ": "j",
    "ㅉ": "jj",
    "ㅊ": "ch",
    "ㅋ": "k",
    "ㅌ": "t",
    "ㅍ": "p",
    "ㅎ": "h",
}
_RR_MEDIAL = {
    "ㅏ": "a",
    "ㅐ": "ae",
    "ㅑ": "ya",
    "ㅒ": "yae",
    "ㅓ": "eo",
    "ㅔ": "e",
    "ㅕ": "yeo",
    "ㅖ": "ye",
    "ㅗ": "o",
    "ㅘ": "wa",
    "ㅙ": "wae",
    "ㅚ": "oe",
    "ㅛ": "yo",
    "ㅜ": "u",
    "ㅝ": "wo",
    "ㅞ": "we",
    "ㅟ": "wi",
    "ㅠ": "yu",
    "ㅡ": "eu",
    "ㅢ": "ui",
    "ㅣ": "i",
}
_FINAL_LETTERS = {
    "": "",
    "ㄱ": "k",
    "ㄴ": "n",
    "ㄷ": "t",
    "ㄹ": "l",
    "ㅁ": "m",
    "ㅂ": "p",
    "ㅇ": "ng",
}

_MR_PLAIN = {"ㄱ": ("k", "g"), "ㄷ": ("t", "d"), "ㅂ": ("p", "b"), "ㅈ": ("ch", "j")}
_MR_INITIAL = {
    **_RR_INITIAL,
    "ㅉ": "tch",
    "ㅊ": "ch'",
    "ㅋ": "k'",
    "ㅌ": "t'",
    "ㅍ": "p'",
}
_MR_MEDIAL = {**_RR_MEDIAL, "ㅓ": "ŏ", "ㅕ": "yŏ", "ㅝ": "wŏ", "ㅡ": "ŭ", "ㅢ": "ŭi"}
_VOICED_FINALS = {"", "ㄴ", "ㄹ", "ㅁ", "ㅇ"}


def _assimilate(word: list[Syllable]) -> list[Syllable]:
    """Apply the sound changes listed in the module docstring at every syllable boundary."""
    out = list(word)
    for k in range(len(out) - 1):
        left, right = out[k], out[k + 1]
        final, initial = left.final, right.initial
        if not final:
            continue
        if initial == "ㅇ":
            if final == "ㅇ":
                continue
            stay, move = _LINK.get(final, ("", final))
            out[k] = Syllable(left.initial, left.medial, stay)
            out[k + 1] = Syllable(move or "ㅇ", right.medial, right.final)
            continue
        if final in _H_FINAL_REST and initial in _ASPIRATE:
            out[k] = Syllable(left.initial, left.medial, _H_FINAL_REST[final])
            out[k + 1] = Syllable(_ASPIRATE[initial], right.medial, right.final)
            continue
        final = _NEUTRAL[final]
        if initial == "ㄹ":
            if final == "ㄴ":
                final = "ㄹ"
            elif final in ("ㅁ", "ㅇ") or final in _NASAL:
                initial = "ㄴ"
        elif initial == "ㄴ" and final == "ㄹ":
            initial = "ㄹ"
        if initial in ("ㄴ", "ㅁ") and final in _NASAL:
            final = _NASAL[final]
        out[k] = Syllable(left.initial, left.medial, final)
        out[k + 1] = Syllable(initial, right.medial, right.final)
    return out


def _render(word: list[Syllable], system: System, *, separator: str = "") -> str:
    """Letters for a run of syllables already passed through (or spared) assimilation."""
    parts: list[str] = []
    previous_final: str | None = None  # None: at the start of the word
    for syllable in word:
        initial = syllable.initial
        if system == "rr":
            letters = _RR_INITIAL[initial]
            if initial == "ㄹ" and previous_final == "ㄹ":
                letters = "l"
            medial = _RR_MEDIAL[syllable.medial]
        else:
            voiced = previous_final is not None and previous_final in _VOICED_FINALS
            if initial in _MR_PLAIN:
                letters = _MR_PLAIN[initial][1 if voiced else 0]
            elif initial == "ㄹ" and previous_final == "ㄹ":
                letters = "l"
            else:
                letters = _MR_INITIAL[initial]
            if initial == "ㄱ" and previous_final == "ㄴ" and not separator:
                letters = "'" + letters
            medial = _MR_MEDIAL[syllable.medial]
        final = _NEUTRAL[syllable.final]
        if parts:
            parts.append(separator)
        parts.append(letters + medial + _FINAL_LETTERS[final])
        previous_final = final
    return "".join(parts)


def _strip_diacritics(text: str) -> str:
    return (
        text.replace("ŏ", "o")
        .replace("ŭ", "u")
        .replace("Ŏ", "O")
        .replace("Ŭ", "U")
        .replace("'", "")
    )


def _romanize(text: str, system: System, *, assimilate: bool) -> str:
    out: list[str] = []
    run: list[Syllable] = []

    def flush() -> None:
        if run:
            word = _assimilate(run) if assimilate else run
            out.append(_render(word, system))
            run.clear()

    for char in text:
        if is_hangul_syllable(char):
            run.append(decompose(char))
        else:
            flush()
            out.append(char)
    flush()
    return "".join(out)


def romanize_rr(text: str, *, assimilate: bool = True) -> str:
    """Revised Romanization of the Hangul in ``text``, lowercase; other characters kept."""
    return _romanize(text, "rr", assimilate=assimilate)


def romanize_mr(text: str, *, diacritics: bool = True, assimilate: bool = True) -> str:
    """McCune–Reischauer of the Hangul in ``text``, lowercase; other characters kept.

    ``diacritics=False`` gives the simplified form common in English-language reports and in
    the North's own usage: no breves (ŏ -> o, ŭ -> u) and no apostrophes.
    """
    result = _romanize(text, "mr", assimilate=assimilate)
    return result if diacritics else _strip_diacritics(result)


def romanize_name(hangul: str, *, system: System = "rr", diacritics: bool = True) -> str:
    """A Korean personal name as people write it: "Gim Jeong-eun" (RR), "Kim Chŏng-ŭn" (MR).

    The family name is written apart and capitalized, the given name's syllables joined by
    hyphens, with no sound changes between them (the RR rule for names). The family name is
    romanized letter by letter; the conventional spellings (Kim, Lee, Park) are in
    :func:`refuge.names.surname_variants`.
    """
    compact = "".join(hangul.split())
    if not compact or not all(is_hangul_syllable(char) for char in compact):
        raise ValueError(f"{hangul!r} is not a name written in Hangul")
    surname, given = split_hangul_name(compact)[0]
    parts = [_render([decompose(c) for c in surname], system)]
    if given:
        parts.append(_render([decompose(c) for c in given], system, separator="-"))
    words = [part[:1].upper() + part[1:] for part in parts]
    result = " ".join(words)
    return result if diacritics or system == "rr" else _strip_diacritics(result)


__all__ = ["System", "romanize_mr", "romanize_name", "romanize_rr"]
