"""Checks that the English corpora (corpus/en and corpus/heldout) are well formed.

The gold files are the yardstick for the extractor, so a malformed or self-contradictory
gold file would silently skew every score. The same checks run on the development corpus
(corpus/en) and on the held-out evaluation corpus (corpus/heldout), which follows the same
conventions but is never used to tune the extractor. The rules tested here are the format of
../shared/corpus/README.md, the vocabularies of ../shared/contracts/extraction.md and the
annotation conventions written down in corpus/README.md.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPORA = ROOT / "corpus"
# Each corpus folder with the fewest documents it must hold.
MINIMUM_DOCUMENTS = {"en": 40, "heldout": 20}
README = ROOT / "corpus" / "README.md"
SHARED = ROOT.parent / "shared"

# Fields of ../shared/corpus/README.md; "source" is the provenance note its seed gold carries.
TOP_LEVEL_FIELDS = {
    "source",
    "published",
    "language",
    "incidents",
    "legal_references",
    "sensitivity_flags",
}
INCIDENT_FIELDS = {
    "event_types",
    "total",
    "adults",
    "minors",
    "women",
    "men",
    "nationality",
    "arrest_places",
    "detention_places",
    "facility_keywords",
    "destination_country",
    "when_start",
    "when_end",
    "status",
    "anonymous_source",
}
COUNT_FIELDS = ("total", "adults", "minors", "women", "men")

# Vocabularies of ../shared/contracts/extraction.md (checked against it below when present).
EVENT_TYPES = {
    "arrest",
    "detention",
    "transfer",
    "repatriation",
    "deportation",
    "release",
    "escape_attempt",
    "border_crossing",
    "punishment",
    "death",
    "disappearance",
}
STATUSES = {
    "arrested",
    "detained",
    "repatriation_pending",
    "repatriated",
    "released",
    "unknown",
}
INSTRUMENTS = {
    "refugee-convention-1951",
    "refugee-protocol-1967",
    "cat-1984",
    "iccpr-1966",
    "crc-1989",
    "cn-kp-border-protocol-1986",
    "un-coi-dprk-2014",
    "kr-constitution-art3",
    "kr-nk-human-rights-act-2016",
    "kr-nk-refugees-act-1997",
    "cn-exit-entry-law-2012",
    "un-resolution",
    "un-wgad-opinion",
}
FLAGS = {
    "family_requested_non_disclosure",
    "source_anonymity",
    "minors_involved",
    "publicity_risk",
}

ISO_PREFIX = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
DOC_NAME = re.compile(r"^\d{3}-[a-z0-9]+(-[a-z0-9]+)*$")


def _gold_paths(corpus: str) -> list[Path]:
    return sorted((CORPORA / corpus).glob("*.gold.json"))


def _text_paths(corpus: str) -> list[Path]:
    return sorted((CORPORA / corpus).glob("*.txt"))


def _stem(path: Path) -> str:
    return path.name.removesuffix(".gold.json").removesuffix(".txt")


def _case_id(path: Path) -> str:
    return f"{path.parent.name}/{_stem(path)}"


def _load(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _text_for(gold_path: Path) -> str:
    return (gold_path.parent / f"{_stem(gold_path)}.txt").read_text(encoding="utf-8")


def _incidents(gold_path: Path) -> list[dict[str, Any]]:
    incidents = _load(gold_path)["incidents"]
    assert isinstance(incidents, list)
    return incidents


def _not_later(earlier: str, later: str) -> bool:
    """Compare two ISO prefixes at the coarser of their precisions ("2024-04-09" vs "2024-04")."""
    n = min(len(earlier), len(later))
    return earlier[:n] <= later[:n]


GOLDS = [path for corpus in MINIMUM_DOCUMENTS for path in _gold_paths(corpus)]
TEXTS = [path for corpus in MINIMUM_DOCUMENTS for path in _text_paths(corpus)]
gold_files = pytest.mark.parametrize("gold_path", GOLDS, ids=_case_id)
text_files = pytest.mark.parametrize("text_path", TEXTS, ids=_case_id)
corpora = pytest.mark.parametrize("corpus", sorted(MINIMUM_DOCUMENTS))


@corpora
def test_each_corpus_holds_its_minimum_number_of_documents(corpus: str) -> None:
    minimum = MINIMUM_DOCUMENTS[corpus]
    assert len(_text_paths(corpus)) >= minimum
    assert len(_gold_paths(corpus)) >= minimum


@corpora
def test_every_text_has_a_gold_file_and_every_gold_file_a_text(corpus: str) -> None:
    texts, golds = _text_paths(corpus), _gold_paths(corpus)
    assert {_stem(p) for p in texts} == {_stem(p) for p in golds}


@corpora
def test_document_names_are_numbered_slugs(corpus: str) -> None:
    for path in _text_paths(corpus) + _gold_paths(corpus):
        assert DOC_NAME.match(_stem(path)), path.name


def test_the_held_out_corpus_shares_no_number_or_headline_with_the_development_corpus() -> None:
    # A held-out document that repeats a development one would measure memory, not
    # generalisation.
    def numbers(corpus: str) -> set[str]:
        return {_stem(p)[:3] for p in _text_paths(corpus)}

    def headlines(corpus: str) -> set[str]:
        return {
            p.read_text(encoding="utf-8").split("\n", 1)[0].casefold() for p in _text_paths(corpus)
        }

    assert not numbers("en") & numbers("heldout")
    assert not headlines("en") & headlines("heldout")


@text_files
def test_each_text_is_utf8_with_unix_newlines_and_a_headline(text_path: Path) -> None:
    raw = text_path.read_bytes()
    text = raw.decode("utf-8")  # raises on anything that is not UTF-8
    assert "\r" not in text
    assert not text.startswith("\ufeff")
    headline = text.split("\n", 1)[0]
    assert headline.strip() == headline and headline
    assert not headline.endswith(".")
    # Real reports run to several hundred words; the first 89 stay under 400.
    assert 80 <= len(text.split()) <= 900


@gold_files
def test_each_gold_file_uses_only_the_readme_fields(gold_path: Path) -> None:
    gold = _load(gold_path)
    assert set(gold) <= TOP_LEVEL_FIELDS
    assert {"published", "language", "incidents"} <= set(gold)
    assert gold["language"] == "en"
    date.fromisoformat(gold["published"])
    for incident in _incidents(gold_path):
        assert set(incident) <= INCIDENT_FIELDS


@gold_files
def test_vocabularies_are_the_contracts(gold_path: Path) -> None:
    gold = _load(gold_path)
    assert set(gold.get("legal_references", [])) <= INSTRUMENTS
    assert set(gold.get("sensitivity_flags", [])) <= FLAGS
    for incident in _incidents(gold_path):
        assert incident["event_types"], "an incident has at least one event"
        assert set(incident["event_types"]) <= EVENT_TYPES
        assert incident["status"] and set(incident["status"]) <= STATUSES
        for field in ("nationality", "destination_country"):
            value = incident.get(field)
            assert value is None or COUNTRY.match(value), (field, value)
        assert isinstance(incident["anonymous_source"], bool)
        for field in ("arrest_places", "detention_places", "facility_keywords"):
            assert isinstance(incident[field], list)
            assert all(isinstance(name, str) and name for name in incident[field])


@gold_files
def test_dates_are_iso_prefixes_in_order_and_not_after_publication(gold_path: Path) -> None:
    published = _load(gold_path)["published"]
    for incident in _incidents(gold_path):
        start, end = incident["when_start"], incident["when_end"]
        assert (start is None) == (end is None)
        if start is None:
            continue
        assert ISO_PREFIX.match(start), start
        assert ISO_PREFIX.match(end), end
        for value in (start, end):
            if len(value) == 10:
                date.fromisoformat(value)  # rejects 2019-02-30
        assert _not_later(start, end), (start, end)
        assert _not_later(end, published), (end, published)


@gold_files
def test_counts_are_non_negative_integers_and_parts_fit_the_total(gold_path: Path) -> None:
    for incident in _incidents(gold_path):
        for field in COUNT_FIELDS:
            value = incident.get(field)
            assert value is None or (type(value) is int and value >= 0), (field, value)
        total = incident.get("total")
        if total is None:
            continue
        for a, b in (("adults", "minors"), ("women", "men")):
            parts = [incident.get(a), incident.get(b)]
            assert sum(p for p in parts if p is not None) <= total, (a, b, total)


@gold_files
def test_every_named_place_and_facility_word_occurs_in_the_text(gold_path: Path) -> None:
    text = _text_for(gold_path).casefold()
    for incident in _incidents(gold_path):
        for field in ("arrest_places", "detention_places", "facility_keywords"):
            for name in incident[field]:
                assert name.casefold() in text, (field, name)


@gold_files
def test_annotations_follow_the_readme_conventions(gold_path: Path) -> None:
    gold = _load(gold_path)
    flags = set(gold.get("sensitivity_flags", []))
    incidents = _incidents(gold_path)
    for incident in incidents:
        events = set(incident["event_types"])
        if incident["arrest_places"]:
            assert "arrest" in events
        if incident["detention_places"]:
            assert "detention" in events
        if events & {"repatriation", "deportation"}:
            assert incident["destination_country"] is not None
        if incident["status"] == ["repatriated"]:
            assert "repatriation" in events
        if incident["minors"]:
            assert "minors_involved" in flags
    anonymous = any(incident["anonymous_source"] for incident in incidents)
    assert anonymous == ("source_anonymity" in flags)


def test_the_readme_hard_case_index_names_only_existing_files() -> None:
    readme = README.read_text(encoding="utf-8")
    index = re.split(r"^## ", readme.split("## Hard-case index", 1)[1], flags=re.M)[0]
    named = set(re.findall(r"\b\d{3}-[a-z0-9]+(?:-[a-z0-9]+)*\b", index))
    assert named, "the index names no file"
    existing = {_stem(p) for p in _text_paths("en")}
    assert named <= existing, sorted(named - existing)


def _contract_vocabulary(name: str) -> set[str]:
    contract = (SHARED / "contracts" / "extraction.md").read_text(encoding="utf-8")
    match = re.search(rf"^- `{re.escape(name)}`[^:]*:(.*?)(?=^- |^## |\Z)", contract, re.M | re.S)
    assert match, name
    body = re.sub(r"\([^)]*\)", "", match.group(1))
    words = (w.strip().rstrip(".").strip() for w in body.split(","))
    return {w for w in words if w}


@pytest.mark.skipif(not (SHARED / "contracts").is_dir(), reason="shared contracts not present")
def test_the_vocabularies_here_are_those_of_the_extraction_contract() -> None:
    assert _contract_vocabulary("event_types") >= EVENT_TYPES
    assert _contract_vocabulary("status") >= STATUSES
    assert _contract_vocabulary("legal_references[].instrument") >= INSTRUMENTS
    assert _contract_vocabulary("sensitivity_flags[].flag") >= FLAGS


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="shared corpus not present")
def test_the_fields_here_are_those_of_the_shared_gold_format() -> None:
    readme = (SHARED / "corpus" / "README.md").read_text(encoding="utf-8")
    block = readme.split("```", 2)[1]
    documented = set(re.findall(r'"([a-z_]+)"\s*:', block))
    assert documented | {"source"} == TOP_LEVEL_FIELDS | INCIDENT_FIELDS
