from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from refuge.errors import AccessDenied, UsageError
from refuge.web.incidents.models import Claim
from refuge.web.review import selectors, services
from refuge.web.sources.ingest import CaptureMetadata, ingest_bytes
from refuge.web.sources.models import Source

pytestmark = pytest.mark.django_db

REPORT = (
    "Chinese police arrested 12 North Koreans in Dandong on March 3, 2024, a source "
    "who asked not to be named said.\n"
)
KOREAN = "탈북민 7명이 지난달 단둥에서 체포돼 강제북송 위기에 놓였다.\n"


def _source(team: Any, text: str = REPORT, level: str = "organisation") -> Source:
    [outcome] = ingest_bytes(
        text.encode(), name="r.txt", meta=CaptureMetadata(team=team, disclosure=level)
    )
    return Source.objects.get(uuid=outcome.source_uuids[0])


def test_the_queue_lists_sources_with_claims_to_review(team: Any, alice: Any) -> None:
    source = _source(team)
    rows = selectors.review_queue(user=alice)
    assert [r.uuid for r in rows] == [str(source.uuid)]
    assert rows[0].pending == Claim.objects.filter(source=source).count() > 0


def test_the_queue_lists_a_korean_report_the_extractor_cannot_read(team: Any, alice: Any) -> None:
    korean = _source(team, KOREAN)
    assert not Claim.objects.filter(source=korean).exists()
    assert str(korean.uuid) in [r.uuid for r in selectors.review_queue(user=alice)]


def test_the_queue_drops_a_source_once_it_is_reviewed_or_filed(
    team: Any, alice: Any, make_incident: Any
) -> None:
    korean = _source(team, KOREAN)
    incident = make_incident(disclosure="organisation")
    services.incident_attach_source(
        user=alice, incident=incident, source=korean, relation="reports"
    )
    assert str(korean.uuid) not in [r.uuid for r in selectors.review_queue(user=alice)]


def test_segments_mark_each_claimed_span() -> None:
    claim = Claim(pk=1, field="incidents.0.victims.total", span_start=4, span_end=6, spans=[[4, 6]])
    parts = selectors.segments("abc 12 def", [claim])
    assert [(p.text, p.claims, p.fields) for p in parts] == [
        ("abc ", [], []),
        ("12", [1], ["total"]),
        (" def", [], []),
    ]


def test_accept_edit_and_reject_keep_the_machine_value(team: Any, alice: Any) -> None:
    source = _source(team)
    claims = list(Claim.objects.filter(source=source).order_by("pk"))
    total = next(c for c in claims if c.field.endswith("victims.total"))
    services.claim_decide(
        user=alice, claim=total, decision="edit", edited_value={"value": 13, "qualifier": "exact"}
    )
    total.refresh_from_db()
    assert total.review_status == "edited"
    assert total.value["value"] == 12  # the machine's value stays beside the edit
    assert total.edited_value == {"value": 13, "qualifier": "exact"}
    assert total.reviewer == alice
    other = next(c for c in claims if c.pk != total.pk)
    services.claim_decide(user=alice, claim=other, decision="reject")
    other.refresh_from_db()
    assert other.review_status == "rejected"
    with pytest.raises(UsageError):
        services.claim_decide(user=alice, claim=other, decision="edit", edited_value="")


def test_an_analyst_cannot_review(team: Any, bob: Any) -> None:
    source = _source(team)
    with pytest.raises(AccessDenied):
        services.claim_decide(
            user=bob, claim=Claim.objects.filter(source=source).first(), decision="accept"
        )


def test_a_claim_can_be_made_by_selecting_korean_words(team: Any, alice: Any) -> None:
    source = _source(team, KOREAN)
    assert source.language == "ko"
    start = KOREAN.index("7명")
    claim = services.claim_add(
        user=alice, source=source, field="victims.total", value=7, start=start, end=start + 2
    )
    assert claim.quote == "7명"
    assert claim.review_status == "accepted"
    with pytest.raises(UsageError):
        services.claim_add(
            user=alice, source=source, field="victims.total", value=7, start=5, end=500
        )


def test_an_incident_is_built_from_accepted_claims(team: Any, alice: Any) -> None:
    source = _source(team)
    for claim in Claim.objects.filter(source=source):
        services.claim_decide(user=alice, claim=claim, decision="accept")
    incident = services.incident_from_claims(user=alice, source=source, title="Dandong 12")
    group = incident.victim_groups.get()
    assert group.total_best == 12
    assert {e.type for e in incident.events.all()} >= {"arrest"}
    assert incident.sources.get() == source
    assert any(p.name == "Dandong" for e in incident.events.all() for p in e.places.all())


def test_candidates_are_suggested_with_their_reasons(team: Any, alice: Any) -> None:
    first = _source(team)
    for claim in Claim.objects.filter(source=first):
        services.claim_decide(user=alice, claim=claim, decision="accept")
    incident = services.incident_from_claims(user=alice, source=first, title="Dandong 12")
    second = _source(team, REPORT.replace("12", "13").replace("March 3", "March 4"))
    [candidate] = selectors.incident_candidates(user=alice, source=second)
    assert candidate.public_id == incident.public_id
    assert any("Dandong" in r for r in candidate.reasons)
    assert any("similar count" in r for r in candidate.reasons)
    services.incident_attach_source(
        user=alice, incident=incident, source=second, relation="corroborates"
    )
    assert incident.sources.count() == 2


def test_the_review_page_highlights_spans_and_takes_decisions(
    client: Client, team: Any, alice: Any
) -> None:
    source = _source(team)
    client.force_login(alice)
    url = reverse("review:source", args=[source.uuid])
    page = client.get(url).content.decode()
    assert "<mark" in page and "Dandong</mark>" in page
    claim = Claim.objects.filter(source=source).first()
    assert claim is not None
    response = client.post(url, {"action": "decide", "claim": claim.pk, "decision": "reject"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.review_status == "rejected"
    bad = client.post(
        url, {"action": "add", "field": "victims.total", "value": "3", "start": "9", "end": "2"}
    )
    assert bad.status_code == 200
    assert 'role="alert"' in bad.content.decode()
