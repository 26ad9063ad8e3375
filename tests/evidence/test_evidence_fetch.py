"""``fetch_page`` against a small web server on the loopback interface, never the network."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from refuge.errors import EvidenceError
from refuge.evidence.fetch import fetch_page
from refuge.evidence.text import derive_text
from refuge.evidence.warc import read_warc

pytestmark = pytest.mark.slow

PAGE = "<html><head><title>Returns</title></head><body><p>탈북민 70명</p></body></html>".encode()


class _Site(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # so that chunked responses are possible

    def do_GET(self) -> None:
        routes: dict[str, Callable[[], None]] = {
            "/page": lambda: self._send(200, PAGE, [("Content-Type", "text/html; charset=utf-8")]),
            "/redirect": lambda: self._send(302, b"", [("Location", "/page")]),
            "/loop": lambda: self._send(302, b"", [("Location", "/loop")]),
            "/to-file": lambda: self._send(302, b"", [("Location", "file:///etc/passwd")]),
            "/missing": lambda: self._send(404, b"not here", [("Content-Type", "text/plain")]),
            "/big": lambda: self._send(200, b"x" * 5000, []),
            "/chunked": self._chunked,
            "/echo-agent": lambda: self._send(200, self.headers["User-Agent"].encode(), []),
        }
        routes.get(self.path, lambda: self._send(500, b"no route", []))()

    def _send(self, status: int, body: bytes, headers: list[tuple[str, str]]) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _chunked(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self.end_headers()
        for piece in (b"first part, ", b"second part"):
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        self.wfile.write(b"0\r\n\r\n")

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test output is not the place for access logs."""


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_it_archives_a_page_with_its_status_headers_and_fetch_time(site: str) -> None:
    before = datetime.now(UTC)
    [page] = read_warc(fetch_page(f"{site}/page", timeout=5))
    assert page.url == f"{site}/page"
    assert (page.status, page.body) == (200, PAGE)
    assert page.content_type == "text/html; charset=utf-8"
    assert before <= page.captured_at <= datetime.now(UTC)


def test_the_archived_page_derives_text_like_any_other_archive(site: str) -> None:
    derived = derive_text(fetch_page(f"{site}/page", timeout=5))
    assert derived is not None
    assert derived.kind == "warc"
    assert "탈북민 70명" in derived.text


def test_it_follows_a_redirect_and_records_the_final_url(site: str) -> None:
    [page] = read_warc(fetch_page(f"{site}/redirect", timeout=5))
    assert (page.url, page.status, page.body) == (f"{site}/page", 200, PAGE)


def test_it_keeps_an_error_status_as_evidence(site: str) -> None:
    [page] = read_warc(fetch_page(f"{site}/missing", timeout=5))
    assert (page.status, page.body) == (404, b"not here")


def test_a_chunked_response_is_archived_readably(site: str) -> None:
    [page] = read_warc(fetch_page(f"{site}/chunked", timeout=5))
    assert page.body == b"first part, second part"


def test_it_sends_its_user_agent(site: str) -> None:
    [page] = read_warc(fetch_page(f"{site}/echo-agent", timeout=5, user_agent="refuge-test/1"))
    assert page.body == b"refuge-test/1"


def test_it_refuses_a_page_over_the_size_limit(site: str) -> None:
    with pytest.raises(EvidenceError) as caught:
        fetch_page(f"{site}/big", timeout=5, max_bytes=1000)
    assert caught.value.code == "R038"
    assert "larger than" in caught.value.message


def test_it_refuses_an_oversized_body_that_declares_no_length(site: str) -> None:
    with pytest.raises(EvidenceError) as caught:
        fetch_page(f"{site}/chunked", timeout=5, max_bytes=15)
    assert caught.value.code == "R038"


def test_it_gives_up_after_five_redirects(site: str) -> None:
    with pytest.raises(EvidenceError) as caught:
        fetch_page(f"{site}/loop", timeout=5)
    assert caught.value.code == "R038"
    assert "redirects more than 5 times" in caught.value.message


def test_it_will_not_follow_a_redirect_off_http(site: str) -> None:
    with pytest.raises(EvidenceError) as caught:
        fetch_page(f"{site}/to-file", timeout=5)
    assert caught.value.code == "R038"


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "javascript:alert(1)", "http://"]
)
def test_it_refuses_urls_that_are_not_http(url: str) -> None:
    with pytest.raises(EvidenceError) as caught:
        fetch_page(url)
    assert caught.value.code == "R038"


def test_an_unreachable_server_is_a_clear_error() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago has no server
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(EvidenceError) as caught:
        fetch_page(f"http://127.0.0.1:{port}/", timeout=5)
    assert caught.value.code == "R038"
    assert "could not fetch" in caught.value.message
