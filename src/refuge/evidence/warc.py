"""Web archives: the pages a ``.warc``/``.warc.gz`` holds, and writing one for a capture.

Each HTTP response record is one captured page and becomes one source, carrying the URL and
the capture time the archive states; request, metadata, revisit and warcinfo records are
context, not pages. The body handed out is the payload as the browser would have seen it:
chunked transfer coding removed and gzip/deflate/brotli content coding undone, with a cap on
the decoded size so that a compression bomb inside an archive cannot exhaust memory. The
archive bytes themselves stay the stored original.

Error codes (``EvidenceError``):
- R031: a page in the archive decodes to more than the size limit.
- R034: the archive is malformed (not WARC, truncated, unparseable record headers).
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import BufferedReader, ChunkedDataReader, DecompressingBufferedReader
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from refuge import __version__
from refuge.errors import EvidenceError

__all__ = ["ArchivedPage", "read_warc", "write_warc"]

DEFAULT_MAX_PAGE_BYTES = 50 * 1024 * 1024
_CHUNK = 1024 * 1024
# Headers that described how the bytes travelled, not what they are: the body we record is
# already de-chunked, so keeping them would make every reader mis-parse it. Their values are
# kept under the prefix web archive replay tools use for headers they must not act on.
_TRANSPORT_HEADERS = frozenset({"transfer-encoding"})
_KEPT_PREFIX = "X-Archive-Orig-"


@dataclass(frozen=True, slots=True)
class ArchivedPage:
    """One HTTP response captured in a web archive."""

    url: str
    captured_at: datetime
    status: int
    content_type: str
    body: bytes
    record_id: str


def read_warc(data: bytes, *, max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES) -> list[ArchivedPage]:
    """The HTTP responses in a WARC (plain or gzipped), in archive order."""
    pages: list[ArchivedPage] = []
    records = 0
    try:
        if data.startswith(b"\x1f\x8b"):
            _check_gzip(data)
        iterator = ArchiveIterator(io.BytesIO(data))
        for record in iterator:
            records += 1
            headers = record.rec_headers
            if not record.rec_type or not headers.get_header("WARC-Record-ID"):
                raise _malformed(f"record {records} has no WARC-Type or WARC-Record-ID")
            if not (headers.get_header("Content-Length") or "").strip().isdigit():
                raise _malformed(f"record {records} has no Content-Length (cut short?)")
            if record.rec_type == "response" and record.http_headers is not None:
                pages.append(_page(record, max_page_bytes))
            else:
                for _chunk in _chunks(record.raw_stream):
                    pass  # read to the end, so that a cut-off record shows below
            if getattr(record.raw_stream, "limit", 0) > 0:
                raise _malformed(f"record {records} is cut short")
        # warcio ends quietly where a record's headers are cut off, and only warns where a
        # Content-Length is wrong; both mean the archive is not what it claims to be.
        if iterator.next_line:
            raise _malformed(f"record {records + 1} is cut short in its headers")
        if iterator.err_count:
            raise _malformed("a record's Content-Length does not match its content")
    except EvidenceError:
        raise
    except Exception as error:  # warcio raises many kinds of error on damaged input
        raise _malformed(error) from None
    if not records:
        raise _malformed("no records")
    return pages


def write_warc(
    *,
    url: str,
    captured_at: datetime,
    status: int,
    headers: list[tuple[str, str]],
    body: bytes,
    request_headers: list[tuple[str, str]] | None = None,
    reason: str = "",
) -> bytes:
    """A gzipped WARC 1.1 of one capture: warcinfo, then the response and its request.

    ``body`` is the payload as received after transfer decoding (what urllib returns);
    ``Transfer-Encoding`` is therefore kept only as ``X-Archive-Orig-Transfer-Encoding``.
    """
    if captured_at.tzinfo is None:
        raise ValueError("captured_at must be timezone-aware")
    warc_date = datetime_to_iso_date(
        captured_at.astimezone(UTC).replace(tzinfo=None), use_micros=True
    )
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="1.1")
    info = writer.create_warcinfo_record(
        "",
        {
            "software": f"refuge/{__version__}",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
        },
    )
    info.rec_headers.replace_header("WARC-Date", warc_date)
    writer.write_record(info)

    status_line = f"{status} {reason}".strip() if reason else str(status)
    response = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        length=len(body),
        warc_headers_dict={"WARC-Date": warc_date},
        http_headers=StatusAndHeaders(status_line, _archived_headers(headers), protocol="HTTP/1.1"),
    )
    writer.write_record(response)

    if request_headers is not None:
        request = writer.create_warc_record(
            url,
            "request",
            warc_headers_dict={
                "WARC-Date": warc_date,
                "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
            },
            http_headers=StatusAndHeaders(
                f"GET {_request_target(url)} HTTP/1.1", request_headers, is_http_request=True
            ),
        )
        writer.write_record(request)
    return out.getvalue()


def _archived_headers(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [
        (f"{_KEPT_PREFIX}{name}" if name.lower() in _TRANSPORT_HEADERS else name, value)
        for name, value in headers
    ]


def _request_target(url: str) -> str:
    parts = urlsplit(url)
    target = parts.path or "/"
    return f"{target}?{parts.query}" if parts.query else target


def _page(record: Any, max_page_bytes: int) -> ArchivedPage:
    headers = record.rec_headers
    url = headers.get_header("WARC-Target-URI") or ""
    stamp = headers.get_header("WARC-Date") or ""
    try:
        captured_at = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        raise EvidenceError(
            f"malformed web archive: record for {url!r} has an unreadable WARC-Date {stamp!r}",
            code="R034",
        ) from None
    if captured_at.tzinfo is None:
        captured_at = captured_at.replace(tzinfo=UTC)
    http = record.http_headers
    try:
        status = int(http.get_statuscode())
    except (TypeError, ValueError):
        status = 0  # a status line we cannot read is still a capture worth keeping
    return ArchivedPage(
        url=url,
        captured_at=captured_at.astimezone(UTC),
        status=status,
        content_type=http.get_header("Content-Type") or "",
        body=_body(record, max_page_bytes),
        record_id=headers.get_header("WARC-Record-ID") or "",
    )


def _body(record: Any, max_page_bytes: int) -> bytes:
    raw = _read_capped(record.raw_stream, max_page_bytes, record.rec_headers)
    http = record.http_headers
    coding = (http.get_header("Content-Encoding") or "").strip().lower()
    if coding not in BufferedReader.get_supported_decompressors():
        coding = ""
    chunked = (http.get_header("Transfer-Encoding") or "").strip().lower() == "chunked"
    if not coding and not chunked:
        return raw
    stream: BinaryIO
    if chunked:
        stream = ChunkedDataReader(io.BytesIO(raw), decomp_type=coding or None)
    else:
        stream = DecompressingBufferedReader(io.BytesIO(raw), decomp_type=coding)
    try:
        return _read_capped(stream, max_page_bytes, record.rec_headers)
    except EvidenceError:
        raise
    except Exception:
        # A body that claims a coding it does not have is kept as it was archived.
        return raw


def _read_capped(stream: BinaryIO, limit: int, rec_headers: Any) -> bytes:
    buffer = bytearray()
    for chunk in _chunks(stream):
        buffer += chunk
        if len(buffer) > limit:
            url = rec_headers.get_header("WARC-Target-URI") or "?"
            raise EvidenceError(
                f"web archive page {url} is larger than {limit // (1024 * 1024)} MB once "
                "decoded; raise the size limit to read it",
                code="R031",
            )
    return bytes(buffer)


def _chunks(stream: BinaryIO | gzip.GzipFile) -> Iterator[bytes]:
    while chunk := stream.read(_CHUNK):
        yield chunk


def _check_gzip(data: bytes) -> None:
    """Read every gzip member to its end: warcio stops quietly at a cut-off member."""
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
        for _chunk in _chunks(stream):
            pass


def _malformed(error: BaseException | str) -> EvidenceError:
    detail = " ".join(str(error).split())[:160] or type(error).__name__
    return EvidenceError(
        f"malformed web archive ({detail}); the original is kept as evidence", code="R034"
    )
