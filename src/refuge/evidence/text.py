"""The text of a received file, with what the file says about itself.

``derive_text`` turns bytes into the one text that extraction reads and whose code-point
offsets claims point into: the same bytes always give the same text. Every reader ends with
newline normalisation (``\\r\\n`` and ``\\r`` to ``\\n``) and nothing else, so a UTF-8 ``.txt``
file's text is the file's own text. Readers by kind:

- text: decoded (``refuge.evidence.decode``) as it is;
- html: the main text by trafilatura without reader comments; a page too short for it falls
  back to the whole visible text of the page, with a warning;
- pdf: pypdf in a limited child process (``refuge.evidence.pdf``);
- docx: the paragraphs of ``word/document.xml``, parsed with defusedxml, one per line;
- eml: the plain-text part, else the HTML part through the HTML reader; Subject, From and
  Date as title, author and published;
- warc: the first successful page of the archive (ingest splits archives into one source per
  page with ``refuge.evidence.warc.read_warc``).

Images and other binary files have no text: ``derive_text`` returns None and they are kept as
opaque evidence.

Error codes (``EvidenceError``):
- R031: the file is larger than the size limit.
- R033: no text can be read: the file is empty, not text, an image or binary, or unreadable.
- R034: the document is malformed or corrupt, or a password-protected PDF.
- R037: reading a PDF went over its time or memory limit.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, cast
from xml.etree.ElementTree import Element, ParseError

import trafilatura
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as parse_xml

from refuge.errors import EvidenceError
from refuge.evidence.decode import (
    DecodedText,
    decode_declared,
    decode_text,
    normalise_newlines,
)
from refuge.evidence.detect import detect_type
from refuge.evidence.language import detect_language
from refuge.evidence.pdf import extract_pdf_text
from refuge.evidence.warc import read_warc

__all__ = ["DEFAULT_MAX_BYTES", "DerivedText", "derive_text", "read_document_text"]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
FALLBACK_WARNING = "main text not found; this is the whole visible text of the page"
# Language is judged on a prefix: a few pages settle it, and the count is a Python loop.
_LANGUAGE_SAMPLE = 100_000
# A DOCX part may not expand beyond this: a zip bomb is not a document.
_MAX_XML_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class DerivedText:
    """The text read from a file, what kind of file it was, and what it says about itself."""

    text: str
    kind: str
    mime: str
    encoding: str | None
    title: str | None
    author: str | None
    published: date | None
    language: str | None
    warnings: tuple[str, ...]


@dataclass(slots=True)
class _Reading:
    """What one reader found, before newline normalisation and language detection."""

    text: str
    encoding: str | None = None
    title: str | None = None
    author: str | None = None
    published: date | None = None
    warnings: list[str] = field(default_factory=list)


def derive_text(
    data: bytes,
    *,
    filename: str | None = None,
    charset: str | None = None,
    pdf_timeout: float = 20.0,
    pdf_memory_mb: int = 512,
) -> DerivedText | None:
    """The text of ``data``, or None for images and other binary files.

    ``filename`` only breaks ties in type detection; ``charset`` is an encoding declared
    outside the bytes (an HTTP or MIME header), used when it reads the bytes cleanly.
    """
    return _derive(data, filename, charset, pdf_timeout, pdf_memory_mb, nested=False)


def read_document_text(
    path: Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    pdf_timeout: float = 20.0,
    pdf_memory_mb: int = 512,
) -> DerivedText:
    """The text of the file at ``path`` (``refuge extract``); images and binaries are errors."""
    name = printable_name(path)
    try:
        if not path.is_file():
            raise EvidenceError(f"{name} is not a file; give the path of a document", code="R033")
        size = path.stat().st_size
        if size > max_bytes:
            raise _too_large(name, max_bytes)
        with path.open("rb") as stream:
            data = stream.read(max_bytes + 1)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise EvidenceError(
            f"cannot read {name}: {reason}; check the path and its permissions", code="R033"
        ) from None
    if len(data) > max_bytes:  # the file grew while we looked at it
        raise _too_large(name, max_bytes)
    derived = derive_text(
        data, filename=path.name, pdf_timeout=pdf_timeout, pdf_memory_mb=pdf_memory_mb
    )
    if derived is None:
        mime = detect_type(data, filename=path.name).mime
        raise EvidenceError(
            f"{name} is {mime}, not a text document: ingest keeps it as opaque evidence",
            code="R033",
        )
    return derived


def printable_name(path: Path | str) -> str:
    """A file name fit for a one-line message: control and other unprintables escaped."""
    name = Path(path).name or str(path)
    return "".join(char if char.isprintable() else f"\\x{ord(char):02x}" for char in name)


def _too_large(name: str, max_bytes: int) -> EvidenceError:
    return EvidenceError(
        f"{name} is larger than {max_bytes / (1024 * 1024):g} MB; raise the size limit to read it",
        code="R031",
    )


def _derive(
    data: bytes,
    filename: str | None,
    charset: str | None,
    pdf_timeout: float,
    pdf_memory_mb: int,
    *,
    nested: bool,
) -> DerivedText | None:
    detected = detect_type(data, filename=filename)
    kind = detected.kind
    if kind == "empty":
        raise EvidenceError(
            "the file is empty (or only blank space): there is no text to read", code="R033"
        )
    if kind in ("image", "binary") or (nested and kind == "warc"):
        return None
    if kind == "text":
        reading = _text_reading(_decode(data, charset))
    elif kind == "html":
        reading = _html_reading(_decode_html(data, charset))
    elif kind == "pdf":
        reading = _pdf_reading(data, pdf_timeout, pdf_memory_mb)
    elif kind == "docx":
        reading = _docx_reading(data)
    elif kind == "eml":
        reading = _eml_reading(data)
    else:
        reading = _warc_reading(data, pdf_timeout, pdf_memory_mb)
    text = normalise_newlines(reading.text)
    return DerivedText(
        text=text,
        kind=kind,
        mime=detected.mime,
        encoding=reading.encoding,
        title=reading.title,
        author=reading.author,
        published=reading.published,
        language=detect_language(text[:_LANGUAGE_SAMPLE]),
        warnings=tuple(reading.warnings),
    )


def _decode(data: bytes, charset: str | None) -> DecodedText:
    return decode_declared(data, charset) or decode_text(data)


def _text_reading(decoded: DecodedText) -> _Reading:
    reading = _Reading(decoded.text, encoding=decoded.encoding)
    if not decoded.confident:
        reading.warnings.append(f"encoding guessed as {decoded.encoding}; check the text")
    if any(char in decoded.text for char in "\x00\ufffd"):
        reading.warnings.append("the text holds NUL or replacement characters")
    return reading


# --- HTML -------------------------------------------------------------------------------


def _decode_html(data: bytes, charset: str | None) -> DecodedText:
    # Precedence as in browsers: byte-order mark, then the transport's label, then <meta>.
    return (
        decode_declared(data, charset)
        or decode_declared(data, _meta_charset(data))
        or decode_text(data)
    )


def _meta_charset(data: bytes) -> str | None:
    finder = _MetaCharset()
    with contextlib.suppress(_Found):
        finder.feed(data[:4096].decode("ascii", errors="replace"))
    return finder.charset


class _Found(Exception):
    """Stops the <meta> scan at the first charset found."""


class _MetaCharset(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.charset: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "meta":
            return
        values = {name.lower(): value or "" for name, value in attrs}
        if values.get("charset"):
            self.charset = values["charset"]
        elif values.get("http-equiv", "").lower() == "content-type":
            _, _, rest = values.get("content", "").lower().partition("charset=")
            self.charset = rest.split(";")[0].strip() or None
        if self.charset:
            raise _Found


def _html_reading(decoded: DecodedText) -> _Reading:
    html = decoded.text
    reading = _Reading("", encoding=decoded.encoding)
    if not decoded.confident:
        reading.warnings.append(f"encoding guessed as {decoded.encoding}; check the text")
    document: Any = None
    try:
        document = trafilatura.bare_extraction(
            html,
            include_comments=False,
            with_metadata=True,
            deduplicate=False,
            # Only dates the page declares: a date guessed from its body is not a fact.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception:  # trafilatura and lxml fail in many ways on broken markup
        document = None
    if document is not None:
        reading.text = document.text or ""
        reading.title = _clean(document.title)
        reading.author = _clean(document.author)
        reading.published = _iso_date(document.date)
    if not reading.text.strip():
        rendered = _render_html(html)
        reading.text = rendered.text
        reading.title = reading.title or rendered.title
        reading.warnings.append(FALLBACK_WARNING if rendered.text else "no text in the page")
    return reading


@dataclass(frozen=True, slots=True)
class _Rendered:
    text: str
    title: str | None


_SKIPPED_ELEMENTS = frozenset({"script", "style", "noscript", "template", "head", "svg"})
_BLOCK_ELEMENTS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    }
)


class _VisibleText(HTMLParser):
    """The text a reader would see: blocks on their own lines, scripts and styles dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skipping = 0
        self.in_title = False
        self.title_parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        if tag in _SKIPPED_ELEMENTS:
            self.skipping += 1
        elif tag in _BLOCK_ELEMENTS:
            self.break_line()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_ELEMENTS:
            self.break_line()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in _SKIPPED_ELEMENTS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_ELEMENTS:
            self.break_line()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)
        elif not self.skipping:
            self.current.append(data)

    def break_line(self) -> None:
        line = " ".join("".join(self.current).split())
        if line:
            self.lines.append(line)
        self.current = []


def _render_html(html: str) -> _Rendered:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    parser.break_line()
    return _Rendered("\n".join(parser.lines), _clean("".join(parser.title_parts)))


# --- PDF --------------------------------------------------------------------------------


def _pdf_reading(data: bytes, timeout: float, memory_mb: int) -> _Reading:
    pdf = extract_pdf_text(data, timeout=timeout, memory_mb=memory_mb)
    # The creation date is when the file was made, not when the report was published.
    return _Reading(pdf.text, title=pdf.title, author=pdf.author, warnings=list(pdf.warnings))


# --- DOCX -------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_DC = "{http://purl.org/dc/elements/1.1/}"
_DCTERMS = "{http://purl.org/dc/terms/}"
_RUN_TEXT = {_W + "tab": "\t", _W + "br": "\n", _W + "cr": "\n", _W + "noBreakHyphen": "-"}


def _docx_reading(data: bytes) -> _Reading:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            body = _docx_part(archive, "word/document.xml")
            if body is None:
                raise KeyError("word/document.xml")
            properties = _docx_part(archive, "docProps/core.xml")
        paragraphs = _paragraphs(body)
    except EvidenceError:
        raise
    except (
        zipfile.BadZipFile,
        KeyError,
        ParseError,
        DefusedXmlException,
        RecursionError,
        RuntimeError,
        NotImplementedError,
        OSError,
        EOFError,
        ValueError,
    ) as error:
        detail = " ".join(str(error).split())[:160] or type(error).__name__
        raise EvidenceError(
            f"malformed DOCX ({detail}); the original is kept as evidence", code="R034"
        ) from None
    reading = _Reading("\n".join(paragraphs), encoding=None)
    if properties is not None:
        reading.title = _clean(properties.findtext(_DC + "title"))
        reading.author = _clean(properties.findtext(_DC + "creator"))
        reading.published = _iso_date(properties.findtext(_DCTERMS + "created"))
    return reading


def _docx_part(archive: zipfile.ZipFile, name: str) -> Element | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > _MAX_XML_BYTES:
        raise EvidenceError(
            f"malformed DOCX: {name} expands to more than {_MAX_XML_BYTES // 2**20} MB",
            code="R034",
        )
    with archive.open(info) as stream:
        xml = stream.read(_MAX_XML_BYTES + 1)
    if len(xml) > _MAX_XML_BYTES:  # the size in the directory lied
        raise EvidenceError(f"malformed DOCX: {name} expands beyond its stated size", code="R034")
    return cast(Element, parse_xml(xml, forbid_dtd=True))


def _paragraphs(root: Element) -> list[str]:
    paragraphs: list[str] = []

    def visit(element: Element, into: list[str]) -> None:
        tag = element.tag
        if tag == _FALLBACK:
            return  # the same content again, for old readers
        if tag == _W + "p":
            own: list[str] = []
            for child in element:
                visit(child, own)
            paragraphs.append("".join(own))
            return
        if tag == _W + "t":
            into.append(element.text or "")
        elif tag in _RUN_TEXT:
            into.append(_RUN_TEXT[tag])
        for child in element:
            visit(child, into)

    body = root.find(_W + "body")
    visit(body if body is not None else root, [])
    return paragraphs


# --- e-mail -----------------------------------------------------------------------------


def _eml_reading(data: bytes) -> _Reading:
    message = email.message_from_bytes(data, policy=email.policy.default)
    reading = _Reading("", encoding=None)
    reading.title = _clean(_header(message, "subject"))
    reading.author = _sender(message)
    reading.published = _sent(message)
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        reading.warnings.append("the message has no text body")
    else:
        payload = body.get_payload(decode=True)
        raw = payload if isinstance(payload, bytes) else b""
        declared = body.get_content_charset()
        try:
            if body.get_content_type() == "text/html":
                part = _html_reading(_decode_html(raw, declared))
                reading.text, reading.encoding = part.text, part.encoding
                reading.warnings.extend(part.warnings)
            elif raw.strip():
                decoded = _decode(raw, declared)
                reading.text, reading.encoding = decoded.text, decoded.encoding
                if not decoded.confident:
                    reading.warnings.append(f"encoding guessed as {decoded.encoding}")
        except EvidenceError:
            reading.warnings.append("the message body is not text")
    attachments = sum(1 for _ in message.iter_attachments())
    if attachments:
        reading.warnings.append(
            f"{attachments} attachment(s) not read: save and ingest them as their own files"
        )
    return reading


def _header(message: EmailMessage, name: str) -> str | None:
    try:
        value = message[name]
    except (ValueError, IndexError, TypeError):  # a malformed header is not fatal
        return None
    return None if value is None else str(value)


def _sender(message: EmailMessage) -> str | None:
    try:
        header = message["from"]
        addresses: tuple[Address, ...] = getattr(header, "addresses", ())
    except (ValueError, IndexError, TypeError):
        return None
    if addresses:
        first = addresses[0]
        return _clean(first.display_name) or _clean(first.addr_spec)
    return _clean(None if header is None else str(header))


def _sent(message: EmailMessage) -> date | None:
    try:
        header = message["date"]
        sent: datetime | None = getattr(header, "datetime", None)
    except (ValueError, IndexError, TypeError):
        return None
    return sent.date() if sent else None


# --- web archives -----------------------------------------------------------------------


def _warc_reading(data: bytes, pdf_timeout: float, pdf_memory_mb: int) -> _Reading:
    pages = read_warc(data)
    if not pages:
        return _Reading("", warnings=["the web archive holds no captured page"])
    page = next((page for page in pages if 200 <= page.status < 300), pages[0])
    _, _, charset = page.content_type.lower().partition("charset=")
    derived = None
    if page.body.strip():
        derived = _derive(
            page.body,
            None,
            charset.split(";")[0].strip() or None,
            pdf_timeout,
            pdf_memory_mb,
            nested=True,
        )
    reading = _Reading("")
    if derived is None:
        reading.warnings.append(f"the captured page {page.url} has no text")
    else:
        reading = _Reading(
            derived.text,
            encoding=derived.encoding,
            title=derived.title,
            author=derived.author,
            published=derived.published,
            warnings=list(derived.warnings),
        )
    if len(pages) > 1:
        reading.warnings.append(
            f"the web archive holds {len(pages)} pages; this is the text of {page.url}"
        )
    return reading


# --- shared -----------------------------------------------------------------------------


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _iso_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
