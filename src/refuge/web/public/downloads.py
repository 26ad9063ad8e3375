"""Public downloads: the whole public store as CSV, JSON, GeoJSON or XLSX, with a manifest.

Each download is made from the publication store at the moment it is asked for (so a
withdrawal is gone from it at the next build), written by the exports module into a
temporary folder with its manifest beside it, and recorded in the audit log with the
file's SHA-256, which the response also carries so a recipient can check the file.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from django.utils import timezone

from refuge.publish.exports import write_export
from refuge.publish.manifest import EXPORT_FORMATS, MEDIA_TYPES
from refuge.publish.store import StoreFilters
from refuge.web.public.reading import published

FORMATS: Final[dict[str, str]] = {fmt: MEDIA_TYPES[fmt] for fmt in EXPORT_FORMATS}
SHA256_HEADER: Final = "X-Refuge-SHA256"
RECORDS_HEADER: Final = "X-Refuge-Records"
_ALL: Final = 10_000_000  # more incidents than any store holds


@dataclass(frozen=True, slots=True)
class Download:
    data: bytes
    filename: str
    sha256: str
    records: int


def public_export(fmt: str, *, requested_by: Any = None) -> Download:
    """The public store exported as ``fmt``, audited; PublicationUnavailable if unreadable."""
    from refuge.web.audit.services import audit_record

    now = timezone.now()
    with published() as store:
        # One query for every incident: one version of the store, even if a rebuild lands.
        incidents = store.incidents(StoreFilters(), offset=0, limit=_ALL)
        found = store.tables()
    filename = f"refuge-public-{now:%Y%m%d}.{fmt}"
    with tempfile.TemporaryDirectory(prefix="refuge-export-") as folder:
        out = Path(folder) / filename
        manifest = write_export(
            incidents, found, fmt=fmt, out=out, audience="public", generated_at=now
        )
        data = out.read_bytes()
    sha256 = str(manifest.sha256)
    audit_record(
        action="export",
        user=requested_by,
        details={
            "audience": "public",
            "format": fmt,
            "records": len(incidents),
            "tables": len(found),
            "sha256": sha256,
            "channel": "web",
        },
    )
    return Download(data=data, filename=filename, sha256=sha256, records=len(incidents))
