"""Bytes to text: Unicode first, then the legacy encodings Korean and Chinese sources use.

Order of trust: a byte-order mark, then strict UTF-8 (which almost never decodes anything
else by accident), then ISO-2022 if the bytes carry its escape sequences, then a contest
between the legacy encodings that decode the bytes strictly. Short Korean and Chinese texts
decode cleanly in each other's encodings (EUC-KR bytes are valid GB18030 and the reverse), so
the contest scores each reading for how plausible its script is: Korean puts spaces between
words and rarely mixes in Han characters; Chinese runs Han characters without spaces;
Japanese cannot do without kana. charset-normalizer's mess ratio catches the rest (Latin
mojibake, odd symbols). Ties go to the order of ``_CANDIDATES``.

Error codes (``EvidenceError``):
- R033: the bytes are not text (control characters, or no encoding reads them).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from charset_normalizer.md import mess_ratio

from refuge.errors import EvidenceError

__all__ = ["DecodedText", "decode_declared", "decode_text", "is_text", "normalise_newlines"]


@dataclass(frozen=True, slots=True)
class DecodedText:
    """A decoded text, the codec that read it, and whether that choice was unambiguous."""

    text: str
    encoding: str
    confident: bool


# Byte-order marks, longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Legacy codecs tried when UTF-8 fails, in order of preference on a tie. cp949 and gb18030
# are supersets of EUC-KR and GB2312/GBK; big5hkscs of Big5. Single-byte Western codecs come
# last because they decode every byte string, sensible or not.
_CANDIDATES: tuple[str, ...] = (
    "euc_kr",
    "cp949",
    "gb18030",
    "big5",
    "big5hkscs",
    "euc_jp",
    "cp932",
    "cp1252",
    "latin_1",
)

# What users and documents call a codec -> the name we report.
_REPORTED = {
    "euc_kr": "euc-kr",
    "cp949": "cp949",
    "gb18030": "gb18030",
    "big5": "big5",
    "big5hkscs": "big5-hkscs",
    "euc_jp": "euc-jp",
    "cp932": "shift_jis",
    "cp1252": "cp1252",
    "latin_1": "latin-1",
    "iso2022_kr": "iso-2022-kr",
    "iso2022_jp_2": "iso-2022-jp",
}

# Declared charsets (HTTP, MIME, <meta>) mapped to the superset that browsers actually use,
# so that a page labelled "gb2312" with a GBK character in it still decodes.
_DECLARED_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "chinese": "gb18030",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "windows-949": "cp949",
    "korean": "cp949",
    "big5": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "cn-big5": "big5hkscs",
    "shift_jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms_kanji": "cp932",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
}

_CODEC_BY_REPORTED = {reported: codec for codec, reported in _REPORTED.items()}
# Runs of ASCII and three- and four-byte UTF-8 sequences (Hangul, Han and kana are all three
# bytes). Two-byte sequences are left out on purpose: legacy CJK byte pairs often look like
# them, and Latin or Cyrillic letters are rare where Korean and Chinese encodings mix.
_UTF8_RUN = re.compile(
    rb"(?:(?:[\x00-\x7f]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2})+)"
)
# Hangul vowels (ㅒ ㅞ) and final consonants (ㄳ ㄵ ㄽ ㄾ ㄿ ㅀ ㅋ) that running Korean
# seldom uses, by their index in the Unicode syllable composition.
_RARE_VOWELS = frozenset({3, 15})
_RARE_FINALS = frozenset({3, 5, 12, 13, 14, 15, 24})
# Frequent Korean syllables: particles, endings, and the Sino-Korean roots of news prose and of
# this domain (북송, 탈북, 체포, 구금). Real text, even a short noun phrase, is full of them.
_COMMON_HANGUL = frozenset(
    "이가은는을를의에서로도와과고다하한했된되지기사자인대있것수들시정중국일보전요게해어아나"
    "만위라리며면던었았였습니까까지부주우성제상여적원장관구경화방회동생소내계연무문발공조실진"
    "통선당년월명후세안신물비행개때분치간금양식학작민북남강송체포감옥탈출경찰군법률권인권단체"
    "측말씨께님씩및또더그저우리너희누구어디언제왜어떻게모든각약여러최근지난올해오늘현재당시"
    "중앙도시군읍면리마을집가족아들딸어머니아버지여성남성아이청소년노동교화수용소보위부안전"
    "송환강제추방구금구류조사심문처벌사형폭력고문사망실종석방도주탈출국경두만압록강변방"
)
# Bytes scored per candidate: enough to judge, bounded for 50 MB files.
_SAMPLE_BYTES = 256 * 1024
# Share of disallowed control characters above which bytes are binary, not text.
_MAX_CONTROL_SHARE = 0.01
# Control characters other than tab, line breaks and ESC (which ISO-2022 text uses).
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]")
_HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]{11,}")


def decode_text(data: bytes) -> DecodedText:
    """Decode ``data`` as text; ``EvidenceError`` R033 if it is not text."""
    decoded = _decode(data)
    if not is_text(decoded.text):
        raise EvidenceError(
            "the bytes are not text (too many control characters); keep the file as opaque "
            "evidence",
            code="R033",
        )
    return decoded


def decode_declared(data: bytes, charset: str | None) -> DecodedText | None:
    """Decode with a charset declared outside the bytes, or None if it does not read them.

    A byte-order mark overrides the declaration (as browsers do). None means the caller should
    fall back to ``decode_text``: labels are often wrong, and a wrong label must not garble.
    """
    if any(data.startswith(bom) for bom, _codec in _BOMS):
        return _decode(data)
    if not charset:
        return None
    label = charset.strip().strip("\"'").lower()
    codec = _DECLARED_ALIASES.get(label, label)
    try:
        text = data.decode(codec)
    except (LookupError, UnicodeDecodeError):
        return None
    if not is_text(text):
        return None
    return DecodedText(text, _reported(codec), True)


def is_text(text: str) -> bool:
    """Whether ``text`` has few enough control characters to be a text and not binary."""
    if not text:
        return True
    return len(_CONTROLS.findall(text)) <= _MAX_CONTROL_SHARE * len(text)


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``; nothing else changes (extraction offsets
    count code points in the result)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes) -> DecodedText:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            try:
                return DecodedText(body.decode(codec), codec, True)
            except UnicodeDecodeError:
                return DecodedText(body.decode(codec, errors="replace"), codec, False)
    try:
        return DecodedText(data.decode("utf-8"), "utf-8", True)
    except UnicodeDecodeError:
        pass
    if b"\x1b$" in data:
        for codec in ("iso2022_kr", "iso2022_jp_2"):
            try:
                return DecodedText(data.decode(codec), _reported(codec), True)
            except UnicodeDecodeError:
                continue
    best = _contest(data)
    if best is not None:
        return best
    return _mixed(data) or _lossy(data)


def _contest(data: bytes) -> DecodedText | None:
    """The most plausible legacy reading that decodes all of ``data`` strictly, if any."""
    sample = _sample(data)
    scored: list[tuple[float, int, str, str]] = []
    for rank, codec in enumerate(_CANDIDATES):
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        if is_text(text):  # Latin-1 reads anything, binary included: that is no reading
            scored.append((_implausibility(text, codec), rank, codec, text))
    scored.sort(key=lambda item: (item[0], item[1]))
    for position, (score, _rank, codec, text) in enumerate(scored):
        try:
            whole = text if sample is data else data.decode(codec)
        except UnicodeDecodeError:
            continue  # the sample decoded, the rest of the file does not
        rivals = [other for other in scored[position + 1 :] if other[3] != text]
        confident = score < 0.05 and (not rivals or rivals[0][0] - score >= 0.1)
        return DecodedText(whole, _reported(codec), confident)
    return None


def _mixed(data: bytes) -> DecodedText | None:
    """UTF-8 with pieces in one legacy encoding pasted in (a copied quote, a merged file).

    The runs UTF-8 rejects are judged together, as one legacy text, so that the contest
    looks only at them; then each run is decoded with the winner.
    """
    pieces = _split_utf8_runs(data)
    legacy = [piece for is_utf8, piece in pieces if not is_utf8]
    if not legacy:
        return None
    reading = _contest(b"\n".join(legacy))
    if reading is None:
        return None
    codec = _CODEC_BY_REPORTED[reading.encoding]
    text = "".join(
        piece.decode("utf-8") if is_utf8 else piece.decode(codec, errors="replace")
        for is_utf8, piece in pieces
    )
    return DecodedText(text, f"utf-8+{reading.encoding}", False)


def _split_utf8_runs(data: bytes) -> list[tuple[bool, bytes]]:
    """``data`` cut into (is UTF-8, bytes) runs; legacy runs advance a byte pair at a time,
    so that a trail byte in the ASCII range (as Big5 and GBK have) stays with its lead."""
    pieces: list[tuple[bool, bytes]] = []
    legacy = bytearray()
    position = 0
    while position < len(data):
        match = _UTF8_RUN.match(data, position)
        if match:
            if legacy:
                pieces.append((False, bytes(legacy)))
                legacy = bytearray()
            pieces.append((True, match.group()))
            position = match.end()
        else:
            width = 2 if data[position] >= 0x81 else 1
            legacy += data[position : position + width]
            position += width
    if legacy:
        pieces.append((False, bytes(legacy)))
    return pieces


def _lossy(data: bytes) -> DecodedText:
    """Nothing reads the bytes cleanly: the best reading of the sample, with replacements."""
    sample = _sample(data)
    best: tuple[float, str] | None = None
    for codec in _CANDIDATES:
        text = sample.decode(codec, errors="replace")
        score = _implausibility(text, codec) + text.count("\ufffd") / max(1, len(text))
        if best is None or score < best[0]:
            best = (score, codec)
    codec = best[1] if best else "utf_8"
    return DecodedText(data.decode(codec, errors="replace"), _reported(codec), False)


def _sample(data: bytes) -> bytes:
    """A prefix that ends on a character boundary in every candidate encoding."""
    if len(data) <= _SAMPLE_BYTES:
        return data
    cut = data.rfind(b"\n", 0, _SAMPLE_BYTES)
    # A newline byte never occurs inside a multi-byte character in any candidate encoding.
    return data[: cut + 1] if cut > _SAMPLE_BYTES // 2 else data[:_SAMPLE_BYTES]


def _implausibility(text: str, codec: str) -> float:
    """0 for text that reads like a language, growing with oddities; lower is better."""
    if not text:
        return 0.0
    odd = hangul = han = kana = 0
    for char in text:
        code = ord(char)
        if 0xAC00 <= code <= 0xD7A3:
            hangul += 1
        elif 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF:
            han += 1
        elif 0x3040 <= code <= 0x30FF:
            kana += 1
        elif 0xFF61 <= code <= 0xFF9F:
            odd += 1  # half-width katakana: legacy Japanese terminals, not prose
        elif unicodedata.category(char) in ("Co", "Cn", "Cs") or 0x80 <= code <= 0x9F:
            odd += 1
    score = odd / len(text) + mess_ratio(text[:20000], maximum_threshold=1.0)
    cjk = hangul + han + kana
    if cjk:
        # Korean mixes in a few Han characters at most; a reading that is half and half is
        # Chinese bytes seen through a Korean codec (or the reverse).
        score += min(hangul, han) / (hangul + han) if hangul and han else 0.0
        # Korean words are short and spaced; a long unbroken run of Hangul is not Korean.
        if hangul:
            score += sum(len(run) for run in _HANGUL_RUN.findall(text)) / hangul
        # Chinese does not space its characters; Korean bytes read as Chinese do.
        if han and not hangul:
            score += len(re.findall(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", text)) / han
        # Hangul read out of Chinese bytes is spread evenly over all 2,350 common syllables,
        # so it is full of the vowels and finals that real Korean text rarely needs.
        if hangul >= 2:
            score += 2 * _rare_syllables(text) / hangul
        # ...and it seldom lands on the syllables that make up most of real Korean.
        if hangul >= 3:
            common = sum(1 for char in text if char in _COMMON_HANGUL) / hangul
            score += max(0.0, 0.3 - common) * 2
        if codec in ("euc_jp", "cp932") and not kana:
            score += 0.2
    return score


def _rare_syllables(text: str) -> int:
    rare = 0
    for char in text:
        index = ord(char) - 0xAC00
        if 0 <= index < 11172:
            vowel, final = (index % 588) // 28, index % 28
            rare += vowel in _RARE_VOWELS or final in _RARE_FINALS
    return rare


def _reported(codec: str) -> str:
    return _REPORTED.get(codec, codec.replace("_", "-"))
