"""PDF text in a limited child process: text, scans, damage, passwords, hangs, memory bombs.

Every test here starts a Python child process, so all are marked slow. The hang and memory
tests use the worker's test hook ``REFUGE_TEST_PDF_HANG`` (docs/intake.md) to behave as a
hostile PDF would, without shipping one.
"""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from refuge.errors import EvidenceError
from refuge.evidence.pdf import NO_TEXT_LAYER, extract_pdf_text

pytestmark = pytest.mark.slow

FIXTURE = Path(__file__).parent / "fixtures" / "two_pages.pdf"
FIXTURE_PAGES = ("China returned 70 North Koreans.", "They were held in Tumen (Jilin).")


def build_text_pdf(pages: tuple[str, ...]) -> bytes:
    """A minimal PDF with one line of Helvetica text per page, cross-reference table and all.

    This is how ``fixtures/two_pages.pdf`` was made (``build_text_pdf(FIXTURE_PAGES)``); a test
    below checks that the committed file still equals its recipe.
    """
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + 2 * index} 0 R" for index in range(len(pages)))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    font = 3 + 2 * len(pages)
    for index, line in enumerate(pages):
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        content = f"BT /F1 12 Tf 72 720 Td ({escaped}) Tj ET".encode("latin-1")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * index} 0 R"
            f" /Resources << /Font << /F1 {font} 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        table,
    )
    return bytes(out)


def _encrypted(data: bytes, *, user: str, owner: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user, owner, algorithm="RC4-128")  # RC4 needs no crypto library
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_committed_fixture_is_what_its_recipe_makes() -> None:
    assert FIXTURE.read_bytes() == build_text_pdf(FIXTURE_PAGES)


def test_it_joins_page_texts_with_a_blank_line() -> None:
    result = extract_pdf_text(FIXTURE.read_bytes())
    assert result.text == "\n\n".join(FIXTURE_PAGES)
    assert result.page_count == 2
    assert result.warnings == ()


def test_it_reads_the_document_information() -> None:
    writer = PdfWriter(clone_from=PdfReader(FIXTURE))
    writer.add_metadata(
        {"/Title": "Returns at Tumen", "/Author": "Field team", "/CreationDate": "D:20170726"}
    )
    out = io.BytesIO()
    writer.write(out)
    result = extract_pdf_text(out.getvalue())
    assert (result.title, result.author, str(result.created)) == (
        "Returns at Tumen",
        "Field team",
        "2017-07-26",
    )


def test_a_pdf_without_a_text_layer_gives_empty_text_and_a_warning() -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    result = extract_pdf_text(out.getvalue())
    assert result.text == ""
    assert NO_TEXT_LAYER in result.warnings


@pytest.mark.parametrize(
    "data",
    [
        build_text_pdf(FIXTURE_PAGES)[:150],
        b"%PDF-1.7\n" + b"\x00\xff garbage " * 50,
    ],
    ids=["cut off mid-object", "garbage after the header"],
)
def test_a_corrupt_pdf_is_reported_not_raised_through(data: bytes) -> None:
    with pytest.raises(EvidenceError) as caught:
        extract_pdf_text(data)
    assert caught.value.code == "R034"
    assert "corrupt PDF" in caught.value.message


def test_a_password_protected_pdf_is_reported_as_such() -> None:
    locked = _encrypted(FIXTURE.read_bytes(), user="secret", owner="owner")
    with pytest.raises(EvidenceError) as caught:
        extract_pdf_text(locked)
    assert caught.value.code == "R034"
    assert "password-protected PDF" in caught.value.message


def test_a_pdf_with_only_an_owner_password_is_read() -> None:
    restricted = _encrypted(FIXTURE.read_bytes(), user="", owner="owner")
    assert extract_pdf_text(restricted).text == "\n\n".join(FIXTURE_PAGES)


def test_a_hanging_reader_is_stopped_at_the_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFUGE_TEST_PDF_HANG", "1")
    started = time.monotonic()
    with pytest.raises(EvidenceError) as caught:
        extract_pdf_text(FIXTURE.read_bytes(), timeout=1.5)
    assert caught.value.code == "R037"
    assert "longer than 1.5 s" in caught.value.message
    assert time.monotonic() - started < 10


def test_a_memory_hungry_reader_is_stopped_at_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFUGE_TEST_PDF_HANG", "memory")
    with pytest.raises(EvidenceError) as caught:
        extract_pdf_text(FIXTURE.read_bytes(), memory_mb=256, timeout=30)
    assert caught.value.code == "R037"
    assert "256 MB" in caught.value.message
