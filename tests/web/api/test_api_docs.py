"""Every API endpoint and every public page is described in docs/publishing.md."""

from __future__ import annotations

from pathlib import Path

from django.test import Client
from django.urls import get_resolver

DOCS = Path(__file__).resolve().parents[3] / "docs" / "publishing.md"


def test_every_api_endpoint_is_documented(client: Client) -> None:
    text = DOCS.read_text(encoding="utf-8")
    schema = client.get("/api/openapi.json").json()
    missing = [
        f"{method.upper()} {path}"
        for path, item in schema["paths"].items()
        for method in item
        if f"`{method.upper()} {path}`" not in text
    ]
    assert missing == []


def test_every_public_page_and_error_code_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert "## Public pages" in text and "## The REST API" in text
    for pattern in get_resolver().url_patterns:
        if getattr(pattern, "namespace", None) == "public":
            for page in pattern.url_patterns:
                route = str(page.pattern).replace("<str:public_id>", "<public_id>")
                route = route.replace("^export\\.(?P<fmt>[a-z]+)$", "export.csv")
                assert f"/public/{route}" in text, route
    for code in range(160, 170):
        assert f"| R{code} |" in text
