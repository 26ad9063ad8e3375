"""Master key rotation: a new key version, then every ciphertext brought onto it.

Resumable: the work is "every token or sealed file not yet under the current version", done
in small transactions, so a run killed at any point is finished by running it again (which
does not add yet another version while work is pending). Verified at the end: every token
decrypts under the current version and every sealed file decrypts and matches its name.
Older key versions stay in the key file (reading old backups needs them).
"""

from __future__ import annotations

import os
import uuid as uuidlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from refuge.crypto import Keyring, decrypt_field, is_token, reencrypt_field, token_version
from refuge.crypto.blobs import blob_key_version, rewrap_stream
from refuge.crypto.keyfile import rotate_key_file
from refuge.errors import ConfigurationError
from refuge.evidence.sealed import AAD
from refuge.web import keys

BATCH = 500


def text_columns() -> dict[str, tuple[str, ...]]:
    """(table, encrypted text columns) rotated with raw SQL, read off the models.

    Read from the models rather than listed, so that a model gaining an encrypted field is
    rotated without anyone remembering to add it here. Claims' sealed values go through the
    ORM because they live inside a JSON column.
    """
    from django.apps import apps

    from refuge.web.encrypted import EncryptedTextField

    columns: dict[str, tuple[str, ...]] = {}
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            columns[model._meta.db_table] = tuple(f.column for f in fields)
    return columns


@dataclass
class RotationReport:
    version: int = 0
    started_new_version: bool = False
    values: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)


def _uuid(value: Any) -> uuidlib.UUID:
    return value if isinstance(value, uuidlib.UUID) else uuidlib.UUID(str(value))


def _stale_rows(table: str, columns: tuple[str, ...], current: int) -> Iterator[list[Any]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, uuid, {', '.join(columns)} FROM {table} ORDER BY id")
        rows = cursor.fetchall()
    for row in rows:
        if any(isinstance(v, str) and is_token(v) and token_version(v) != current for v in row[2:]):
            yield list(row)


def _pending(keyring: Keyring) -> int:
    count = sum(
        1
        for table, cols in text_columns().items()
        for _ in _stale_rows(table, cols, keyring.current)
    )
    from refuge.web.incidents.models import Claim

    for claim in Claim.objects.filter(source__content_class="confidential").iterator():
        for value in (claim.value, claim.edited_value):
            if (
                isinstance(value, dict)
                and "$encrypted" in value
                and token_version(value["$encrypted"]) != keyring.current
            ):
                count += 1
    return count + sum(1 for _ in _stale_files(keyring))


def _stale_files(keyring: Keyring) -> Iterator[Path]:
    root = Path(settings.EVIDENCE_DIR) / "sealed" / "objects"
    if not root.exists():
        return
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        with open(path, "rb") as handle:
            if blob_key_version(handle) != keyring.current:
                yield path


def _rotate_text(keyring: Keyring, report: RotationReport, progress: Callable[[int], None]) -> None:
    for table, columns in text_columns().items():
        batch: list[list[Any]] = []
        for row in _stale_rows(table, columns, keyring.current):
            batch.append(row)
            if len(batch) >= BATCH:
                _write_rows(keyring, table, columns, batch, report, progress)
                batch = []
        if batch:
            _write_rows(keyring, table, columns, batch, report, progress)


def _write_rows(
    keyring: Keyring,
    table: str,
    columns: tuple[str, ...],
    rows: list[list[Any]],
    report: RotationReport,
    progress: Callable[[int], None],
) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        for row in rows:
            pk, record = row[0], _uuid(row[1])
            new = [
                reencrypt_field(keyring, v, table=table, field=c, record_uuid=record)
                if isinstance(v, str) and is_token(v)
                else v
                for c, v in zip(columns, row[2:], strict=True)
            ]
            cursor.execute(
                f"UPDATE {table} SET {', '.join(f'{c} = %s' for c in columns)} WHERE id = %s",
                [*new, pk],
            )
            report.values += 1
    progress(len(rows))


def _rotate_claims(keyring: Keyring, report: RotationReport) -> None:
    from refuge.web.incidents.models import Claim

    for claim in Claim.objects.filter(source__content_class="confidential").iterator():
        changed = False
        for name in ("value", "edited_value"):
            value = getattr(claim, name)
            if isinstance(value, dict) and "$encrypted" in value:
                token = value["$encrypted"]
                new = reencrypt_field(
                    keyring, token, table="incidents_claim", field=name, record_uuid=claim.uuid
                )
                if new != token:
                    setattr(claim, name, {"$encrypted": new})
                    changed = True
        if changed:
            claim.save(update_fields=["value", "edited_value"])
            report.values += 1


def _rotate_files(keyring: Keyring, report: RotationReport) -> None:
    for path in list(_stale_files(keyring)):
        tmp = path.with_name(f".{path.name}.{os.getpid()}.rewrap")
        with open(path, "rb") as src, open(tmp, "wb") as dst:
            rewrap_stream(keyring, src, dst, aad=AAD)
            dst.flush()
            os.fsync(dst.fileno())
        os.chmod(tmp, 0o444)
        os.replace(tmp, path)  # same name: the content id does not change
        report.files += 1


def _reindex_persons() -> None:
    from refuge.web.incidents.models import Person
    from refuge.web.incidents.services import person_reindex

    for person in Person.objects.all().iterator():
        person_reindex(person=person)


def _verify(keyring: Keyring, report: RotationReport) -> None:
    for table, columns in text_columns().items():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, uuid, {', '.join(columns)} FROM {table}")
            for row in cursor.fetchall():
                for column, value in zip(columns, row[2:], strict=True):
                    if not (isinstance(value, str) and is_token(value)):
                        continue
                    if token_version(value) != keyring.current:
                        report.problems.append(f"{table} {row[0]}.{column}: old key version")
                        continue
                    try:
                        decrypt_field(
                            keyring, value, table=table, field=column, record_uuid=_uuid(row[1])
                        )
                    except Exception as exc:  # CryptoError: reported, not raised
                        report.problems.append(f"{table} {row[0]}.{column}: {exc}")
    from refuge.evidence.sealed import SealedEvidenceStore

    store = SealedEvidenceStore(Path(settings.EVIDENCE_DIR) / "sealed", keyring)
    for name in store.iter_ids():
        if not store.verify(name):
            report.problems.append(f"sealed file {name[:12]}…: does not decrypt or match")


def keys_rotate(progress: Callable[[int], None] = lambda n: None) -> RotationReport:
    """Rotate (or resume a rotation), re-encrypt everything, verify; see the module doc."""
    if os.environ.get("REFUGE_MASTER_KEY"):
        raise ConfigurationError(
            "the key comes from REFUGE_MASTER_KEY: rotate it by adding a version there "
            "(v1:...,v2:...) and run `refuge keys rotate` again with it set",
            code="R008",
        )
    keyring = keys.get_keyring()
    report = RotationReport()
    if _pending(keyring) == 0:
        keyring = rotate_key_file(keys.key_path(), passphrase=keys.passphrase())
        keys.write_key_check(keyring)
        keys.forget_keyring()
        keyring = keys.get_keyring()
        report.started_new_version = True
    report.version = keyring.current
    _rotate_text(keyring, report, progress)
    _rotate_claims(keyring, report)
    _rotate_files(keyring, report)
    _reindex_persons()
    _verify(keyring, report)
    from refuge.web.audit.services import audit_record

    audit_record(
        action="key_operation",
        actor="cli",
        details={
            "operation": "rotate",
            "version": report.version,
            "values": report.values,
            "files": report.files,
            "problems": len(report.problems),
        },
    )
    return report
