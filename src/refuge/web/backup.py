"""Encrypted backups of the database and the evidence store, and their restore.

A backup is one file: a tar archive (records as Django's portable JSON, every evidence file,
the data dir's key-check value, and a manifest of SHA-256 hashes) encrypted in chunks under
the master key (refuge.crypto.blobs), so it can be carried off-site and is useless without
the key. It never contains the key: back the key file up separately, and keep it apart.

The record format is the same for SQLite and PostgreSQL, so a backup of one restores into
either. Encrypted fields travel as their tokens, bound to their records' UUIDs, never as
plaintext; the archive is assembled in the data dir (never the system temp folder) and
removed on success and failure.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection

from refuge import __version__
from refuge.crypto import decrypt_stream, encrypt_stream
from refuge.errors import RefugeError, UsageError
from refuge.web.keys import KEY_CHECK_FILE, get_keyring

FORMAT = "refuge.backup/1"
AAD = b"refuge/backup/1"
RECORDS = "records.refuge-json"  # loaddata picks the format from the extension
# Not data: rebuilt by migrations or of no value after a restore (sessions end).
# The search index is derived from the records and rebuilt after a restore.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "search"]


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    records: int
    evidence_files: int
    size: int


def _work_dir() -> Path:
    folder = Path(settings.DATA_DIR) / "uploads"
    folder.mkdir(exist_ok=True)
    return folder


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _evidence_files() -> list[Path]:
    root = Path(settings.EVIDENCE_DIR)
    return sorted(
        p for p in root.rglob("*") if p.is_file() and "tmp" not in p.relative_to(root).parts
    )


def backup_create(*, out: Path) -> BackupSummary:
    if out.exists():
        raise UsageError(f"{out} exists; choose a new file name", code="R020")
    keyring = get_keyring()
    work = _work_dir() / f"backup-{os.getpid()}.tar"
    records_json = io.StringIO()
    call_command(
        "dumpdata",
        "--natural-foreign",
        "--format=refuge-json",
        *[f"--exclude={e}" for e in EXCLUDED],
        stdout=records_json,
    )
    records = records_json.getvalue().encode("utf-8")
    record_count = len(json.loads(records))
    evidence = _evidence_files()
    root = Path(settings.EVIDENCE_DIR)
    manifest: dict[str, object] = {
        "format": FORMAT,
        "created": datetime.now(UTC).isoformat(),
        "refuge": __version__,
        "database": connection.vendor,
        "records": {"file": RECORDS, "sha256": _sha(records), "count": len(json.loads(records))},
        "evidence": {p.relative_to(root).as_posix(): _sha(p.read_bytes()) for p in evidence},
    }
    try:
        with tarfile.open(work, "w") as tar:
            for name, data in (
                ("manifest.json", json.dumps(manifest, indent=1).encode()),
                (RECORDS, records),
                (KEY_CHECK_FILE, (Path(settings.DATA_DIR) / KEY_CHECK_FILE).read_bytes()),
            ):
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
            for path in evidence:
                tar.add(path, arcname="evidence/" + path.relative_to(root).as_posix())
        tmp_out = out.with_name(f".{out.name}.part")
        with open(work, "rb") as src, open(tmp_out, "wb") as dst:
            encrypt_stream(keyring, src, dst, aad=AAD)
            dst.flush()
            os.fsync(dst.fileno())
        os.replace(tmp_out, out)
    finally:
        work.unlink(missing_ok=True)
        out.with_name(f".{out.name}.part").unlink(missing_ok=True)
    from refuge.web.audit.services import audit_record

    audit_record(
        action="backup",
        actor="cli",
        details={"records": record_count, "evidence_files": len(evidence)},
    )
    return BackupSummary(out, record_count, len(evidence), out.stat().st_size)


def _database_is_empty() -> bool:
    from refuge.web.audit.models import AuditEntry
    from refuge.web.incidents.models import Incident, Person
    from refuge.web.sources.models import Source

    models = (Source, Incident, Person, AuditEntry)
    return not any(model.objects.exists() for model in models)


def backup_restore(*, path: Path) -> BackupSummary:
    """Restore into an initialised, empty data dir; verified against the manifest."""
    if not path.is_file():
        raise UsageError(f"{path} is not a backup file", code="R021")
    if not _database_is_empty():
        raise UsageError(
            "restore needs an empty database: initialise a new data dir "
            "(REFUGE_DATA_DIR) and run `refuge init` first",
            code="R022",
        )
    keyring = get_keyring()
    work = _work_dir() / f"restore-{os.getpid()}.tar"
    staging = _work_dir() / f"restore-{os.getpid()}"
    try:
        with open(path, "rb") as src, open(work, "wb") as dst:
            try:
                decrypt_stream(keyring, src, dst, aad=AAD)
            except RefugeError:
                raise UsageError(
                    f"{path} cannot be decrypted with this master key (wrong key, or the "
                    "file is damaged)",
                    code="R023",
                ) from None
        with tarfile.open(work, "r") as tar:
            tar.extractall(staging, filter="data")
        manifest = json.loads((staging / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise UsageError(f"{path} is not a Refuge backup", code="R021")
        records = staging / RECORDS
        if _sha(records.read_bytes()) != manifest["records"]["sha256"]:
            raise UsageError("the backup's records do not match its manifest", code="R024")
        for rel, digest in manifest["evidence"].items():
            if _sha((staging / "evidence" / rel).read_bytes()) != digest:
                raise UsageError(f"evidence file {rel} does not match the manifest", code="R024")
        root = Path(settings.EVIDENCE_DIR)
        for rel in manifest["evidence"]:
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists():
                shutil.copyfile(staging / "evidence" / rel, target)
                target.chmod(0o444)
        call_command("loaddata", str(records), verbosity=0)
        from refuge.web.search.services import search_rebuild

        search_rebuild()  # the index is derived data: rebuilt, never restored
        from refuge.web.audit.services import audit_record

        audit_record(
            action="restore",
            actor="cli",
            details={
                "records": manifest["records"]["count"],
                "evidence_files": len(manifest["evidence"]),
            },
        )
        return BackupSummary(
            path, manifest["records"]["count"], len(manifest["evidence"]), path.stat().st_size
        )
    finally:
        work.unlink(missing_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
