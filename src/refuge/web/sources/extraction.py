"""Extraction of ingested sources into claims proposed for review.

Each evidence key of each extracted incident becomes one claim (field, value, spans,
extractor version), with review status "proposed". Running a newer extractor adds its
proposals beside the old ones; nothing here ever updates or deletes a claim, so a claim a
person has reviewed is never touched.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from refuge.errors import RefugeError
from refuge.extract import EXTRACTOR_VERSION, extract
from refuge.web.incidents.models import Claim
from refuge.web.sources.models import Source

# Languages the extractor reads; others are reviewed by hand (claims made from selections).
EXTRACTED_LANGUAGES = frozenset({"en"})


@dataclass(frozen=True)
class Proposal:
    field: str
    value: Any
    spans: list[tuple[int, int]]


def _resolve(document: Any, path: list[str]) -> Any:
    """The value at a dotted evidence key; an event type names itself ("event_types.arrest")."""
    node = document
    for part in path:
        if isinstance(node, list):
            if part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            elif part in node:
                node = part
            else:
                return None
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            return None
    return node


def claim_proposals(result: dict[str, Any]) -> Iterator[Proposal]:
    """Claims from one extraction (contract refuge.extraction/1), one per evidence key."""
    for index, incident in enumerate(result.get("incidents") or []):
        for key, spans in sorted((incident.get("evidence") or {}).items()):
            valid = [(int(s), int(e)) for s, e in spans if int(e) > int(s) >= 0]
            if not valid:
                continue
            yield Proposal(
                field=f"incidents.{index}.{key}",
                value=_resolve(incident, key.split(".")),
                spans=valid,
            )
    for kind, key in (("legal_references", "instrument"), ("sensitivity_flags", "flag")):
        for item in result.get(kind) or []:
            span = item.get("span")
            if span and int(span[1]) > int(span[0]) >= 0:
                yield Proposal(
                    field=f"{kind}.{item.get(key)}",
                    value=item.get(key),
                    spans=[(int(span[0]), int(span[1]))],
                )


def source_extract(*, source: Source, version: str = EXTRACTOR_VERSION) -> int:
    """Propose claims for an English source with text; how many were added (0 if done)."""
    if not source.text or source.language not in EXTRACTED_LANGUAGES:
        return 0
    if Claim.objects.filter(source=source, extractor_version=version).exists():
        return 0  # this version already read this source
    try:
        result = extract(
            source.text,
            published=source.published,
            language=source.language,
            title=source.title or None,
        ).to_json()
    except RefugeError:
        return 0  # too long or unreadable for the extractor: left for a person to review
    claims = [
        Claim(
            source=source,
            field=p.field[:100],
            value=p.value,
            span_start=p.spans[0][0],
            span_end=p.spans[0][1],
            spans=[list(s) for s in p.spans],
            extractor_version=version,
            confidence=0.5,
        )
        for p in claim_proposals(result)
        if p.spans[0][1] <= len(source.text)
    ]
    for claim in claims:
        claim.seal_values()  # no-op for published sources
    with transaction.atomic():
        Claim.objects.bulk_create(claims)
    return len(claims)
