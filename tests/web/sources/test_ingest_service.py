"""Intake through the ingest service: each input type, bad inputs, idempotence."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.test import override_settings

from refuge.evidence.warc import write_warc
from refuge.web.sources.custody import custody_verify
from refuge.web.sources.ingest import CaptureMetadata, ingest_bytes, ingest_paths
from refuge.web.sources.models import Source
from refuge.web.sources.originals import plain_store as evidence_store

pytestmark = pytest.mark.django_db

PDF = Path(__file__).resolve().parents[2] / "evidence" / "fixtures" / "two_pages.pdf"
REPORT = "Sixty North Koreans were arrested in Dandong last week, a source said.\n"
HTML = (
    "<html><head><title>Sixty arrested in Dandong</title></head><body><article>"
    "<h1>Sixty arrested in Dandong</h1>"
    + "<p>Sixty North Koreans were arrested in Dandong last week, according to a source "
    "who asked not to be named. They are held in a detention centre near the river.</p>"
    * 3
    + "</article><div class='comments'><p>Reader comment: fake news!</p></div></body></html>"
)


def _docx(text: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.'
            'org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
            f"{text}</w:t></w:r></w:p></w:body></w:document>",
        )
    return out.getvalue()


def _eml(text: str) -> bytes:
    message = EmailMessage()
    message["Subject"] = "Report from the border"
    message["From"] = "field@sample.invalid"
    message["Date"] = "Tue, 30 Apr 2024 09:00:00 +0000"
    message.set_content(text)
    return bytes(message)


def _warc() -> bytes:
    return write_warc(
        url="https://news.sample.invalid/dandong",
        captured_at=datetime(2024, 5, 1, 8, 30, tzinfo=UTC),
        status=200,
        headers=[("Content-Type", "text/html; charset=utf-8")],
        body=HTML.encode("utf-8"),
    )


def _one(data: bytes, name: str, **meta: object) -> Source:
    [outcome] = ingest_bytes(data, name=name, meta=CaptureMetadata(**meta))  # type: ignore[arg-type]
    assert outcome.status == "ingested", outcome
    return Source.objects.get(uuid=outcome.source_uuids[0])


def test_a_text_file_is_preserved_with_its_hashes_and_metadata() -> None:
    source = _one(
        REPORT.encode("utf-8"),
        "report.txt",
        outlet="Border Watch Wire",
        captured_by_name="field office",
        reliability="B",
        credibility=2,
        source_url="https://sample.invalid/a",
    )
    assert evidence_store().get(source.sha256) == REPORT.encode("utf-8")
    assert source.text == REPORT
    assert source.kind == "text"
    assert source.language == "en"
    assert (source.outlet, source.reliability, source.credibility) == ("Border Watch Wire", "B", 2)
    assert source.original_filename == "report.txt"
    assert source.size == len(REPORT.encode("utf-8"))
    [entry] = source.custody.all()
    assert entry.action == "captured"
    assert entry.actor == "name:field office"
    assert entry.payload["sha256"] == source.sha256
    assert custody_verify(source) == []


def test_legacy_korean_text_is_decoded() -> None:
    text = "탈북민 60여명이 지난달 강제북송됐다고 소식통이 전했다.\n"
    source = _one(text.encode("cp949"), "ko.txt")
    assert source.text == text
    assert source.language == "ko"


def test_html_keeps_the_main_text_without_reader_comments() -> None:
    source = _one(HTML.encode("utf-8"), "page.html")
    assert source.kind == "html"
    assert "arrested in Dandong" in source.text
    assert "Reader comment" not in source.text
    assert source.title == "Sixty arrested in Dandong"


@pytest.mark.slow
def test_a_pdf_gives_its_text() -> None:
    source = _one(PDF.read_bytes(), "two.pdf")
    assert source.kind == "pdf"
    assert "70 North Koreans" in source.text


def test_a_docx_and_an_email_give_their_text() -> None:
    docx = _one(_docx("Nine women were held in Tumen."), "note.docx")
    assert docx.kind == "docx"
    assert docx.text.strip() == "Nine women were held in Tumen."
    mail = _one(_eml(REPORT), "mail.eml")
    assert mail.kind == "eml"
    assert mail.title == "Report from the border"
    assert "Dandong" in mail.text


def test_each_page_of_a_web_archive_is_a_source_with_its_url_and_capture_time() -> None:
    [outcome] = ingest_bytes(_warc(), name="cap.warc.gz", meta=CaptureMetadata())
    assert outcome.status == "ingested"
    source = Source.objects.get(uuid=outcome.source_uuids[0])
    assert source.url == "https://news.sample.invalid/dandong"
    assert source.captured_at == datetime(2024, 5, 1, 8, 30, tzinfo=UTC)
    assert source.archive_record_id
    assert "arrested in Dandong" in source.text


def test_the_type_comes_from_the_content_not_the_extension() -> None:
    source = _one(HTML.encode("utf-8"), "misnamed.txt")
    assert source.kind == "html"
    [outcome] = ingest_bytes(
        PDF.read_bytes()[:0] + b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
        name="photo.txt",
        meta=CaptureMetadata(),
    )
    assert outcome.status == "kept-without-text"
    assert Source.objects.get(uuid=outcome.source_uuids[0]).kind == "image"


def test_the_same_bytes_twice_are_one_source_reported_as_duplicate() -> None:
    first = ingest_bytes(REPORT.encode("utf-8"), name="a.txt", meta=CaptureMetadata())
    second = ingest_bytes(REPORT.encode("utf-8"), name="copy-of-a.txt", meta=CaptureMetadata())
    assert [o.status for o in first + second] == ["ingested", "duplicate"]
    assert Source.objects.count() == 1
    archive = _warc()  # record ids are random: the same archive means the same bytes
    again = ingest_bytes(archive, name="x.warc.gz", meta=CaptureMetadata())
    assert [o.status for o in again] == ["ingested"]
    assert [o.status for o in ingest_bytes(archive, name="y.warc.gz", meta=CaptureMetadata())] == [
        "duplicate"
    ]


@pytest.mark.slow
def test_bad_inputs_are_reported_per_file_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "batch"
    (folder / "sub").mkdir(parents=True)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "garbage.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "broken.html").write_bytes(b"<html><body><p>Unclosed <b>tags <i>everywhere")
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage")
    (folder / "big.txt").write_bytes(b"x" * (2 * 1024 * 1024 + 1))
    (folder / "sub" / "r\u00e9port \u2014 'odd' name;.txt").write_text(REPORT, encoding="utf-8")
    (folder / "mixed.txt").write_bytes(b"Tumen " + "북송".encode("cp949") + b"\n")
    unreadable = folder / "locked.txt"
    unreadable.write_text("secret", encoding="utf-8")
    unreadable.chmod(0)
    hostile = folder / "hostile.pdf"
    hostile.write_bytes(PDF.read_bytes())
    monkeypatch.setenv("REFUGE_TEST_PDF_HANG", "1")  # the PDF reader hangs, as on a hostile file
    with override_settings(PDF_TIMEOUT_SECONDS=2):
        summary = ingest_paths([folder], meta=CaptureMetadata(), max_bytes=2 * 1024 * 1024)
    by_name = {Path(o.name).name: o for o in summary.outcomes}
    assert by_name["empty.txt"].status == "failed"
    assert "empty" in by_name["empty.txt"].reason
    assert by_name["big.txt"].status == "failed"
    assert "limit" in by_name["big.txt"].reason
    assert by_name["garbage.txt"].status == "kept-without-text"
    assert by_name["broken.html"].status == "ingested"
    assert by_name["corrupt.pdf"].status == "kept-without-text"
    assert by_name["hostile.pdf"].status == "kept-without-text"
    assert "longer than" in by_name["hostile.pdf"].reason
    assert by_name["r\u00e9port \u2014 'odd' name;.txt"].status == "ingested"
    assert by_name["mixed.txt"].status in ("ingested", "kept-without-text")
    import os

    if os.geteuid() != 0:  # root reads any file, so the permission case only exists for users
        assert by_name["locked.txt"].status == "failed"
    # Nothing that was readable and in bounds was lost: its original is in the store.
    for outcome in summary.outcomes:
        for uuid in outcome.source_uuids:
            assert evidence_store().verify(Source.objects.get(uuid=uuid).sha256)
    assert not any((evidence_store().root / "tmp").iterdir())


def test_bad_capture_metadata_is_refused_before_anything_is_stored() -> None:
    from refuge.errors import UsageError

    for bad in (
        {"reliability": "Z"},
        {"credibility": 9},
        {"content_class": "secret"},
        {"source_url": "ftp://x"},
    ):
        with pytest.raises(UsageError):
            CaptureMetadata(**bad)  # type: ignore[arg-type]
