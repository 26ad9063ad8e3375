"""``refuge capture URL``: fetch a page before it disappears and keep it as a web archive.

The page is fetched once with the standard library (no browser, no extra dependency) and
recorded as it arrived: status, headers and body, with the time of the fetch, in a gzipped
WARC that ingest then treats like any other archive. An error status (404, 500) is recorded
too: that a page was gone at a given time is itself evidence. Redirects are followed (at most
five, and only to http or https); the archive holds the final response under its own URL.

Error codes (``EvidenceError``):
- R038: the page cannot be captured: not an http(s) URL, unreachable, too many redirects,
  or larger than the size limit.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from datetime import UTC, datetime
from email.message import Message
from typing import IO, Any
from urllib.parse import urlsplit

from refuge import __version__
from refuge.errors import EvidenceError
from refuge.evidence.warc import write_warc

__all__ = ["DEFAULT_USER_AGENT", "MAX_REDIRECTS", "fetch_page"]

DEFAULT_USER_AGENT = f"refuge/{__version__} (evidence capture)"
MAX_REDIRECTS = 5
_SCHEMES = frozenset({"http", "https"})
_CHUNK = 64 * 1024


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows at most ``MAX_REDIRECTS`` redirects, and never off http(s)."""

    max_redirections = MAX_REDIRECTS

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme.lower() not in _SCHEMES:
            raise _capture_error(f"the page redirects to {newurl!r}, which is not http or https")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch_page(
    url: str,
    *,
    timeout: float = 30.0,
    max_bytes: int = 50 * 1024 * 1024,
    user_agent: str = DEFAULT_USER_AGENT,
) -> bytes:
    """Fetch ``url`` and return a gzipped WARC of the response (``write_warc``)."""
    if urlsplit(url).scheme.lower() not in _SCHEMES or not urlsplit(url).netloc:
        raise _capture_error(f"only http and https URLs can be captured, not {url!r}")
    request = urllib.request.Request(  # noqa: S310 -- the scheme was checked above
        url,
        headers={"User-Agent": user_agent, "Accept-Encoding": "identity", "Accept": "*/*"},
    )
    opener = urllib.request.build_opener(_Redirects())
    try:
        response = opener.open(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        if 300 <= error.code < 400:  # a redirect we would not follow any further
            raise _capture_error(
                f"{url} redirects more than {MAX_REDIRECTS} times; capture the final URL"
            ) from None
        response = error  # an error page is a response too, and worth keeping
    except EvidenceError:
        raise
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise _capture_error(f"could not fetch {url}: {reason}") from None
    with response:
        captured_at = datetime.now(UTC)
        final_url: str = response.geturl()
        status: int = response.status if response.status is not None else 0
        headers: Message = response.headers
        body = _read_body(response, max_bytes, final_url, headers)
        reason_phrase: str = getattr(response, "reason", "") or ""
    parts = urlsplit(final_url)
    return write_warc(
        url=final_url,
        captured_at=captured_at,
        status=status,
        reason=reason_phrase,
        headers=list(headers.items()),
        body=body,
        request_headers=[
            ("Host", parts.netloc),
            ("User-Agent", user_agent),
            ("Accept-Encoding", "identity"),
            ("Accept", "*/*"),
            ("Connection", "close"),
        ],
    )


def _read_body(response: Any, max_bytes: int, url: str, headers: Message) -> bytes:
    declared = headers.get("Content-Length", "")
    if declared.strip().isdigit() and int(declared) > max_bytes:
        raise _too_large(url, max_bytes)
    body = bytearray()
    try:
        while chunk := response.read(_CHUNK):
            body += chunk
            if len(body) > max_bytes:
                raise _too_large(url, max_bytes)
    except EvidenceError:
        raise
    except (OSError, ValueError) as error:  # includes http.client.IncompleteRead
        raise _capture_error(f"the connection to {url} broke while reading: {error}") from None
    return bytes(body)


def _too_large(url: str, max_bytes: int) -> EvidenceError:
    return _capture_error(
        f"{url} is larger than {max_bytes / (1024 * 1024):g} MB; raise the size limit to capture it"
    )


def _capture_error(message: str) -> EvidenceError:
    return EvidenceError(" ".join(message.split()), code="R038")
