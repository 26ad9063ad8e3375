from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from refuge.extract import EXTRACTOR_VERSION
from refuge.web.incidents.models import Claim
from refuge.web.sources.extraction import claim_proposals, source_extract
from refuge.web.sources.ingest import CaptureMetadata, ingest_bytes
from refuge.web.sources.models import Source

pytestmark = pytest.mark.django_db

REPORT = (
    "Chinese police arrested 12 North Koreans in Dandong on March 3, a source who asked "
    "not to be named said.\n"
)


def _ingest(text: str = REPORT, **meta: Any) -> Source:
    [outcome] = ingest_bytes(text.encode("utf-8"), name="r.txt", meta=CaptureMetadata(**meta))
    return Source.objects.get(uuid=outcome.source_uuids[0])


def test_an_ingested_english_source_gets_proposed_claims_with_spans() -> None:
    source = _ingest()
    claims = list(Claim.objects.filter(source=source))
    assert claims
    assert {c.review_status for c in claims} == {"proposed"}
    assert {c.extractor_version for c in claims} == {EXTRACTOR_VERSION}
    total = next(c for c in claims if c.field == "incidents.0.victims.total")
    assert total.quote == "12"
    assert total.value["value"] == 12
    for claim in claims:
        assert 0 <= claim.span_start < claim.span_end <= len(source.text)
        assert [claim.span_start, claim.span_end] == claim.spans[0]


def test_sources_in_other_languages_are_left_for_people() -> None:
    source = _ingest("탈북민 12명이 단둥에서 체포됐다.\n")
    assert source.language == "ko"
    assert not Claim.objects.filter(source=source).exists()


def test_extraction_can_be_turned_off_at_ingest() -> None:
    with override_settings(EXTRACT_ON_INGEST=False):
        source = _ingest()
    assert not Claim.objects.filter(source=source).exists()
    assert source_extract(source=source) > 0


def test_a_newer_extractor_adds_proposals_and_never_touches_reviewed_claims(alice: Any) -> None:
    source = _ingest()
    reviewed = Claim.objects.filter(source=source).first()
    assert reviewed is not None
    reviewed.review_status = "edited"
    reviewed.edited_value = {"value": 13}
    reviewed.reviewer = alice
    reviewed.save()
    before = {
        c.pk: (c.value, c.review_status, c.edited_value)
        for c in Claim.objects.filter(source=source)
    }
    assert source_extract(source=source) == 0  # the same version does not read twice
    added = source_extract(source=source, version="refuge.extract/99.0.0")
    assert added == len(before)
    after = {
        c.pk: (c.value, c.review_status, c.edited_value)
        for c in Claim.objects.filter(source=source, pk__in=before)
    }
    assert after == before


def test_proposals_name_each_evidence_key_of_each_incident() -> None:
    result = {
        "incidents": [
            {
                "victims": {"total": {"value": 5}},
                "event_types": ["arrest"],
                "places": [{"name": "Tumen"}],
                "evidence": {
                    "victims.total": [[0, 4]],
                    "event_types.arrest": [[5, 13]],
                    "places.0": [[20, 25], [40, 45]],
                },
            },
        ],
        "legal_references": [{"instrument": "cat-1984", "span": [50, 60]}],
        "sensitivity_flags": [],
    }
    proposals = {p.field: p for p in claim_proposals(result)}
    assert proposals["incidents.0.victims.total"].value == {"value": 5}
    assert proposals["incidents.0.event_types.arrest"].value == "arrest"
    assert proposals["incidents.0.places.0"].value == {"name": "Tumen"}
    assert proposals["incidents.0.places.0"].spans == [(20, 25), (40, 45)]
    assert proposals["legal_references.cat-1984"].spans == [(50, 60)]


def test_a_batch_resumed_after_a_crash_completes_extraction(tmp_path: Path) -> None:
    with override_settings(EXTRACT_ON_INGEST=False):
        source = _ingest()  # as if killed between recording and extracting
    [outcome] = ingest_bytes(REPORT.encode("utf-8"), name="again.txt", meta=CaptureMetadata())
    assert outcome.status == "duplicate"
    assert Claim.objects.filter(source=source).exists()
