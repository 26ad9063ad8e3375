"""`refuge extract` per the contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from refuge.cli import _register_commands, app, main

TEXT = "Ten North Koreans\n\nTen North Koreans were arrested on July 20.\r\nThey were held.\n"


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    _register_commands()
    return CliRunner()


def test_it_prints_one_json_object(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes(TEXT.encode("utf-8"))
    result = runner.invoke(app, ["extract", str(path), "--published", "2017-07-26"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["schema"] == "refuge.extraction/1"
    assert out["document"]["published"] == "2017-07-26"
    assert out["incidents"][0]["when"]["start"] == "2017-07-20"


def test_text_format_prints_the_text_read_with_newlines_normalised(
    tmp_path: Path, runner: CliRunner
) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes(TEXT.encode("utf-8"))
    result = runner.invoke(app, ["extract", str(path), "--format", "text"])
    assert result.stdout == TEXT.replace("\r\n", "\n")


def test_bad_input_is_one_line_on_stderr_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "b.txt"
    path.write_bytes(b"\xff\xfe\x00binary")
    assert main(["extract", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "R042" in err
    assert main(["extract", str(tmp_path / "missing.txt")]) == 2
    assert main(["extract", str(path), "--published", "July"]) == 2


def test_a_pdf_without_text_gives_an_empty_result_and_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as f:
        writer.write(f)
    code = main(["extract", str(path), "--format", "json"])
    captured = capsys.readouterr()
    assert code == 0 and "Traceback" not in captured.err
    assert json.loads(captured.out)["incidents"] == []
    assert captured.err.startswith("warning:") and captured.err.count("\n") == 1
