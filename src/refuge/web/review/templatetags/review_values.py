"""``{{ claim.value|claim_value }}``: a claim's value in words (refuge.web.review.display)."""

from __future__ import annotations

from typing import Any

from django import template

from refuge.web.review.display import claim_value_text

register = template.Library()


@register.filter
def claim_value(value: Any) -> str:
    return claim_value_text(value)
