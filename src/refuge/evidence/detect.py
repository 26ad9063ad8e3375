"""What a received file is, judged by its bytes, never by its name.

Signatures come first (PDF, ZIP/DOCX, WARC plain or gzipped, images); then bytes that decode
as text are sniffed for HTML markup and for an RFC 822 header block; text that is neither is
plain text, and bytes that do not decode as text are binary. A filename only settles what
content leaves open: an HTML fragment without ``<html>`` named ``.html``, or a short header
block named ``.eml``. A PDF named ``.html`` is a PDF; binary garbage named ``.txt`` is binary.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal

from refuge.errors import EvidenceError
from refuge.evidence.decode import decode_text

__all__ = ["DetectedType", "Kind", "detect_type"]

Kind = Literal["text", "html", "pdf", "docx", "eml", "warc", "image", "binary", "empty"]


@dataclass(frozen=True, slots=True)
class DetectedType:
    """The kind of content (which reader applies) and its MIME type."""

    kind: Kind
    mime: str


DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_IMAGE_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"BM", "image/bmp"),
)
_OTHER_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),  # .doc, .xls, .msg
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (b"Rar!\x1a\x07", "application/vnd.rar"),
    (b"\x1f\x8b", "application/gzip"),
)
# How far into a file the PDF header may sit: readers accept leading junk, and so do we.
_PDF_HEADER_WINDOW = 1024
_SNIFF_BYTES = 64 * 1024
_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body)[\s>/]", re.IGNORECASE)
_SVG_START = re.compile(r"<svg[\s>]", re.IGNORECASE)
_LEADING_NOISE = re.compile(r"\A(?:\s+|<!--.*?-->|<\?xml[^>]*>)*", re.DOTALL)
_HEADER_LINE = re.compile(r"[!-9;-~]+:")
_MAIL_HEADERS = frozenset(
    {
        "from",
        "to",
        "cc",
        "subject",
        "date",
        "message-id",
        "mime-version",
        "received",
        "return-path",
        "reply-to",
        "content-type",
        "delivered-to",
        "x-mailer",
        "in-reply-to",
        "references",
    }
)


def detect_type(data: bytes, *, filename: str | None = None) -> DetectedType:
    """The kind of ``data``; ``filename`` only breaks ties that content leaves open."""
    suffixes = _suffixes(filename)
    if not data.strip():
        return DetectedType("empty", "application/x-empty")
    if b"%PDF-" in data[:_PDF_HEADER_WINDOW]:
        return DetectedType("pdf", "application/pdf")
    if data.startswith(b"WARC/"):
        return DetectedType("warc", "application/warc")
    if data.startswith(b"\x1f\x8b") and _gunzip_prefix(data).startswith(b"WARC/"):
        return DetectedType("warc", "application/warc")
    if data.startswith(b"PK\x03\x04"):
        return _zip_type(data)
    image = _image_type(data)
    if image is not None:
        return DetectedType("image", image)
    for signature, mime in _OTHER_SIGNATURES:
        if data.startswith(signature):
            return DetectedType("binary", mime)
    try:
        text = decode_text(_sniff_prefix(data)).text
    except EvidenceError:
        return DetectedType("binary", "application/octet-stream")
    return _text_type(text, suffixes)


def _suffixes(filename: str | None) -> tuple[str, ...]:
    if not filename:
        return ()
    return tuple(suffix.lower() for suffix in PurePath(filename).suffixes)


def _gunzip_prefix(data: bytes) -> bytes:
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[:4096], 16)
    except zlib.error:
        return b""


def _zip_type(data: bytes) -> DetectedType:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        # A truncated DOCX has no central directory, but its local headers still name its
        # parts: call it DOCX so that reading it reports the damage instead of hiding it.
        names = {"word/document.xml"} if b"word/document.xml" in data else set()
    if "word/document.xml" in names:
        return DetectedType("docx", DOCX_MIME)
    return DetectedType("binary", "application/zip")


def _image_type(data: bytes) -> str | None:
    for signature, mime in _IMAGE_SIGNATURES:
        if data.startswith(signature):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1", b"avif"):
        return "image/avif" if data[8:12] == b"avif" else "image/heic"
    return None


def _sniff_prefix(data: bytes) -> bytes:
    if len(data) <= _SNIFF_BYTES:
        return data
    # Cut after a newline: in every encoding we decode, that byte ends a character.
    cut = data.rfind(b"\n", 0, _SNIFF_BYTES)
    if cut > _SNIFF_BYTES // 2:
        return data[: cut + 1]
    cut = _SNIFF_BYTES
    while cut > _SNIFF_BYTES - 4 and 0x80 <= data[cut] <= 0xBF:
        cut -= 1  # step back off a UTF-8 continuation byte
    return data[:cut]


def _text_type(text: str, suffixes: tuple[str, ...]) -> DetectedType:
    head = _LEADING_NOISE.sub("", text[:4096], count=1)
    if head.startswith("<"):
        if _HTML_START.match(head) or _HTML_START.search(head[:2048]):
            return DetectedType("html", "text/html")
        if _SVG_START.match(head):
            return DetectedType("image", "image/svg+xml")
        if suffixes and suffixes[-1] in (".html", ".htm", ".xhtml"):
            return DetectedType("html", "text/html")
    known = _mail_header_names(text)
    if len(known) >= 2 and known & {"from", "date", "message-id", "received"}:
        return DetectedType("eml", "message/rfc822")
    if known and suffixes and suffixes[-1] == ".eml":
        return DetectedType("eml", "message/rfc822")
    return DetectedType("text", "text/plain")


def _mail_header_names(text: str) -> set[str]:
    """Known mail header names, if ``text`` opens with a well-formed header block."""
    names: set[str] = set()
    lines = text[:16384].splitlines()
    for position, line in enumerate(lines):
        if not line:
            return names if position else set()
        if line[0] in " \t" and position:
            continue  # a folded continuation of the previous header
        if not _HEADER_LINE.match(line):
            return set()
        name = line.split(":", 1)[0].lower()
        if name in _MAIL_HEADERS:
            names.add(name)
    # The whole sample was headers: fine if the message is headers only.
    return names
