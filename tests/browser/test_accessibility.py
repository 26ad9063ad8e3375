"""Accessibility of the main screens in a real browser, and the htmx forms and keyboard.

axe-core (the copy shipped inside the PyPI package axe-playwright-python: nothing is
downloaded) checks each screen; a violation of serious or critical impact fails the test.
The same pages must load without a Content-Security-Policy complaint in the console, and the
forms htmx sends must update the page in place and keep the keyboard working.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from refuge.web.incidents import services
from refuge.web.incidents.models import Claim
from refuge.web.sources.models import Source
from refuge.web.sources.services import TextSourceInput, source_create_from_text

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BLOCKING = ("serious", "critical")
REPORT = (
    "Chinese police arrested 12 North Koreans in Dandong on March 3, 2024, and sent them back "
    "a week later.\n"
) + "".join(
    # Long enough that the text box scrolls (a scrolling box must take the keyboard focus).
    f"\nParagraph {n}: the families asked that the names not be published.\n"
    for n in range(80)
)


def _sign_in(page: Any, live_server: Any, user: Any) -> None:
    """Carry a signed-in session into the browser (the sign-in form has its own tests)."""
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])


def _review_source(team: Any) -> Source:
    source, _ = source_create_from_text(
        data=TextSourceInput(text=REPORT, title="Dandong arrests", disclosure="organisation"),
        team=team,
    )
    for words, field, value in (
        ("12", "incidents.0.victims.total", {"value": 12, "qualifier": "exact"}),
        ("Dandong", "incidents.0.places.0", {"name": "Dandong"}),
        ("arrested", "incidents.0.event_types.arrest", "arrested"),
    ):
        start = REPORT.index(words)
        services.claim_create(
            source=source,
            field=field,
            value=value,
            span=(start, start + len(words)),
            extractor_version="test",
        )
    return source


def _blocking(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(", ".join(n["target"]) for n in v["nodes"][:5])
        for v in results.response["violations"]
        if v.get("impact") in BLOCKING
    ]


def test_the_main_screens_have_no_serious_or_critical_axe_violations(
    page: Any,
    live_server: Any,
    alice: Any,
    team: Any,
    figure_incident: dict[str, Any],
    make_incident: Callable[..., Any],
) -> None:
    make_incident(disclosure="organisation")
    source = _review_source(team)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))

    page.goto(f"{live_server.url}/login/")
    screens = {"sign-in": _blocking(page)}
    _sign_in(page, live_server, alice)
    incident = figure_incident["incident"]
    for name, path in (
        ("home", "/"),
        ("incident list", "/incidents/"),
        ("incident detail", f"/incidents/{incident.public_id}/"),
        ("review queue", "/review/"),
        ("review screen", f"/review/{source.uuid}/"),
        ("source list", "/sources/"),
        ("source detail", f"/sources/{source.uuid}/"),
        ("search", "/search/?q=Dandong"),
    ):
        page.goto(live_server.url + path)
        page.wait_for_load_state()
        screens[name] = _blocking(page)
    failures = {name: found for name, found in screens.items() if found}
    assert failures == {}, "\n".join(f"{n}: {f}" for n, f in failures.items())
    assert len(screens) == 9
    assert [m for m in console if "Content Security Policy" in m] == []


def test_choosing_a_figure_with_htmx_updates_the_figure_in_place(
    page: Any, live_server: Any, alice: Any, figure_incident: dict[str, Any]
) -> None:
    _sign_in(page, live_server, alice)
    incident = figure_incident["incident"]
    page.goto(f"{live_server.url}/incidents/{incident.public_id}/")
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads
    figure = page.locator("section.figure").first
    figure.locator(f"input[value='{figure_incident['claims']['over'].pk}']").check()
    figure.locator("textarea[name=reason]").fill("The lowest credible count.")
    figure.locator("button[type=submit]").click()
    page.wait_for_selector("text=Best figure set to 500.")
    assert page.evaluate("window.__sameDocument") is True
    # The focus moves to what changed, so a screen reader reads the result.
    assert page.evaluate("document.activeElement.getAttribute('role')") == "status"
    assert "chosen by alice" in page.locator("section.figure").first.inner_text()
    figure_incident["group"].refresh_from_db()
    assert figure_incident["group"].total_best == 500


def test_the_review_keyboard_works_across_htmx_updates(
    page: Any, live_server: Any, alice: Any, team: Any
) -> None:
    source = _review_source(team)
    _sign_in(page, live_server, alice)
    page.goto(f"{live_server.url}/review/{source.uuid}/")
    rows = [page.locator("tr.claim-row").nth(i).get_attribute("id") for i in range(3)]
    page.locator("body").focus()
    page.keyboard.press("j")  # the first claim
    page.keyboard.press("a")  # accept it
    page.wait_for_selector(f"#{rows[0]}.status-accepted")
    page.wait_for_function(f"document.activeElement && document.activeElement.id === '{rows[0]}'")
    page.keyboard.press("j")  # the swapped row kept the focus, so j goes on to the second
    page.keyboard.press("r")
    page.wait_for_selector(f"#{rows[1]}.status-rejected")
    page.keyboard.press("j")
    page.keyboard.press("e")  # into the third claim's edit box
    page.keyboard.type("13")
    assert page.evaluate("document.activeElement.name") == "edited_value"
    statuses = dict(Claim.objects.filter(source=source).values_list("pk", "review_status"))
    assert sorted(statuses.values()) == ["accepted", "proposed", "rejected"]
    assert "Claim rejected." in page.locator("#review-status").inner_text()
