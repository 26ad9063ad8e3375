"""A documentalist's path in a real browser: review claims, add one by selecting Korean
words, switch the interface to Korean."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from refuge.web.incidents.models import Claim
from refuge.web.sources.ingest import CaptureMetadata, ingest_bytes
from refuge.web.sources.models import Source

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

REPORT = (
    "Chinese police arrested 12 North Koreans in Dandong on March 3, 2024, a source "
    "who asked not to be named said.\n"
)
KOREAN = "탈북민 7명이 지난달 단둥에서 체포돼 강제북송 위기에 놓였다.\n"


def _sign_in(page: Any, live_server: Any, user: Any) -> None:
    """Carry a signed-in session into the browser (the sign-in form has its own tests)."""
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])


def _source(team: Any, text: str) -> Source:
    [outcome] = ingest_bytes(
        text.encode(), name="r.txt", meta=CaptureMetadata(team=team, disclosure="organisation")
    )
    return Source.objects.get(uuid=outcome.source_uuids[0])


def test_an_editor_reviews_claims_and_adds_one_by_selecting_korean_words(
    page: Any, live_server: Any, alice: Any, team: Any
) -> None:
    english = _source(team, REPORT)
    korean = _source(team, KOREAN)
    _sign_in(page, live_server, alice)

    page.goto(f"{live_server.url}/review/{english.uuid}/")
    assert page.locator("mark").count() > 0
    first = page.locator("tr.claim-row").first
    row_id = first.get_attribute("id")
    first.locator("button[value=accept]").click()
    # htmx swaps the decided row in place (no page load).
    page.wait_for_selector(f"#{row_id}.status-accepted")
    assert Claim.objects.filter(source=english, review_status="accepted").count() == 1

    page.goto(f"{live_server.url}/review/{korean.uuid}/")
    # Select "7명" in the text as a person would, with the mouse; the page fills the offsets.
    page.evaluate("""() => {
        const pre = document.getElementById('source-text');
        const node = pre.firstChild;
        const start = node.textContent.indexOf('7명');
        const range = document.createRange();
        range.setStart(node, start);
        range.setEnd(node, start + 2);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        document.dispatchEvent(new MouseEvent('mouseup'));
    }""")
    assert page.input_value("#add-claim [name=start]") == str(KOREAN.index("7명"))
    page.select_option("#add-claim [name=field]", "victims.total")
    page.fill("#add-claim [name=value]", "7")
    page.click("#add-claim button[type=submit]")
    page.wait_for_load_state()
    claim = Claim.objects.get(source=korean, extractor_version="manual")
    assert claim.quote == "7명"
    assert claim.value == 7

    page.select_option("#ui-language", "ko")
    page.click("footer button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ko"
    assert "검토" in page.content()
