"""The child process that reads one PDF: ``python -m refuge.evidence.pdf_worker MEMORY_MB CPU_S``.

It reads the PDF on stdin, caps its own address space and CPU time before touching it, and
writes one JSON object on stdout: ``{"ok": true, "pages": [...], "title": ..., "author": ...,
"created": "YYYY-MM-DD" | null, "repaired": bool}`` or ``{"ok": false, "error": "encrypted" |
"corrupt" | "memory" | "unsupported-encryption", "detail": "..."}``. Anything worse (a crash,
a kill by the CPU limit, a hang cut short by the parent) is judged by ``refuge.evidence.pdf``
from the exit status. This module imports nothing from Refuge's own code on purpose: it runs
with the least it needs.

Test hook (tests only, never set in production): ``REFUGE_TEST_PDF_HANG=1`` makes the worker
sleep instead of parsing, as a hostile PDF that hangs the parser would; ``REFUGE_TEST_PDF_HANG=
memory`` makes it allocate without bound, as a decompression bomb would.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import resource
import sys
import time
from datetime import datetime
from io import BytesIO
from typing import Any

_MB = 1024 * 1024


def main(argv: list[str]) -> int:
    memory_mb, cpu_seconds = int(argv[0]), int(argv[1])
    data = sys.stdin.buffer.read()
    _limit(memory_mb, cpu_seconds)
    try:
        result = _read(data)
    except MemoryError:
        result = {"ok": False, "error": "memory", "detail": "memory limit reached"}
    sys.stdout.write(json.dumps(result))
    sys.stdout.flush()
    return 0


def _limit(memory_mb: int, cpu_seconds: int) -> None:
    limit = memory_mb * _MB
    # Where a limit cannot be set (a platform without it), the parent's wall clock still holds.
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))


def _test_hook() -> None:
    hang = os.environ.get("REFUGE_TEST_PDF_HANG")
    if hang == "memory":
        hog = []
        while True:
            hog.append(bytearray(64 * _MB))
    elif hang:
        time.sleep(3600)


def _read(data: bytes) -> dict[str, Any]:
    _test_hook()
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    repaired = _RepairCounter()
    logging.getLogger("pypdf").addHandler(repaired)
    try:
        reader = PdfReader(BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # many PDFs carry only an owner password
            except DependencyError as error:
                return {"ok": False, "error": "unsupported-encryption", "detail": str(error)}
            if not opened:
                return {"ok": False, "error": "encrypted", "detail": "needs a password"}
        pages: list[str | None] = []
        for page in reader.pages:
            try:
                pages.append(page.extract_text())
            except MemoryError:
                raise
            except Exception:
                pages.append(None)  # one bad page must not cost the others
        metadata = _metadata(reader)
    except FileNotDecryptedError as error:
        return {"ok": False, "error": "encrypted", "detail": str(error)}
    except MemoryError:
        raise
    except Exception as error:  # pypdf raises many kinds of error on hostile input
        return {"ok": False, "error": "corrupt", "detail": _one_line(error)}
    return {"ok": True, "pages": pages, "repaired": repaired.count > 0, **metadata}


def _metadata(reader: Any) -> dict[str, Any]:
    try:
        info = reader.metadata
    except Exception:
        info = None
    if info is None:
        return {"title": None, "author": None, "created": None}
    created: datetime | None
    try:
        created = info.creation_date
    except Exception:
        created = None
    return {
        "title": _clean(info.get("/Title")),
        "author": _clean(info.get("/Author")),
        "created": created.date().isoformat() if created else None,
    }


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:200]


class _RepairCounter(logging.Handler):
    """Counts pypdf's warnings: each means it patched over a defect in the file."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
