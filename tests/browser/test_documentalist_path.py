"""A new documentalist's path in a real browser, from signing in to what others may see.

An editor signs in with a password and an authenticator code, uploads an English report,
reviews its claims (accepts, edits, rejects), adds a claim to a Korean report by selecting
its words with the mouse, builds an incident, merges a duplicate into it, finds it by an
English word and a Korean term, reads the edited figure beside the words that state it, and
switches the interface to Korean. Then an analyst opens the incident without seeing a
person's name planted on it, and a partner elsewhere does not find it at all.

The reports are fictional, written for this test.
"""

from __future__ import annotations

import base64
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from refuge.web.accounts import twofactor
from refuge.web.accounts.models import TotpDevice
from refuge.web.incidents import services
from refuge.web.incidents.models import Claim, Incident
from refuge.web.sources.models import Source
from refuge.web.sources.services import TextSourceInput, source_create_from_text

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # the personas' password (tests/conftest.py)

ENGLISH = (
    "SAMPLE DATA. Northern Border Bulletin, 14 February 2025.\n"
    "Chinese public security officers detained 11 North Koreans, among them two children, "
    "in Yanji on February 2, 2025, a church volunteer who had sheltered them told a "
    "Seoul-based monitoring group. A twelfth member of the group, a man in his sixties, was "
    "caught at a bus station the next morning. Relatives fear all of them will be sent back "
    "across the Tumen River within weeks.\n"
)
# "Sample data. Eleven escapees arrested in Yanji early this month were moved to a border
# detention centre and are expected to be sent back soon, a local source said."
KOREAN = (
    "표본 자료. 북방국경소식, 2025년 2월 20일.\n"
    "이달 초 옌지에서 공안에 붙잡힌 탈북민 11명이 변방 구류소로 옮겨졌으며 "
    "곧 강제북송될 것으로 보인다고 현지 소식통이 전했다.\n"
)
DUPLICATE = (
    "SAMPLE DATA. Frontier Notes, 10 February 2025.\n"
    "Twelve North Koreans were held by police in Yanji in early February, church members said.\n"
)
TITLE = "Twelve detained in Yanji, February 2025"
CANARY = "Zqxcanary Ri"  # a person's name: editors may read it, analysts never


def _authenticator_code(user: Any, *, ahead: int = 0) -> str:
    """What the user's authenticator app shows (RFC 6238), ``ahead`` 30-second steps on."""
    from django_otp.oath import TOTP  # type: ignore[import-untyped]

    key = base64.b32decode(str(TotpDevice.objects.get(user=user).key))
    return f"{TOTP(key, drift=ahead).token():06d}"


def _enrol(user: Any) -> None:
    """The editor's authenticator, enrolled as the enrolment page would (its code used)."""
    device = twofactor.device_start(user=user)
    assert twofactor.device_confirm(device=device, code=_authenticator_code(user)) is not None


def _field(root: Any, label: str) -> Any:
    """A form control by its label, as Django writes it ("Outlet:") or bare ("Username")."""
    return root.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def _sign_in(page: Page, url: str, username: str, *, code: str | None = None) -> None:
    page.goto(f"{url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    if code is not None:
        expect(page.get_by_role("heading", name="Two-factor code")).to_be_visible()
        page.get_by_label("The 6-digit code").fill(code)
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def _upload(page: Page, url: str, tmp_path: Path, name: str, text: str, **fields: str) -> None:
    """Upload one report through the upload form, seen by the whole organisation."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    page.goto(f"{url}/sources/upload/")
    _field(page, "Files").set_input_files(path)
    for label, value in fields.items():
        _field(page, label).fill(value)
    _field(page, "Who may see it").select_option("organisation")
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("tr.outcome-ingested", has_text=name)).to_be_visible()


def _claim_row(page: Page, field: str) -> Any:
    return page.locator("tr.claim-row").filter(has=page.get_by_role("cell", name=field, exact=True))


def _decide(page: Page, field: str, button: str, status: str, edit: str | None = None) -> Any:
    """Decide one claim; htmx swaps its row in place (the page is not loaded again)."""
    row = _claim_row(page, field)
    row_id = row.get_attribute("id")
    if edit is not None:
        row.get_by_label("Edited value").fill(edit)
    row.get_by_role("button", name=button).click()
    swapped = page.locator(f"#{row_id}")
    expect(swapped).to_have_class(re.compile(rf"\bstatus-{status}\b"))
    expect(page.locator("#review-status")).to_contain_text(f"Claim {status}")
    return swapped


def _select_with_mouse(page: Page, words: str) -> None:
    """Drag the mouse across ``words`` in the source text, as a person selects them."""
    box = page.evaluate(
        """(words) => {
            const pre = document.getElementById('source-text');
            const node = pre.firstChild;
            const at = node.textContent.indexOf(words);
            const rect = (from, to) => {
                const range = document.createRange();
                range.setStart(node, from);
                range.setEnd(node, to);
                return range.getBoundingClientRect();
            };
            const first = rect(at, at + 1), last = rect(at + words.length - 1, at + words.length);
            return {x0: first.left + 1, x1: last.right - 1, y: (first.top + first.bottom) / 2};
        }""",
        words,
    )
    page.mouse.move(box["x0"], box["y"])
    page.mouse.down()
    page.mouse.move(box["x1"], box["y"], steps=5)
    page.mouse.up()


def _duplicate(team: Any) -> Incident:
    """A second record of the same detentions, made from another outlet's report."""
    source, _ = source_create_from_text(
        data=TextSourceInput(
            text=DUPLICATE,
            title="Frontier Notes on Yanji",
            outlet="Frontier Notes",
            published=date(2025, 2, 10),
            language="en",
            reliability="C",
            credibility=3,
            disclosure="organisation",
        ),
        team=team,
    )
    incident = services.incident_create(
        title="Yanji police hold North Koreans",
        team=team,
        status="detained",
        disclosure="organisation",
        sources=[(source, "reports")],
    )
    yanji = services.place_for("cn-jl-yanji")
    assert yanji is not None
    services.event_create(
        incident=incident,
        order=1,
        type="detention",
        date_start=date(2025, 2, 1),
        date_end=date(2025, 2, 28),
        date_precision="month",
        places=[yanji],
        place_precision="city",
    )
    return incident


def _search(page: Page, url: str, words: str) -> Any:
    """Search incidents for ``words`` from the search page; the list of results."""
    page.goto(f"{url}/search/")
    page.get_by_label("Words (any language)").fill(words)
    page.get_by_label("Records").select_option("incident")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]q="))
    return page.locator("ol.results")


def test_a_new_documentalist_walks_from_a_report_to_a_trusted_incident(
    browser: Any,
    page: Page,
    live_server: Any,
    tmp_path: Path,
    alice: Any,
    bob: Any,
    carol: Any,
    team: Any,
) -> None:
    url = live_server.url
    page.set_default_timeout(10_000)

    # 1. Sign in: the password, then the code the authenticator shows (one step on, since
    # enrolment used the current one and a code is never accepted twice).
    _enrol(alice)
    _sign_in(page, url, "alice", code=_authenticator_code(alice, ahead=1))

    # 2. Upload an English report through the form; the extractor proposes claims.
    _upload(
        page,
        url,
        tmp_path,
        "yanji-bulletin.txt",
        ENGLISH,
        Outlet="Northern Border Bulletin",
        Published="2025-02-14",
        Language="en",
    )
    english = Source.objects.get(outlet="Northern Border Bulletin")

    # 3. Review its claims from the queue, each decision swapped in place by htmx.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Review").click()
    page.get_by_label("Language", exact=True).select_option("en")
    page.get_by_role("button", name="Filter").click()
    page.locator(f"a[href='/review/{english.uuid}/']").click()
    expect(page.locator("#source-text mark").first).to_be_visible()
    page.evaluate("window.__sameDocument = true")  # gone if the page loads again
    for field in (
        "incidents.0.places.0",
        "incidents.0.event_types.detention",
        "incidents.0.when.start",
        "incidents.0.victims.nationality",
    ):
        _decide(page, field, "Accept", "accepted")
    # The report's own words count twelve (eleven, then "a twelfth"); the machine read 11.
    edited = _decide(page, "incidents.0.victims.total", "Save edit", "edited", edit="12")
    expect(edited.get_by_role("cell", name="11", exact=True)).to_be_visible()  # the words
    # The machine's value is kept, and the person's edit shown beside it.
    expect(edited.locator("td").nth(2)).to_contain_text(re.compile(r"^11(?!\d).*edited:\s*12\b"))
    # "Seoul" is where the monitoring group works, not where anything happened.
    _decide(page, "incidents.0.places.1", "Reject", "rejected")
    assert page.evaluate("window.__sameDocument") is True
    decided = dict(Claim.objects.filter(source=english).values_list("field", "review_status"))
    assert decided["incidents.0.victims.total"] == "edited"
    assert decided["incidents.0.places.1"] == "rejected"
    assert decided["incidents.0.places.0"] == "accepted"

    # ... and a Korean report, which the extractor does not read: select "11명" with the
    # mouse, the page fills the offsets, the reviewer names the field and the value.
    _upload(page, url, tmp_path, "yanji-ko.txt", KOREAN, Language="ko")
    korean = Source.objects.get(language="ko")
    page.goto(f"{url}/review/")
    page.get_by_label("Language", exact=True).select_option("ko")
    page.get_by_role("button", name="Filter").click()
    page.locator(f"a[href='/review/{korean.uuid}/']").click()
    _select_with_mouse(page, "11명")
    add = page.locator("#add-claim")
    start = KOREAN.index("11명")
    expect(_field(add, "Start")).to_have_value(str(start))
    expect(_field(add, "End")).to_have_value(str(start + len("11명")))
    _field(add, "Field").select_option("victims.total")
    _field(add, "Value").fill("11")
    add.get_by_role("button", name="Add claim").click()
    expect(page.get_by_role("status").filter(has_text="Claim added.")).to_be_visible()
    manual = _claim_row(page, "manual.victims.total")
    expect(manual.get_by_role("cell", name="11명", exact=True)).to_be_visible()
    expect(manual).to_have_class(re.compile(r"\bstatus-accepted\b"))
    expect(page.locator("#source-text mark", has_text="11명")).to_be_visible()

    # 4. Create the incident from the English report's accepted and edited claims.
    page.goto(f"{url}/review/{english.uuid}/")
    _field(page, "Title").fill(TITLE)
    page.get_by_role("button", name="Create an incident from the accepted claims").click()
    expect(page.get_by_role("status").filter(has_text="created")).to_be_visible()
    incident = Incident.objects.get(title=TITLE)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Incidents").click()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/incidents/{incident.public_id}/$"))

    # 5. Merge a duplicate record of the same detentions into it, from the merge screen.
    duplicate = _duplicate(team)
    # A person on the record: their name is what an analyst must never see (step 9).
    person = services.person_create(team=team, disclosure="organisation", name=CANARY)
    services.victimhood_create(person=person, incident=incident)
    page.get_by_role("link", name="Merge a duplicate into this").click()
    _field(page, "Duplicate incident (public id)").fill(duplicate.public_id)
    _field(page, "Why they are one incident").fill("Same day, place and people.")
    _field(page, "I have checked that both records describe the same incident").check()
    page.get_by_role("button", name="Merge", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/incidents/{incident.public_id}/$"))
    expect(page.get_by_role("status").filter(has_text="merged into")).to_be_visible()
    expect(page.get_by_role("link", name="Frontier Notes on Yanji")).to_be_visible()
    page.goto(f"{url}/incidents/{duplicate.public_id}/")  # the duplicate leads to the record
    expect(page).to_have_url(re.compile(rf"/incidents/{incident.public_id}/$"))

    # 6. Find it through search, by an English word and by a Korean term (옌지, Yanji);
    # the merged duplicate is no longer a result of its own.
    for words in ("Yanji", "옌지"):
        results = _search(page, url, words)
        expect(results.get_by_role("link", name=TITLE)).to_be_visible()
        expect(results.locator("li")).to_have_count(1)
    page.locator("ol.results").get_by_role("link", name=TITLE).click()

    # 7. The edited figure, with the words of the source it corrects and the decision.
    figure = page.locator("section.figure").filter(
        has=page.get_by_role("heading", name=re.compile(r"^Total: "))
    )
    expect(figure.get_by_role("heading", name=re.compile(r"^Total: "))).to_contain_text("12")
    stated = figure.locator("table.figures tbody tr").filter(has_text="“11”")
    expect(stated.locator("td").nth(0)).to_contain_text("12")  # the edited value
    expect(stated.locator("td").nth(2)).to_contain_text("Northern Border Bulletin")
    expect(stated.locator("td").nth(4)).to_have_text(re.compile(r"^\s*edited\s*$", re.I))
    expect(page.get_by_role("table", name=re.compile("Persons in this incident"))).to_contain_text(
        CANARY
    )  # editors read persons' names: the canary is on the page for them

    # 8. The interface in Korean, from the selector at the bottom of the page.
    page.get_by_label("Language of the interface").select_option("ko")
    page.locator("footer").get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.locator("#victims-title")).to_have_text("피해자")
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()

    # 9. An analyst sees the incident without identifying fields.
    analyst = browser.new_context()
    try:
        bob_page = analyst.new_page()
        bob_page.set_default_timeout(10_000)
        _sign_in(bob_page, url, "bob")
        response = bob_page.goto(f"{url}/incidents/{incident.public_id}/")
        assert response is not None and response.status == 200
        expect(bob_page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
        expect(bob_page.locator("section.figure").first).to_contain_text("12")
        assert CANARY not in bob_page.content()
        assert "Zqxcanary" not in bob_page.content()
    finally:
        analyst.close()

    # ... and a partner at another organisation does not see it at all.
    partner = browser.new_context()
    try:
        carol_page = partner.new_page()
        carol_page.set_default_timeout(10_000)
        _sign_in(carol_page, url, "carol")
        response = carol_page.goto(f"{url}/incidents/{incident.public_id}/")
        assert response is not None and response.status == 404
        assert TITLE not in carol_page.content()
        carol_page.goto(f"{url}/incidents/")
        expect(carol_page.get_by_role("heading", level=1)).to_be_visible()
        assert TITLE not in carol_page.content() and incident.public_id not in carol_page.content()
        for words in ("Yanji", "옌지"):
            _search(carol_page, url, words)
            assert TITLE not in carol_page.content()
            assert incident.public_id not in carol_page.content()
    finally:
        partner.close()
