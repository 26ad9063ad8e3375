"""Deriving the text of a received file: one test group per input type, then the bad inputs."""

from __future__ import annotations

import io
import os
import random
import zipfile
from datetime import UTC, date, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest

from refuge.errors import EvidenceError
from refuge.evidence.text import (
    FALLBACK_WARNING,
    derive_text,
    printable_name,
    read_document_text,
)
from refuge.evidence.warc import write_warc

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLE = (
    "Chinese authorities sent back seventy North Koreans, among them twenty minors, after "
    "holding them for about a month in the border detention centre at Tumen."
)
SECOND = (
    "The families had asked the outlet not to publish earlier, because publicity could make "
    "the punishment harsher."
)
COMMENT = "What a terrible thing, someone has to stop this now."
NEWS_PAGE = f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>China returns 70 North Koreans | Example News</title>
<meta name="author" content="Jane Reporter">
<meta property="article:published_time" content="2017-07-26T08:00:00+09:00">
<script>var tracking = "do not keep";</script>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article>
<h1>China returns 70 North Koreans</h1>
<p>{ARTICLE}</p>
<p>{SECOND}</p>
</article>
<section id="comments" class="comments"><h2>Comments</h2>
<div class="comment"><p>{COMMENT}</p></div></section>
<footer>Copyright Example News</footer>
</body></html>"""
KOREAN = "중국 공안이 지난달 탈북민 70명을 체포해 투먼 변방구류소에 구금한 뒤 강제북송했다."


# --- plain text ---------------------------------------------------------------------------


def test_a_utf8_text_is_the_files_own_text_with_newlines_normalised() -> None:
    derived = derive_text(f"{ARTICLE}\r\n{SECOND}\rEnd.\n".encode(), filename="report.txt")
    assert derived is not None
    assert derived.text == f"{ARTICLE}\n{SECOND}\nEnd.\n"
    assert (derived.kind, derived.mime, derived.encoding) == ("text", "text/plain", "utf-8")
    assert derived.language == "en"
    assert derived.warnings == ()


def test_a_byte_order_mark_is_not_part_of_the_text() -> None:
    derived = derive_text(b"\xef\xbb\xbf" + KOREAN.encode())
    assert derived is not None
    assert derived.text == KOREAN
    assert derived.language == "ko"


@pytest.mark.parametrize("codec", ["euc_kr", "cp949"])
def test_a_korean_legacy_text_is_decoded(codec: str) -> None:
    derived = derive_text(KOREAN.encode(codec), filename="기사.txt")
    assert derived is not None
    assert derived.text == KOREAN
    assert derived.language == "ko"


def test_a_chinese_big5_text_is_decoded() -> None:
    text = "中國公安抓獲七十名脫北者，並於七月遣返朝鮮。"
    derived = derive_text(text.encode("big5"))
    assert derived is not None
    assert (derived.text, derived.language) == (text, "zh")


def test_a_declared_charset_reads_what_detection_alone_might_not() -> None:
    derived = derive_text("탈북".encode("euc_kr"), charset="euc-kr")
    assert derived is not None
    assert derived.text == "탈북"


# --- HTML ---------------------------------------------------------------------------------


def test_html_gives_the_main_text_without_reader_comments_or_scripts() -> None:
    derived = derive_text(NEWS_PAGE.encode())
    assert derived is not None
    assert ARTICLE in derived.text
    assert SECOND in derived.text
    assert COMMENT not in derived.text
    assert "tracking" not in derived.text
    assert derived.kind == "html"
    assert derived.language == "en"


def test_html_metadata_gives_title_author_and_published_date() -> None:
    derived = derive_text(NEWS_PAGE.encode())
    assert derived is not None
    assert derived.title is not None
    assert "China returns 70 North Koreans" in derived.title
    assert derived.author == "Jane Reporter"
    assert derived.published == date(2017, 7, 26)


def test_html_text_is_the_same_every_time() -> None:
    assert derive_text(NEWS_PAGE.encode()) == derive_text(NEWS_PAGE.encode())


def test_html_in_a_legacy_encoding_follows_its_meta_charset() -> None:
    page = f'<html><head><meta charset="euc-kr"></head><body><p>{KOREAN}</p></body></html>'
    derived = derive_text(page.encode("euc_kr"))
    assert derived is not None
    assert KOREAN in derived.text
    assert derived.encoding == "cp949"  # EUC-KR labels are read as their superset


def test_a_page_too_thin_for_main_text_falls_back_to_its_visible_text() -> None:
    page = b"<html><head><title>Notice</title></head><body><footer>Office closed today</footer>"
    page += b"<script>hidden()</script></body></html>"
    derived = derive_text(page)
    assert derived is not None
    assert derived.text == "Office closed today"
    assert derived.title == "Notice"
    assert FALLBACK_WARNING in derived.warnings


def test_malformed_html_still_gives_its_text() -> None:
    page = f"<html><body><div><p>{ARTICLE}<p>{SECOND}</b></i><table><tr><td>".encode()
    derived = derive_text(page)
    assert derived is not None
    assert ARTICLE in derived.text


# --- DOCX ---------------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx(body: str, core: str | None = None) -> bytes:
    document = (
        f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", document)
        if core is not None:
            archive.writestr("docProps/core.xml", core)
    return out.getvalue()


def _paragraph(*runs: str) -> str:
    return "<w:p>" + "".join(f"<w:r>{run}</w:r>" for run in runs) + "</w:p>"


def test_docx_gives_its_paragraphs_one_per_line() -> None:
    body = (
        _paragraph("<w:t>Witness statement</w:t>")
        + _paragraph("<w:t xml:space='preserve'>Held in </w:t>", "<w:t>Tumen</w:t>")
        + _paragraph("<w:t>Name</w:t><w:tab/><w:t>withheld</w:t>")
        + "<w:tbl><w:tr><w:tc>"
        + _paragraph("<w:t>cell</w:t>")
        + "</w:tc></w:tr></w:tbl>"
        + _paragraph("<w:delText>deleted words</w:delText>", "<w:t>kept</w:t>")
    )
    derived = derive_text(_docx(body), filename="statement.docx")
    assert derived is not None
    assert derived.kind == "docx"
    assert derived.text == "Witness statement\nHeld in Tumen\nName\twithheld\ncell\nkept"


def test_docx_core_properties_give_title_author_and_date() -> None:
    core = (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/"><dc:title>Statement 12</dc:title>'
        "<dc:creator>Field team</dc:creator>"
        "<dcterms:created>2017-07-26T10:00:00Z</dcterms:created></cp:coreProperties>"
    )
    derived = derive_text(_docx(_paragraph("<w:t>x</w:t>"), core))
    assert derived is not None
    assert (derived.title, derived.author, derived.published) == (
        "Statement 12",
        "Field team",
        date(2017, 7, 26),
    )


def test_a_truncated_docx_is_reported_as_malformed() -> None:
    whole = _docx(_paragraph("<w:t>" + "words " * 400 + "</w:t>"))
    with pytest.raises(EvidenceError) as caught:
        derive_text(whole[: len(whole) - 60])
    assert caught.value.code == "R034"
    assert "malformed DOCX" in caught.value.message


def test_a_docx_with_an_entity_expansion_bomb_is_refused() -> None:
    bomb = '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    document = f'{bomb}<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p>'
    document += "</w:body></w:document>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", document)
    with pytest.raises(EvidenceError) as caught:
        derive_text(out.getvalue())
    assert caught.value.code == "R034"


# --- e-mail -------------------------------------------------------------------------------


def _message() -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Jane Reporter <jane@example.org>"
    message["To"] = "desk@example.org"
    message["Subject"] = "Seventy returned from Tumen"
    message["Date"] = "Wed, 26 Jul 2017 10:00:00 +0900"
    return message


def test_an_email_gives_its_plain_text_body_and_its_headers_as_metadata() -> None:
    message = _message()
    message.set_content(ARTICLE + "\n")
    message.add_alternative(f"<html><body><p>HTML copy: {ARTICLE}</p></body></html>", "html")
    message.add_attachment(b"\x89PNG\r\n\x1a\n....", maintype="image", subtype="png")
    derived = derive_text(bytes(message), filename="tip.eml")
    assert derived is not None
    assert derived.kind == "eml"
    assert derived.text == ARTICLE + "\n"
    assert derived.title == "Seventy returned from Tumen"
    assert derived.author == "Jane Reporter"
    assert derived.published == date(2017, 7, 26)
    assert any("1 attachment(s)" in warning for warning in derived.warnings)


def test_an_html_only_email_goes_through_the_html_reader() -> None:
    message = _message()
    message.set_content(NEWS_PAGE, subtype="html")
    derived = derive_text(bytes(message))
    assert derived is not None
    assert ARTICLE in derived.text
    assert COMMENT not in derived.text
    assert derived.title == "Seventy returned from Tumen"  # the Subject, not the page title


def test_an_email_in_a_korean_charset_is_decoded() -> None:
    message = _message()
    message.set_content(KOREAN, charset="euc-kr")
    derived = derive_text(bytes(message))
    assert derived is not None
    assert derived.text.strip() == KOREAN
    assert derived.language == "ko"


# --- web archives -------------------------------------------------------------------------


def test_a_web_archive_gives_the_text_of_its_captured_page() -> None:
    archive = write_warc(
        url="https://news.example.org/returns",
        captured_at=datetime(2017, 7, 26, 1, 0, tzinfo=UTC),
        status=200,
        headers=[("Content-Type", "text/html; charset=utf-8")],
        body=NEWS_PAGE.encode(),
    )
    derived = derive_text(archive, filename="capture.warc.gz")
    assert derived is not None
    assert (derived.kind, derived.mime) == ("warc", "application/warc")
    assert ARTICLE in derived.text
    assert COMMENT not in derived.text
    assert derived.published == date(2017, 7, 26)


# --- PDF ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_pdf_gives_its_page_texts() -> None:
    derived = derive_text((FIXTURES / "two_pages.pdf").read_bytes(), filename="report.html")
    assert derived is not None
    assert derived.kind == "pdf"
    assert derived.text == "China returned 70 North Koreans.\n\nThey were held in Tumen (Jilin)."


# --- opaque and bad input -----------------------------------------------------------------


def test_images_and_binary_files_have_no_text() -> None:
    assert derive_text(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, filename="photo.png") is None
    assert derive_text(random.Random(1).randbytes(4096), filename="notes.txt") is None


@pytest.mark.parametrize("data", [b"", b"   \r\n\t"])
def test_an_empty_file_is_a_clear_error(data: bytes) -> None:
    with pytest.raises(EvidenceError) as caught:
        derive_text(data, filename="empty.txt")
    assert caught.value.code == "R033"
    assert "empty" in caught.value.message


def test_read_document_text_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(f"{ARTICLE}\r\n".encode())
    assert read_document_text(path).text == f"{ARTICLE}\n"


def test_read_document_text_refuses_a_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 2000)
    with pytest.raises(EvidenceError) as caught:
        read_document_text(path, max_bytes=1000)
    assert caught.value.code == "R031"


def test_read_document_text_refuses_an_image_with_its_type(tmp_path: Path) -> None:
    path = tmp_path / "scan.txt"
    path.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    with pytest.raises(EvidenceError) as caught:
        read_document_text(path)
    assert caught.value.code == "R033"
    assert "image/jpeg" in caught.value.message


@pytest.mark.parametrize("make", ["missing", "directory"])
def test_read_document_text_reports_what_is_not_a_readable_file(tmp_path: Path, make: str) -> None:
    path = tmp_path / "thing"
    if make == "directory":
        path.mkdir()
    with pytest.raises(EvidenceError) as caught:
        read_document_text(path)
    assert caught.value.code == "R033"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_read_document_text_reports_an_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("secret")
    path.chmod(0)
    with pytest.raises(EvidenceError) as caught:
        read_document_text(path)
    assert caught.value.code == "R033"
    assert "locked.txt" in caught.value.message


def test_a_name_with_odd_characters_is_printed_on_one_line() -> None:
    name = printable_name(Path("inbox/a\nb\tc\x1bd 기사.txt"))
    assert "\n" not in name
    assert name == "a\\x0ab\\x09c\\x1bd 기사.txt"
