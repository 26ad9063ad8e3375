"""Exports made from a publication store (never from the database), audited.

The records and tables come from ``StoreReader`` alone, so an export holds exactly what the
store holds. A partner export carries a recipient-specific export id (generated when none
is given), written in the file and its manifest and recorded in the audit log, so that a
copy found elsewhere says whose it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.utils import timezone

from refuge.publish.records import Audience
from refuge.web.audit.services import audit_record
from refuge.web.disclosure.errors import PublishingError
from refuge.web.disclosure.snapshot import store_file


@dataclass(frozen=True)
class ExportResult:
    audience: str
    format: str
    path: Path  # the file handed out (``.age`` when encrypted)
    manifest: Path
    sha256: str  # of the unencrypted file, as its manifest says
    incidents: int
    tables: int
    export_id: str | None
    encrypted: bool


def export_store(
    *,
    audience: Audience,
    fmt: str,
    out: Path,
    export_id: str | None = None,
    recipient: str | None = None,
    passphrase: str | None = None,
    actor: str = "cli",
    user: object = None,
    now: datetime | None = None,
) -> ExportResult:
    """Write the store of ``audience`` as ``fmt`` to ``out``; encrypt it if asked (age)."""
    from refuge.publish.encrypt import encrypt_file
    from refuge.publish.exports import new_export_id, write_export
    from refuge.publish.store import StoreFilters, StoreReader

    if audience not in ("public", "partners"):
        raise PublishingError("the audience is public or partners", code="R147")
    if recipient is not None and passphrase is not None:
        raise PublishingError("encrypt to a recipient or a passphrase, not both", code="R147")
    if audience == "partners" and not export_id:
        export_id = new_export_id()
    filters = StoreFilters()
    with StoreReader(store_file(audience)) as reader:
        total = reader.count(filters)
        incidents = reader.incidents(filters, offset=0, limit=max(total, 1))
        tables = reader.tables()
    manifest = write_export(
        incidents,
        tables,
        fmt=fmt,
        out=out,
        audience=audience,
        export_id=export_id,
        generated_at=now or timezone.now(),
    )
    handed_out = Path(out)
    encrypted = recipient is not None or passphrase is not None
    if encrypted:
        handed_out = encrypt_file(out, passphrase=passphrase, recipient=recipient)
        # The point of encrypting is that no readable copy lingers on this machine.
        Path(out).unlink(missing_ok=True)
    audit_record(
        action="export",
        user=user,
        actor=actor if user is None else "",
        details={
            "what": "publication export",
            "audience": audience,
            "format": manifest.format,
            "export_id": export_id,
            "incidents": manifest.incidents,
            "tables": manifest.tables,
            "sha256": manifest.sha256,
            "encrypted_to": (
                "recipient:" + recipient.strip()
                if recipient
                else ("passphrase" if passphrase else None)
            ),
        },
    )
    return ExportResult(
        audience=audience,
        format=manifest.format,
        path=handed_out,
        manifest=manifest.manifest_path,
        sha256=manifest.sha256,
        incidents=manifest.incidents,
        tables=manifest.tables,
        export_id=export_id,
        encrypted=encrypted,
    )


__all__ = ["ExportResult", "export_store"]
