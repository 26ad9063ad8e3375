"""Typed reading of one JSON object of records.json, naming the record in every error.

Unknown keys are refused (``done``) because a misspelt optional key ("occurence") would
otherwise be ignored silently and the record would load with a default in its place.
"""

from __future__ import annotations

from collections.abc import Collection

from refuge.sample.errors import SampleDataError


class Fields:
    def __init__(self, raw: object, where: str) -> None:
        if not isinstance(raw, dict):
            raise SampleDataError(
                f"{where}: expected a JSON object, got {type(raw).__name__}", code="R091"
            )
        self._raw: dict[str, object] = raw
        self._read: set[str] = set()
        self.where = where

    def _value(self, name: str, *, required: bool) -> object:
        self._read.add(name)
        if name not in self._raw:
            if required:
                raise SampleDataError(f"{self.where}: add the missing field {name!r}", code="R091")
            return None
        return self._raw[name]

    def _wrong(self, name: str, wanted: str, value: object) -> SampleDataError:
        return SampleDataError(
            f"{self.where}: field {name!r} must be {wanted}, got {value!r}", code="R091"
        )

    def text(self, name: str) -> str:
        value = self._value(name, required=True)
        if not isinstance(value, str) or not value.strip():
            raise self._wrong(name, "a non-empty string", value)
        return value

    def optional_text(self, name: str) -> str | None:
        value = self._value(name, required=False)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self._wrong(name, "a non-empty string or null", value)
        return value

    def integer(self, name: str) -> int:
        value = self.optional_integer(name, required=True)
        if value is None:
            raise self._wrong(name, "an integer", value)
        return value

    def optional_integer(self, name: str, *, required: bool = False) -> int | None:
        value = self._value(name, required=required)
        if value is None:
            return None
        # bool is an int in Python; `true` in JSON is never a count.
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._wrong(name, "an integer or null", value)
        return value

    def items(self, name: str, *, required: bool = True) -> list[object]:
        value = self._value(name, required=required)
        if value is None and not required:
            return []
        if not isinstance(value, list):
            raise self._wrong(name, "a list", value)
        return value

    def optional_object(self, name: str, where: str) -> Fields | None:
        value = self._value(name, required=False)
        return None if value is None else Fields(value, where)

    def choice(self, name: str, allowed: Collection[str]) -> str:
        value = self.text(name)
        _check_choice(self.where, name, value, allowed)
        return value

    def optional_choice(self, name: str, allowed: Collection[str]) -> str | None:
        value = self.optional_text(name)
        if value is not None:
            _check_choice(self.where, name, value, allowed)
        return value

    def done(self) -> None:
        unknown = sorted(set(self._raw) - self._read)
        if unknown:
            raise SampleDataError(
                f"{self.where}: remove or correct the unknown field(s) {', '.join(unknown)}",
                code="R091",
            )


def _check_choice(where: str, name: str, value: str, allowed: Collection[str]) -> None:
    if value not in allowed:
        raise SampleDataError(
            f"{where}: {name} {value!r} is not in the vocabulary; use one of "
            f"{', '.join(sorted(allowed))}",
            code="R095",
        )


__all__ = ["Fields"]
