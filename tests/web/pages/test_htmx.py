"""htmx is served by Refuge itself, unchanged, and works within the Content-Security-Policy."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

STATIC = Path(__file__).resolve().parents[3] / "src" / "refuge" / "web" / "pages" / "static"
VENDOR = STATIC / "refuge" / "vendor"
README = Path(__file__).resolve().parents[3] / "README.md"

pytestmark = pytest.mark.django_db


def test_htmx_is_served_from_refuge_with_its_licence_beside_it(client: Client) -> None:
    response = client.get("/static/refuge/vendor/htmx.min.js")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert body == (VENDOR / "htmx.min.js").read_bytes()
    assert re.search(rb'version:"2\.\d+\.\d+"', body)
    assert "Zero-Clause BSD" in (VENDOR / "htmx.LICENSE.txt").read_text()
    assert "htmx" in README.read_text()  # listed among the third-party files


def test_every_page_loads_htmx_from_refuge_under_a_strict_policy(
    client: Client, alice: Any
) -> None:
    client.force_login(alice)
    response = client.get(reverse("incidents:list"))
    page = response.content.decode()
    assert '<script src="/static/refuge/vendor/htmx.min.js" defer></script>' in page
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "unsafe" not in policy  # no inline script or style, no eval


def test_htmx_is_told_not_to_inject_styles_eval_or_keep_pages_in_storage(client: Client) -> None:
    page = client.get(reverse("login")).content.decode()
    match = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", page)
    assert match is not None
    config = json.loads(match.group(1))
    assert config["includeIndicatorStyles"] is False  # an inline <style>: the CSP refuses it
    assert config["allowEval"] is False
    assert config["allowScriptTags"] is False
    assert config["historyEnabled"] is False  # no copy of a page in localStorage
    assert config["selfRequestsOnly"] is True
