"""``refuge extract`` (contract: ../shared/contracts/extraction.md).

Reads a .txt (strict UTF-8, newlines normalised to \\n), .html or .pdf file, or ``-`` for
text on stdin, and prints the extraction as one JSON object (``--format json``) or the exact
text that extraction read (``--format text``). User errors raise RefugeError subclasses,
which the CLI prints as one line with exit 2.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path

import typer

from refuge.errors import ExtractionError, UsageError

_TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ""})


class OutputFormat(StrEnum):
    json = "json"
    text = "text"


class Lang(StrEnum):
    auto = "auto"
    en = "en"
    ko = "ko"
    zh = "zh"


def _decode(data: bytes, name: str) -> str:
    if b"\x00" in data:
        raise ExtractionError(
            f"{name} looks binary (NUL bytes); give a text, HTML or PDF file", code="R042"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ExtractionError(
            f"{name} is not valid UTF-8 (byte {exc.start}); convert it to UTF-8 first", code="R042"
        ) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def read_input(path: str) -> tuple[str, str | None, date | None]:
    """(text, title, published) of PATH as the contract defines them."""
    if path == "-":
        return _decode(sys.stdin.buffer.read(), "stdin"), None, None
    file = Path(path)
    if not file.exists():
        raise ExtractionError(f"no such file: {path}; check the path", code="R045")
    if not file.is_file():
        raise ExtractionError(f"{path} is not a file; give a .txt, .html or .pdf file", code="R045")
    suffix = file.suffix.lower()
    if suffix in _TEXT_SUFFIXES:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise ExtractionError(f"cannot read {path}: {exc.strerror}", code="R045") from None
        return _decode(data, path), None, None
    try:
        from refuge.evidence.text import read_document_text
    except ImportError:
        raise ExtractionError(
            f"cannot read {suffix} files in this installation; give a .txt file", code="R045"
        ) from None
    derived = read_document_text(file)  # raises EvidenceError (one line) on bad input
    # A PDF without a text layer reads as "" with a warning: say so on stderr, one line each,
    # and let extraction return its empty result rather than fail.
    for warning in derived.warnings:
        sys.stderr.write(f"warning: {warning}\n")
    return derived.text, derived.title, derived.published


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"--published {value!r} is not a date; use YYYY-MM-DD", code="R011"
        ) from None


def register(app: typer.Typer) -> None:
    """Add the extraction commands to ``app``."""

    @app.command("extract")
    def extract_command(
        path: str = typer.Argument(..., help="A .txt, .html or .pdf file, or - for stdin."),
        published: str | None = typer.Option(
            None, "--published", help="Publication date YYYY-MM-DD; anchors relative dates."
        ),
        lang: Lang = typer.Option(Lang.auto, "--lang", help="Language of the text."),
        output: OutputFormat = typer.Option(
            OutputFormat.json, "--format", help="json: the extraction; text: the text read."
        ),
    ) -> None:
        """Extract incidents, legal references and sensitivity flags from a report."""
        anchor = _parse_date(published)
        text, title, doc_published = read_input(path)
        if output is OutputFormat.text:
            sys.stdout.write(text)
            sys.stdout.flush()
            return
        from refuge.extract import extract

        result = extract(text, published=anchor or doc_published, language=lang.value, title=title)
        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
        sys.stdout.flush()
