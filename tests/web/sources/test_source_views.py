from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from refuge.web.sources.ingest import CaptureMetadata, ingest_bytes
from refuge.web.sources.models import Source

pytestmark = pytest.mark.django_db

REPORT = b"Forty North Koreans were arrested in Shenyang on March 3, a pastor said.\n"


def _source(content_class: str = "published", disclosure: str = "organisation") -> Source:
    [outcome] = ingest_bytes(
        REPORT,
        name="r.txt",
        meta=CaptureMetadata(content_class=content_class, outlet="Wire", disclosure=disclosure),
    )
    return Source.objects.get(uuid=outcome.source_uuids[0])


def test_an_editor_uploads_several_files_and_sees_each_result(client: Client, alice: Any) -> None:
    client.force_login(alice)
    big = b"Border report. " * 200_000  # over 2.5 MB: spooled to a temporary file
    response = client.post(
        reverse("sources:upload"),
        {
            "uploads": [
                SimpleUploadedFile("a.txt", REPORT),
                SimpleUploadedFile("empty.txt", b""),
                SimpleUploadedFile("big.txt", big),
            ],
            "outlet": "Border Watch Wire",
            "reliability": "B",
            "credibility": "2",
            "content_class": "published",
            "disclosure": "team",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "a.txt" in page and "ingested" in page
    assert "empty.txt" in page and "empty file" in page
    by_name = {s.original_filename: s for s in Source.objects.all()}
    source = by_name["a.txt"]
    assert (source.outlet, source.reliability, source.credibility) == ("Border Watch Wire", "B", 2)
    assert source.captured_by == alice
    assert "big.txt" in by_name
    assert list(settings.FILE_UPLOAD_TEMP_DIR.iterdir()) == []  # no upload left behind


def test_upload_errors_are_form_errors_not_a_500(client: Client, alice: Any) -> None:
    client.force_login(alice)
    response = client.post(
        reverse("sources:upload"),
        {
            "uploads": [SimpleUploadedFile("a.txt", REPORT)],
            "reliability": "Z",
            "credibility": "9",
            "content_class": "secret",
            "source_url": "not a url",
            "published": "yesterday",
        },
    )
    assert response.status_code == 200
    assert Source.objects.count() == 0
    assert response.content.decode().count('role="alert"') >= 4


def test_only_editors_upload(client: Client, bob: Any) -> None:
    client.force_login(bob)
    assert client.get(reverse("sources:upload")).status_code == 403


def test_the_source_page_shows_hashes_text_and_custody_and_records_the_view(
    client: Client, alice: Any
) -> None:
    source = _source()
    client.force_login(alice)
    page = client.get(reverse("sources:detail", args=[source.uuid])).content.decode()
    assert source.sha256 in page
    assert "arrested in Shenyang" in page
    assert "captured" in page
    assert list(source.custody.values_list("action", flat=True)) == ["captured", "viewed"]


def test_an_analyst_does_not_see_confidential_text(client: Client, bob: Any) -> None:
    source = _source("confidential")
    client.force_login(bob)
    page = client.get(reverse("sources:detail", args=[source.uuid])).content.decode()
    assert "arrested in Shenyang" not in page
    assert "shown to editors only" in page
    assert "r.txt" not in page


def test_hidden_sources_are_404_and_absent_from_the_list(client: Client, carol: Any) -> None:
    source = _source()
    client.force_login(carol)
    assert client.get(reverse("sources:detail", args=[source.uuid])).status_code == 404
    assert "Wire" not in client.get(reverse("sources:list")).content.decode()


def test_an_editor_grades_a_source_and_an_analyst_cannot(
    client: Client, alice: Any, bob: Any
) -> None:
    source = _source()
    client.force_login(bob)
    url = reverse("sources:grade", args=[source.uuid])
    assert client.post(url, {"reliability": "A", "credibility": "1"}).status_code == 403
    client.force_login(alice)
    assert client.post(url, {"reliability": "C", "credibility": "3"}).status_code == 302
    source.refresh_from_db()
    assert (source.reliability, source.credibility) == ("C", 3)
    response = client.post(url, {"reliability": "Q", "credibility": "0"}, follow=True)
    assert response.status_code == 200
    assert "was not saved" in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    source = _source()
    for url in (
        reverse("sources:list"),
        reverse("sources:upload"),
        reverse("sources:detail", args=[source.uuid]),
    ):
        assert client.get(url).status_code == 302


def test_an_analyst_sees_no_title_or_name_of_a_confidential_source_anywhere(
    client: Client, bob: Any, alice: Any
) -> None:
    [outcome] = ingest_bytes(
        b"Testimony: zqxwitness saw 3 arrests.\n",
        name="zqxfile.txt",
        meta=CaptureMetadata(
            content_class="confidential",
            captured_by_name="zqxinterviewer",
            disclosure="organisation",
        ),
    )
    source = Source.objects.get(uuid=outcome.source_uuids[0])
    source.title = "Testimony of zqxwitness"
    source.save()
    client.force_login(bob)
    for url in (reverse("sources:list"), reverse("sources:detail", args=[source.uuid])):
        assert "zqx" not in client.get(url).content.decode()
    client.force_login(alice)
    assert "zqxwitness" in client.get(reverse("sources:list")).content.decode()
