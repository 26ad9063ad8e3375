"""Claim values in words for the review screen: "about 60", "Tumen (detention)", "2017-06".

A claim's value is a piece of the extraction contract (a count object, a place object, a
period) or whatever a reviewer typed. Reviewers compare it with the highlighted words, so it
is shown the way the text would say it, not as a raw structure.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


def _count(value: dict[str, Any]) -> str:
    best, low, high = value.get("value"), value.get("min"), value.get("max")
    qualifier = value.get("qualifier") or "exact"
    if qualifier == "range" and low is not None and high is not None:
        return f"{low}–{high}"
    number = best if best is not None else low if low is not None else high
    if qualifier == "approx":
        return _("about %(n)s") % {"n": number}
    if qualifier == "at_least":
        return _("at least %(n)s") % {"n": low if low is not None else number}
    if qualifier == "at_most":
        return _("at most %(n)s") % {"n": high if high is not None else number}
    return str(number)


def _period(value: dict[str, Any]) -> str:
    start, end = value.get("start") or "", value.get("end") or ""
    return start if not end or end == start else f"{start} – {end}"


def claim_value_text(value: Any) -> str:
    """One line for a claim's value; never raises, whatever shape a person stored."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str | int | float):
        return str(value)
    if isinstance(value, list | tuple):
        return ", ".join(claim_value_text(item) for item in value)
    if isinstance(value, dict):
        if "qualifier" in value and ("value" in value or "min" in value):
            return _count(value)
        if "name" in value:
            role = value.get("role")
            return f"{value['name']} ({role})" if role else str(value["name"])
        if "start" in value and "precision" in value:
            return _period(value)
        if "text" in value:
            return str(value["text"])
        return "; ".join(f"{key}: {claim_value_text(item)}" for key, item in value.items())
    return str(value)
