"""Web archives: write one capture, read its pages back, refuse damaged archives."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta, timezone

import pytest

from refuge import __version__
from refuge.errors import EvidenceError
from refuge.evidence.warc import read_warc, write_warc

CAPTURED = datetime(2017, 7, 26, 9, 30, 5, 250000, tzinfo=timezone(timedelta(hours=9)))
PAGE = "<html><body><p>탈북민 70명 강제북송</p></body></html>".encode()


def _capture(**changes: object) -> bytes:
    arguments: dict[str, object] = {
        "url": "https://news.example.org/2017/07/returns?id=70",
        "captured_at": CAPTURED,
        "status": 200,
        "headers": [("Content-Type", "text/html; charset=utf-8"), ("Server", "test")],
        "body": PAGE,
        "request_headers": [("Host", "news.example.org"), ("User-Agent", "refuge-test")],
    }
    arguments.update(changes)
    return write_warc(**arguments)  # type: ignore[arg-type]


def test_a_written_capture_reads_back_as_one_page_with_its_url_and_time() -> None:
    [page] = read_warc(_capture())
    assert page.url == "https://news.example.org/2017/07/returns?id=70"
    assert page.captured_at == CAPTURED
    assert page.captured_at.tzinfo == UTC
    assert (page.status, page.content_type, page.body) == (
        200,
        "text/html; charset=utf-8",
        PAGE,
    )
    assert page.record_id.startswith("<urn:uuid:")


def test_the_archive_is_gzipped_warc_1_1_with_warcinfo_request_and_response() -> None:
    plain = gzip.decompress(_capture()).decode("utf-8")
    assert plain.startswith("WARC/1.1\r\nWARC-Type: warcinfo")
    assert f"software: refuge/{__version__}" in plain
    assert plain.count("WARC/1.1\r\n") == 3
    assert "WARC-Type: response" in plain
    assert "WARC-Type: request" in plain
    assert "GET /2017/07/returns?id=70 HTTP/1.1" in plain
    assert "WARC-Date: 2017-07-26T00:30:05.250000Z" in plain


def test_an_uncompressed_archive_reads_the_same() -> None:
    archive = _capture()
    assert read_warc(gzip.decompress(archive)) == read_warc(archive)


def test_an_error_status_is_kept() -> None:
    [page] = read_warc(_capture(status=404, body=b"gone"))
    assert (page.status, page.body) == (404, b"gone")


def test_a_content_encoded_body_is_handed_out_decoded() -> None:
    archive = _capture(headers=[("Content-Encoding", "gzip")], body=gzip.compress(PAGE))
    assert read_warc(archive)[0].body == PAGE


def test_a_transfer_encoding_header_is_kept_under_another_name() -> None:
    # urllib hands over the body de-chunked; a live chunked header would make readers fail.
    archive = _capture(headers=[("Transfer-Encoding", "chunked")])
    assert read_warc(archive)[0].body == PAGE
    assert b"X-Archive-Orig-Transfer-Encoding: chunked" in gzip.decompress(archive)


def test_pages_of_several_captures_come_back_in_order() -> None:
    first = _capture(url="http://a.example/1")
    second = _capture(url="http://b.example/2", captured_at=CAPTURED + timedelta(days=1))
    pages = read_warc(first + second)  # gzip members concatenate into one archive
    assert [page.url for page in pages] == ["http://a.example/1", "http://b.example/2"]


def test_a_naive_capture_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        _capture(captured_at=datetime(2017, 7, 26))


@pytest.mark.parametrize(
    "data",
    [
        _capture()[:-40],
        gzip.decompress(_capture())[:600],
        b"WARC/1.1\r\nnot a header block\r\n\r\n",
        b"WARC/",
        b"\x1f\x8b\x08\x00not gzip at all",
    ],
    ids=["truncated gzip", "truncated record", "no record headers", "bare magic", "bad gzip"],
)
def test_a_malformed_archive_is_reported(data: bytes) -> None:
    with pytest.raises(EvidenceError) as caught:
        read_warc(data)
    assert caught.value.code == "R034"
    assert caught.value.message.startswith("malformed web archive")


def test_a_page_that_decodes_beyond_the_limit_is_refused() -> None:
    bomb = gzip.compress(b"\x00" * 2_000_000)
    archive = _capture(headers=[("Content-Encoding", "gzip")], body=bomb)
    with pytest.raises(EvidenceError) as caught:
        read_warc(archive, max_page_bytes=1_000_000)
    assert caught.value.code == "R031"
