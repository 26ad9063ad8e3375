"""Text of a PDF, read in a child process that a hostile file cannot take down with it.

PDF parsers can be driven into endless loops and decompression bombs by crafted files, and a
batch of a thousand documents must not stop at one of them. So pypdf runs in
``refuge.evidence.pdf_worker``, a fresh interpreter whose address space and CPU time are
capped by ``setrlimit`` before it reads a byte, and which the parent kills when the wall-clock
timeout passes. Page texts are joined with a blank line; a PDF without a text layer (a scan)
gives an empty text and a warning, not an error, because the file is still good evidence.

Error codes (``EvidenceError``):
- R034: the PDF is corrupt, or password-protected, or its reader crashed.
- R037: reading the PDF went over the time or memory limit (a hostile or huge file).
"""

from __future__ import annotations

import json
import math
import re
import signal
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from typing import Any

from refuge.errors import EvidenceError
from refuge.evidence.decode import normalise_newlines

__all__ = ["NO_TEXT_LAYER", "PdfText", "extract_pdf_text"]

NO_TEXT_LAYER = "no text layer (scanned?)"
_SURROGATE = re.compile(r"[\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class PdfText:
    """The text of a PDF with what its document information says about it."""

    text: str
    title: str | None
    author: str | None
    created: date | None
    page_count: int
    warnings: tuple[str, ...]


def extract_pdf_text(data: bytes, *, timeout: float = 20.0, memory_mb: int = 512) -> PdfText:
    """The text of the PDF ``data``, read within ``timeout`` seconds and ``memory_mb`` MB."""
    # The CPU cap backs up the wall clock in case the parent is stopped while waiting.
    cpu_seconds = max(1, math.ceil(timeout) + 1)
    command = [
        sys.executable,
        "-m",
        "refuge.evidence.pdf_worker",
        str(memory_mb),
        str(cpu_seconds),
    ]
    try:
        # The command is our own interpreter and module; no shell, no user input in it.
        finished = subprocess.run(  # noqa: S603
            command, input=data, capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:  # run() has killed the worker already
        raise EvidenceError(
            f"reading the PDF took longer than {timeout:g} s and was stopped; the file may be "
            "hostile: keep it as opaque evidence or raise the limit",
            code="R037",
        ) from None
    return _result(finished, memory_mb)


def _result(finished: subprocess.CompletedProcess[bytes], memory_mb: int) -> PdfText:
    if finished.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise EvidenceError(
            "reading the PDF used up its CPU time and was stopped; the file may be hostile",
            code="R037",
        )
    try:
        report: dict[str, Any] = json.loads(finished.stdout)
    except ValueError:
        if b"MemoryError" in finished.stderr:
            report = {"ok": False, "error": "memory"}
        else:
            raise EvidenceError(
                f"the PDF reader crashed (exit status {finished.returncode}); the file is "
                "damaged or hostile: keep it as opaque evidence",
                code="R034",
            ) from None
    if not report.get("ok"):
        raise _failure(report, memory_mb)
    return _pdf_text(report)


def _failure(report: dict[str, Any], memory_mb: int) -> EvidenceError:
    error = report.get("error")
    if error == "encrypted":
        return EvidenceError(
            "password-protected PDF: save an unprotected copy to read its text (the original "
            "is kept as evidence)",
            code="R034",
        )
    if error == "unsupported-encryption":
        return EvidenceError(
            "encrypted PDF that needs the 'cryptography' package to open: install it and "
            "read the file again",
            code="R034",
        )
    if error == "memory":
        return EvidenceError(
            f"reading the PDF needed more than {memory_mb} MB and was stopped; the file may be "
            "hostile: keep it as opaque evidence or raise the limit",
            code="R037",
        )
    detail = str(report.get("detail") or "unreadable")
    return EvidenceError(f"corrupt PDF ({detail}); the original is kept as evidence", code="R034")


def _clean_page(text: str) -> str:
    # Unmapped glyphs come out as NUL or lone surrogates, which no database or UTF-8 file can
    # hold: they are dropped or replaced here, so that offsets are into storable text.
    text = _SURROGATE.sub("\ufffd", text.replace("\x00", ""))
    return normalise_newlines(text)


def _pdf_text(report: dict[str, Any]) -> PdfText:
    raw_pages: list[str | None] = report["pages"]
    warnings: list[str] = []
    pages: list[str] = []
    for number, page in enumerate(raw_pages, start=1):
        if page is None:
            warnings.append(f"page {number}: text could not be read")
            pages.append("")
        else:
            pages.append(_clean_page(page))
    text = "\n\n".join(pages)
    if not text.strip():
        text = ""
        warnings.append(NO_TEXT_LAYER)
    if report.get("repaired"):
        warnings.append("the PDF has structural defects; its text may be incomplete")
    created = report.get("created")
    return PdfText(
        text=text,
        title=report.get("title"),
        author=report.get("author"),
        created=date.fromisoformat(created) if created else None,
        page_count=len(raw_pages),
        warnings=tuple(warnings),
    )
