"""Type detection goes by content; a filename only breaks ties."""

from __future__ import annotations

import gzip
import io
import random
import zipfile

import pytest

from refuge.evidence.detect import DOCX_MIME, detect_type

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def _docx(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "kind", "mime"),
    [
        (PDF, "pdf", "application/pdf"),
        (PNG, "image", "image/png"),
        (JPEG, "image", "image/jpeg"),
        (b"GIF89a" + b"\x00" * 20, "image", "image/gif"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "image", "image/webp"),
        (b"II*\x00" + b"\x00" * 20, "image", "image/tiff"),
        (b"WARC/1.1\r\nWARC-Type: warcinfo\r\n", "warc", "application/warc"),
        (gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\n"), "warc", "application/warc"),
        (gzip.compress(b"just some compressed text"), "binary", "application/gzip"),
        (_docx({"word/document.xml": b"<w:document/>"}), "docx", DOCX_MIME),
        (_docx({"data.csv": b"a,b"}), "binary", "application/zip"),
        (b"<!DOCTYPE html><html><body>x</body></html>", "html", "text/html"),
        (b"  \n<!-- saved page --><html lang=ko><p>x</p></html>", "html", "text/html"),
        (b"<head><title>t</title></head>", "html", "text/html"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "image", "image/svg+xml"),
        (b"From: a@example.org\r\nDate: Wed, 26 Jul 2017\r\n\r\nhi", "eml", "message/rfc822"),
        ("평범한 문장입니다.\n".encode(), "text", "text/plain"),
        (b"", "empty", "application/x-empty"),
        (b" \n\t\r\n", "empty", "application/x-empty"),
    ],
)
def test_it_detects_the_type_from_content(data: bytes, kind: str, mime: str) -> None:
    detected = detect_type(data)
    assert (detected.kind, detected.mime) == (kind, mime)


def test_a_pdf_named_html_is_a_pdf() -> None:
    assert detect_type(PDF, filename="article.html").kind == "pdf"


def test_binary_garbage_named_txt_is_binary() -> None:
    garbage = random.Random(3).randbytes(2048)
    assert detect_type(garbage, filename="notes.txt").kind == "binary"


def test_an_image_named_txt_is_an_image() -> None:
    assert detect_type(PNG, filename="report.txt").kind == "image"


def test_the_filename_settles_an_html_fragment() -> None:
    fragment = b"<p>Seventy people were returned.</p>"
    assert detect_type(fragment).kind == "text"
    assert detect_type(fragment, filename="fragment.HTML").kind == "html"


def test_the_filename_cannot_make_prose_html() -> None:
    assert detect_type(b"Plain words, no markup.", filename="page.html").kind == "text"


def test_prose_that_starts_like_a_header_is_not_mail() -> None:
    text = b"Note: the count is uncertain.\nSources differ on the date.\n"
    assert detect_type(text).kind == "text"


def test_a_single_mail_header_counts_only_with_the_eml_name() -> None:
    data = b"Subject: seventy returned\n\nbody"
    assert detect_type(data).kind == "text"
    assert detect_type(data, filename="message.eml").kind == "eml"


def test_a_truncated_docx_is_still_called_docx_so_its_damage_is_reported() -> None:
    whole = _docx({"word/document.xml": b"<w:document>" + b"x" * 500 + b"</w:document>"})
    assert detect_type(whole[: len(whole) // 2]).kind == "docx"


def test_a_big_legacy_encoded_text_is_sniffed_from_a_prefix() -> None:
    line = "중국 공안이 탈북민을 체포했다.\n".encode("euc_kr")
    assert detect_type(line * 5000).kind == "text"
