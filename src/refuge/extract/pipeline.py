"""The spaCy pipeline and the ``extract`` entry point.

A blank pipeline per language (no model, nothing downloaded) with Refuge's components
registered under versioned names; a component whose behaviour changes gets a new version.
The pipeline is built once per language and gazetteer and cached.
"""

from __future__ import annotations

import gc
import hashlib
import re
import threading
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from refuge.errors import ExtractionError
from refuge.extract.counts import CountFinder
from refuge.extract.dates import DateFinder, parse_published
from refuge.extract.events import EventFinder
from refuge.extract.facilities import FacilityFinder
from refuge.extract.flags import FlagFinder
from refuge.extract.lang import LanguageTables, tables_for
from refuge.extract.law import LawFinder
from refuge.extract.numbers import NumberFinder
from refuge.extract.places import GazetteerLike, PlaceFinder
from refuge.extract.result import (
    DocumentInfo,
    Extraction,
    LegalReference,
    SensitivityFlag,
)
from refuge.extract.segment import Segmenter
from refuge.extract.sentences import set_sentences
from refuge.extract.sources import SourceFinder
from refuge.extract.values import get, put

EXTRACTOR_VERSION = "refuge.extract/0.6.0"
# Two million characters is some 300 pages; a news report is a few thousand. Longer inputs
# are refused rather than left to exhaust memory in the tokenizer.
MAX_CHARS = 2_000_000
_BINARY_SHARE = 0.05
_DETECT_SAMPLE = 600
# C0 controls other than the whitespace ones, and the replacement character.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\ufffd]")
_WORD = re.compile("[a-z]+")
# Anything but Latin letters, ASCII and general punctuation (curly quotes, dashes).
_OTHER_SCRIPT = re.compile("[^\x00-\u024f\u1e00-\u1eff\u2000-\u206f]")
_COMMON_ENGLISH = frozenset({"the", "a", "of", "and", "to", "is", "was", "were", "for", "that"})
_COMMON_ENGLISH_BYTES = frozenset(w.encode("ascii") for w in _COMMON_ENGLISH)
_LETTERS_ONLY = bytes(c if 0x61 <= c <= 0x7A else 0x20 for c in range(256))  # a-z, else space

# The gazetteer of each pipeline is handed to the places component through this table,
# since spaCy configs carry only JSON-like values.
_GAZETTEERS: dict[str, GazetteerLike | None] = {}


def _tokenizer_of(nlp: Language) -> Callable[[str], Sequence[str]]:
    def tokenize(text: str) -> list[str]:
        return [t.text for t in nlp.tokenizer(text) if not t.is_space]

    return tokenize


def _tables(lang: str) -> LanguageTables:
    tables = tables_for(lang)
    if tables is None:
        raise ExtractionError(f"no extraction tables for language {lang!r}", code="R043")
    return tables


@Language.component("refuge_sentences_v3")
def _sentences(doc: Doc) -> Doc:
    return set_sentences(doc)


@Language.factory("refuge_numbers_v1", default_config={"lang": "en"})
def _numbers(nlp: Language, name: str, lang: str) -> Callable[[Doc], Doc]:
    finder = NumberFinder(_tables(lang).numbers, _tokenizer_of(nlp))

    def run(doc: Doc) -> Doc:
        put(doc, "refuge_numbers", finder.find(doc))
        return doc

    return run


@Language.factory("refuge_counts_v5", default_config={"lang": "en"})
def _counts(nlp: Language, name: str, lang: str) -> Callable[[Doc], Doc]:
    finder = CountFinder(_tables(lang).counts, _tokenizer_of(nlp))

    def run(doc: Doc) -> Doc:
        put(doc, "refuge_counts", finder.find(doc, get(doc, "refuge_numbers") or []))
        put(doc, "refuge_groups", finder.groups(doc))
        put(doc, "refuge_group_ages", finder.ages_by_reference(doc))
        return doc

    return run


@Language.factory("refuge_events_v5", default_config={"lang": "en"})
def _events(nlp: Language, name: str, lang: str) -> Callable[[Doc], Doc]:
    tables = _tables(lang)
    finder = EventFinder(
        tables.events, dict(tables.places.countries), _tokenizer_of(nlp), nlp.vocab
    )

    def run(doc: Doc) -> Doc:
        put(doc, "refuge_events", finder.find(doc, doc.user_data.get("refuge.title_end", 0)))
        return doc

    return run


@Language.factory("refuge_places_v3", default_config={"lang": "en", "gazetteer": "default"})
def _places(nlp: Language, name: str, lang: str, gazetteer: str) -> Callable[[Doc], Doc]:
    finder = PlaceFinder(
        _tables(lang).places, _GAZETTEERS.get(gazetteer), _tokenizer_of(nlp), nlp.vocab
    )

    def run(doc: Doc) -> Doc:
        put(doc, "refuge_places", finder.find(doc))
        return doc

    return run


@Language.factory("refuge_facilities_v1", default_config={"lang": "en"})
def _facilities(nlp: Language, name: str, lang: str) -> Callable[[Doc], Doc]:
    finder = FacilityFinder(_tables(lang).places, _tokenizer_of(nlp))

    def run(doc: Doc) -> Doc:
        put(doc, "refuge_facilities", finder.find(doc, get(doc, "refuge_places") or []))
        return doc

    return run


@Language.factory("refuge_dates_v4", default_config={"lang": "en"})
def _dates(nlp: Language, name: str, lang: str) -> Callable[[Doc], Doc]:
    tables = _tables(lang)
    finder = DateFinder(tables.dates, tables.events.speech_verbs)

    def run(doc: Doc) -> Doc:
        put(doc, "refuge_dates", finder.find(doc))
        return doc

    return run


@Language.factory("refuge_sources_v3", default_config={"lang": "en"})
def _sources(nlp: Language, name: str, lang: str) -> Callable[[Doc], Doc]:
    finder = SourceFinder(_tables(lang).sources, _tokenizer_of(nlp))

    def run(doc: Doc) -> Doc:
        put(doc, "refuge_sources", finder.find(doc))
        return doc

    return run


@Language.factory("refuge_law_v1", default_config={"lang": "en"})
def _law(nlp: Language, name: str, lang: str) -> Callable[[Doc], Doc]:
    finder = LawFinder(_tables(lang).law, _tokenizer_of(nlp), nlp.vocab)

    def run(doc: Doc) -> Doc:
        put(doc, "refuge_law", finder.find(doc))
        return doc

    return run


@Language.factory("refuge_flags_v4", default_config={"lang": "en"})
def _flags(nlp: Language, name: str, lang: str) -> Callable[[Doc], Doc]:
    tables = _tables(lang)
    finder = FlagFinder(tables.flags, tables.sources.anonymity_phrases, _tokenizer_of(nlp))

    def run(doc: Doc) -> Doc:
        put(doc, "refuge_flags", finder.find(doc))
        return doc

    return run


COMPONENTS = (
    "refuge_sentences_v3",
    "refuge_numbers_v1",
    "refuge_counts_v5",
    "refuge_events_v5",
    "refuge_places_v3",
    "refuge_facilities_v1",
    "refuge_dates_v4",
    "refuge_sources_v3",
    "refuge_law_v1",
    "refuge_flags_v4",
)

_LOCK = threading.Lock()
_CACHE: dict[tuple[str, str], tuple[Language, Segmenter]] = {}


def _default_gazetteer() -> tuple[GazetteerLike | None, str | None]:
    try:
        from refuge.gazetteer import default_gazetteer
    except ImportError:
        return None, "gazetteer unavailable: places are not extracted"
    try:
        return default_gazetteer(), None
    except Exception as exc:  # a missing or broken places.csv must not stop extraction
        return None, f"gazetteer unavailable ({type(exc).__name__}): places are not extracted"


def build_pipeline(
    lang: str = "en", gazetteer: GazetteerLike | str | None = "default"
) -> tuple[Language, Segmenter]:
    """The pipeline for ``lang`` with ``gazetteer`` (the packaged one by default), cached."""
    key_name = "default" if isinstance(gazetteer, str) else f"g{id(gazetteer)}"
    with _LOCK:
        cached = _CACHE.get((lang, key_name))
        if cached is not None:
            return cached
        if isinstance(gazetteer, str):
            _GAZETTEERS[key_name] = _default_gazetteer()[0]
        else:
            _GAZETTEERS[key_name] = gazetteer
        nlp = spacy.blank(lang)
        nlp.max_length = MAX_CHARS + 1
        for name in COMPONENTS:
            config: dict[str, Any] = {}
            if name != "refuge_sentences_v3":
                config["lang"] = lang
            if name == "refuge_places_v3":
                config["gazetteer"] = key_name
            nlp.add_pipe(name, config=config)
        segmenter = Segmenter(_tables(lang), _tokenizer_of(nlp))
        _CACHE[(lang, key_name)] = (nlp, segmenter)
        return nlp, segmenter


def headline_of(text: str, max_chars: int = 160) -> str | None:
    """The first line when it reads as a headline: short, followed by more text, and not
    ending like a sentence."""
    first, sep, rest = text.lstrip("\ufeff").partition("\n")
    line = first.strip()
    if not sep or not rest.strip() or not line or len(line) > max_chars:
        return None
    if line[-1] in ".,;:" or not any(map(str.isalpha, line)):
        return None
    return line


def _looks_binary(text: str) -> bool:
    sample = text[:100_000]
    bad = len(_CONTROL.findall(sample))
    return bad > _BINARY_SHARE * len(sample)


def _plainly_english(sample: str) -> bool:
    """A Latin-script opening where common English function words are frequent: English
    for ``detect_language`` too (no other script; these words are a subset of its list),
    told without its per-character script count, the costliest step for a short report."""
    if _OTHER_SCRIPT.search(sample) is not None:
        return False
    # The words of ``_WORD.findall(sample.lower())``, split and counted in C: every other
    # character (one "?" per non-ASCII one) becomes a space.
    words = sample.lower().encode("ascii", "replace").translate(_LETTERS_ONLY).split()
    common = sum(map(_COMMON_ENGLISH_BYTES.__contains__, words))
    letters = sum(map(len, words))
    return letters >= 20 and common >= 2 and common >= 0.1 * len(words)


def _detect_language(text: str) -> str | None:
    if _plainly_english(text):
        return "en"
    try:
        from refuge.evidence.language import detect_language
    except ImportError:
        return "en"
    return detect_language(text)


def extract(
    text: str,
    *,
    published: date | None = None,
    language: str = "auto",
    title: str | None = None,
    gazetteer: GazetteerLike | str | None = "default",
) -> Extraction:
    """Incidents, legal references and sensitivity flags stated by ``text``.

    ``published`` anchors relative dates; without it a plain date in the first lines is
    used, else relative dates stay unresolved. ``language`` is "auto", "en", "ko" or "zh".
    Raises ExtractionError (R041) for a text longer than MAX_CHARS and (R044) for an
    unknown language; an empty, binary-looking or not-yet-supported text gives an empty
    result with a warning.
    """
    if not isinstance(text, str):
        raise ExtractionError("extraction needs text (str); decode the file first", code="R042")
    if len(text) > MAX_CHARS:
        raise ExtractionError(
            f"text is {len(text):,} characters, over the limit of {MAX_CHARS:,}; "
            "split the document and extract the parts",
            code="R041",
        )
    if language not in ("auto", "en", "ko", "zh"):
        raise ExtractionError(f"unknown language {language!r}; use auto, en, ko or zh", code="R044")
    sha = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    warnings: list[str] = []
    if title is None:
        title = headline_of(text)
    lang = language
    if lang == "auto":
        # The script and function words of the opening decide; reading a whole book for
        # them would cost more than extracting it.
        detected = _detect_language(text[:_DETECT_SAMPLE]) if text.strip() else None
        lang = detected if detected in ("en", "ko", "zh") else "en"
        if detected is None and text.strip():
            warnings.append("language not recognised; read as English")
    anchor = published if published is not None else parse_published(text)
    if published is None and anchor is not None:
        warnings.append(f"relative dates anchored on {anchor.isoformat()}, found in the text")
    document = DocumentInfo(lang, anchor.isoformat() if anchor else None, title, sha)
    empty = Extraction(document, extractor=EXTRACTOR_VERSION)
    if not text.strip():
        return _with_warnings(empty, [*warnings, "empty text: nothing to extract"])
    if _looks_binary(text):
        return _with_warnings(empty, [*warnings, "text looks like binary data: nothing extracted"])
    if tables_for(lang) is None:
        return _with_warnings(empty, [*warnings, f"extraction for {lang!r} is not available yet"])
    nlp, segmenter = build_pipeline(lang, gazetteer)
    if isinstance(gazetteer, str) and _GAZETTEERS.get("default") is None:
        warnings.append(_default_gazetteer()[1] or "gazetteer unavailable")
    with _cycle_collection_paused():
        return _run(nlp, segmenter, text, title, anchor, document, warnings)


class _cycle_collection_paused:
    """Pause Python's cycle collector while one text is extracted.

    Extraction allocates many small objects that live until it returns; each full
    collection meanwhile walks every live object (the vocabulary, the gazetteer), so on a
    long text the collector's share grew faster than the text. Memory is still freed by
    reference counting; cycles made here are collected after. The collector is resumed
    only if it was running (another thread may have paused it too). A plain class: a
    generator-based context manager costs more per call than some components spend on a
    short report.
    """

    __slots__ = ("_was_enabled",)

    def __enter__(self) -> None:
        self._was_enabled = gc.isenabled()
        if self._was_enabled:
            gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self._was_enabled:
            gc.enable()


def _run(
    nlp: Language,
    segmenter: Segmenter,
    text: str,
    title: str | None,
    anchor: date | None,
    document: DocumentInfo,
    warnings: list[str],
) -> Extraction:
    doc = nlp.make_doc(text)
    title_end = 0
    if title and text.lstrip("\ufeff").startswith(title):
        title_end = text.index(title) + len(title)
    doc.user_data["refuge.text"] = text  # the token arrays slice it; Doc.text rebuilds it
    doc.user_data["refuge.published"] = anchor
    doc.user_data["refuge.title_end"] = title_end
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    sentences = segmenter.sentences(doc, title_end)
    incidents, minors = segmenter.incidents(doc, sentences, text)
    legal: dict[str, LegalReference] = {}
    for m in get(doc, "refuge_law") or []:
        legal.setdefault(m.instrument, LegalReference(m.instrument, (m.start, m.end)))
    flags: dict[str, SensitivityFlag] = {}
    for f in get(doc, "refuge_flags") or []:
        flags.setdefault(f.flag, SensitivityFlag(f.flag, (f.start, f.end)))
    for mf in minors:
        flags.setdefault(mf.flag, mf)
    if incidents and "minors_involved" not in flags:
        # Children counted anywhere outside a statistic ("a boy of five and a girl of
        # three", "her two daughters, aged 8 and 11") in a report of incidents are, in
        # these reports, among the people concerned; a missed flag costs more than a
        # reviewer's glance at one raised too often.
        for c in get(doc, "refuge_counts") or []:
            if c.category == "minors" and not c.aggregate:
                flags["minors_involved"] = SensitivityFlag("minors_involved", (c.start, c.end))
                break
    if "source_anonymity" not in flags:
        for inc_src in (s for s in get(doc, "refuge_sources") or [] if s.anonymous):
            flags["source_anonymity"] = SensitivityFlag(
                "source_anonymity", (inc_src.start, inc_src.end)
            )
            break
    order = {
        name: k
        for k, name in enumerate(
            (
                "family_requested_non_disclosure",
                "source_anonymity",
                "minors_involved",
                "publicity_risk",
            )
        )
    }
    return Extraction(
        document=document,
        incidents=tuple(incidents),
        legal_references=tuple(sorted(legal.values(), key=lambda r: r.span)),
        sensitivity_flags=tuple(sorted(flags.values(), key=lambda f: order.get(f.flag, 9))),
        warnings=tuple(warnings),
        extractor=EXTRACTOR_VERSION,
    )


def _with_warnings(e: Extraction, warnings: list[str]) -> Extraction:
    return Extraction(
        e.document,
        e.incidents,
        e.legal_references,
        e.sensitivity_flags,
        tuple(warnings),
        e.extractor,
    )
