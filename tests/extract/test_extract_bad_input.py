"""Bad input: empty text, huge text, binary data."""

from __future__ import annotations

import pytest
from fake_gazetteer import run

from refuge.errors import ExtractionError
from refuge.extract import MAX_CHARS


def test_empty_text_gives_an_empty_result_with_a_warning() -> None:
    result = run("")
    assert result.incidents == () and result.warnings


def test_binary_looking_text_gives_an_empty_result_with_a_warning() -> None:
    result = run("\x00\x01\x02\x03" * 1000)
    assert result.incidents == () and "binary" in result.warnings[-1]


def test_a_text_over_the_limit_is_a_one_line_error() -> None:
    with pytest.raises(ExtractionError) as info:
        run("a" * (MAX_CHARS + 1))
    assert info.value.code == "R041" and "\n" not in str(info.value)


def test_an_unsupported_language_gives_a_warning_not_an_error() -> None:
    from refuge.extract import extract

    result = extract("북한 주민 70명이 강제북송됐다.", language="ko")
    assert result.incidents == () and "not available" in result.warnings[-1]


def test_a_ten_megabyte_text_is_refused_with_a_one_line_error_before_any_work() -> None:
    with pytest.raises(ExtractionError) as info:
        run("Nine North Koreans were arrested. " * 300_000)
    assert info.value.code == "R041" and "split" in str(info.value) and "\n" not in str(info.value)


def test_a_text_that_is_not_a_str_is_a_clear_error() -> None:
    from refuge.extract import extract

    with pytest.raises(ExtractionError) as info:
        extract(b"\x00\x01 bytes")  # type: ignore[arg-type]
    assert info.value.code == "R042"
