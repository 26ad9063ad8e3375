"""Sealing data that was stored before encryption existed (migration incidents.0003).

Written against table and column names with raw SQL, not the current models, so that the
migration keeps meaning the same thing when the models change later. Steps, for each row
that still holds plaintext: encrypt the identifying columns of persons; for confidential
sources, encrypt their identifying columns, move the original from the plain store into the
sealed store (deleting the plaintext file), replace the plain hashes by keyed ones, and
re-seal the custody chain without file names or URLs (its old head hash kept in the new
chain's first entry, so the change is itself on record); seal the values of claims made
from confidential sources; build the persons' blind index. Then, on SQLite, overwrite freed
pages and rebuild the file (secure_delete + VACUUM) and empty the WAL, so no deleted
plaintext survives in the database file.
"""

from __future__ import annotations

import hashlib
import json
import uuid as uuidlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings

from refuge.web.chains import to_milliseconds

PERSON_FIELDS = ("name", "name_ko", "name_zh", "birth_year", "hometown", "notes")
SOURCE_FIELDS = ("text", "title", "author", "url", "original_filename", "captured_by_name")


def _uuid(value: Any) -> uuidlib.UUID:
    return value if isinstance(value, uuidlib.UUID) else uuidlib.UUID(str(value))


def _seal_value(keyring: Any, value: Any, table: str, field: str, record: uuidlib.UUID) -> Any:
    from refuge.crypto import encrypt_field, is_token

    if value is None or value == "" or (isinstance(value, str) and is_token(value)):
        return value
    return encrypt_field(keyring, str(value), table=table, field=field, record_uuid=record)


def seal_persons(cursor: Any, keyring: Any) -> int:
    from refuge.crypto import blind_terms, is_token

    cursor.execute(f"SELECT id, uuid, {', '.join(PERSON_FIELDS)} FROM incidents_person")
    rows = cursor.fetchall()
    for row in rows:
        pk, record = row[0], _uuid(row[1])
        values = dict(zip(PERSON_FIELDS, row[2:], strict=True))
        sealed = [
            _seal_value(keyring, values[f], "incidents_person", f, record) for f in PERSON_FIELDS
        ]
        cursor.execute(
            f"UPDATE incidents_person SET {', '.join(f'{f} = %s' for f in PERSON_FIELDS)} "
            "WHERE id = %s",
            [*sealed, pk],
        )
        terms: set[str] = set()
        for field in ("name", "name_ko", "name_zh"):
            plain = values[field]
            if plain and not is_token(str(plain)):
                terms |= blind_terms(keyring, str(plain))
        for term in sorted(terms):
            cursor.execute(
                "INSERT INTO incidents_personnameterm (person_id, term) VALUES (%s, %s)",
                [pk, term],
            )
    return len(rows)


def _rechain(cursor: Any, source_pk: int, keyring: Any, new_payload: dict[str, Any]) -> None:
    from refuge.evidence.chain import make_entry

    cursor.execute(
        "SELECT seq, action, actor, at, payload, hash FROM sources_custodyentry "
        "WHERE source_id = %s ORDER BY seq",
        [source_pk],
    )
    rows = cursor.fetchall()
    if not rows:
        return
    old_head = rows[-1][5]
    cursor.execute("DELETE FROM sources_custodyentry WHERE source_id = %s", [source_pk])
    prev = None
    for index, (_seq, action, actor, at, payload, _hash) in enumerate(rows):
        data = json.loads(payload) if isinstance(payload, str) else dict(payload)
        if index == 0:
            data = {**new_payload, "resealed_from_head": old_head}
        else:
            data.pop("original_filename", None)
            data.pop("url", None)
        when = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        when = to_milliseconds(when)  # as every stored chain entry (refuge.web.chains)
        entry = make_entry(prev=prev, action=action, actor=actor, at=when, payload=data)
        cursor.execute(
            "INSERT INTO sources_custodyentry (source_id, seq, action, actor, at, payload, "
            "prev_hash, hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            [
                source_pk,
                entry.seq,
                entry.action,
                entry.actor,
                when,
                json.dumps(dict(entry.payload)),
                entry.prev_hash,
                entry.hash,
            ],
        )
        prev = entry


def seal_confidential_sources(cursor: Any, keyring: Any) -> int:
    from refuge.crypto import blob_name
    from refuge.evidence.sealed import SealedEvidenceStore
    from refuge.evidence.store import LocalEvidenceStore

    plain = LocalEvidenceStore(settings.EVIDENCE_DIR)
    cursor.execute(
        f"SELECT id, uuid, sha256, text_sha256, {', '.join(SOURCE_FIELDS)} FROM sources_source "
        "WHERE content_class = 'confidential' AND sealed = %s",
        [False],
    )
    rows = cursor.fetchall()
    if not rows:
        return 0
    sealed_store = SealedEvidenceStore(Path(settings.EVIDENCE_DIR) / "sealed", keyring)
    for row in rows:
        pk, record, sha, text_sha = row[0], _uuid(row[1]), row[2], row[3]
        values = dict(zip(SOURCE_FIELDS, row[4:], strict=True))
        original = plain.get(sha) if plain.exists(sha) else None
        name = sha
        if original is not None:
            blob, _plain_sha = sealed_store.put_sealed(original)
            name = blob.sha256
        text = values["text"] or ""
        keyed_text = (
            blob_name(keyring, hashlib.sha256(text.encode("utf-8")).hexdigest()) if text_sha else ""
        )
        sealed = [
            _seal_value(keyring, values[f], "sources_source", f, record) for f in SOURCE_FIELDS
        ]
        sealed_sha = _seal_value(keyring, sha, "sources_source", "original_sha256", record)
        cursor.execute(
            f"UPDATE sources_source SET {', '.join(f'{f} = %s' for f in SOURCE_FIELDS)}, "
            "sha256 = %s, text_sha256 = %s, original_sha256 = %s, sealed = %s WHERE id = %s",
            [*sealed, name, keyed_text, sealed_sha, True, pk],
        )
        cursor.execute(
            "SELECT size, archive_record_id, capture_tool FROM sources_source WHERE id = %s", [pk]
        )
        size, record_id, tool = cursor.fetchone()
        _rechain(
            cursor,
            pk,
            keyring,
            {
                "sha256": name,
                "archive_record_id": record_id,
                "text_sha256": keyed_text,
                "size": size,
                "tool": tool,
                "sealed": True,
            },
        )
        cursor.execute("SELECT count(*) FROM sources_source WHERE sha256 = %s", [sha])
        if original is not None and cursor.fetchone()[0] == 0:
            path = plain.root / plain.storage_key(sha)
            path.chmod(0o600)
            path.unlink()
    return len(rows)


def seal_claims(apps: Any, keyring: Any) -> int:
    from refuge.crypto import encrypt_field

    claim_model = apps.get_model("incidents", "Claim")
    count = 0
    for claim in claim_model.objects.filter(source__content_class="confidential"):
        for field in ("value", "edited_value"):
            value = getattr(claim, field)
            if value is None or (isinstance(value, dict) and "$encrypted" in value):
                continue
            token = encrypt_field(
                keyring,
                json.dumps(value, ensure_ascii=False),
                table="incidents_claim",
                field=field,
                record_uuid=claim.uuid,
            )
            setattr(claim, field, {"$encrypted": token})
        claim.save(update_fields=["value", "edited_value"])
        count += 1
    return count


def needs_sealing(cursor: Any) -> bool:
    cursor.execute("SELECT count(*) FROM incidents_person")
    persons = cursor.fetchone()[0]
    cursor.execute("SELECT count(*) FROM sources_source WHERE content_class = 'confidential'")
    return bool(persons or cursor.fetchone()[0])


def scrub_sqlite(connection: Any) -> None:
    """Rebuild the SQLite file so that no freed page keeps deleted plaintext; empty the WAL."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.execute("VACUUM")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
