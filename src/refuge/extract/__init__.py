"""Extraction: text -> incidents, legal references and sensitivity flags, every value
backed by a span of the text (contract: ../shared/contracts/extraction.md).

Pure Python on a blank spaCy pipeline; no Django, no model downloads. English first;
language-specific tables live in ``refuge.extract.lang`` behind one interface per
component.

    from refuge.extract import extract
    result = extract(text, published=date(2017, 7, 26))
    result.to_json()   # {"schema": "refuge.extraction/1", ...}

Error codes (ExtractionError):
    R041  the text is longer than the extraction limit (split it)
    R042  the input is not text (not UTF-8, binary, or not a str)
    R043  no extraction tables for a language (internal: a component was misconfigured)
    R044  unknown language code (use auto, en, ko or zh)
    R045  the input file cannot be read (missing, a directory, unsupported type)
"""

from refuge.extract.pipeline import EXTRACTOR_VERSION, MAX_CHARS, extract, headline_of
from refuge.extract.result import Extraction, Incident

__all__ = ["EXTRACTOR_VERSION", "MAX_CHARS", "Extraction", "Incident", "extract", "headline_of"]
