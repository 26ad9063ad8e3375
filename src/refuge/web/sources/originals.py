"""Where a source's original goes, and how it is read and checked back.

Published material goes to the plain content-addressed store (named by SHA-256).
Confidential material (and everything, when REFUGE_SEAL_ALL_EVIDENCE=1) goes to the sealed
store: encrypted, named by a keyed hash, so a copy of the store or the database cannot
confirm that it holds a document someone already has. The same rule gives the hash stored
for the derived text: plain SHA-256, or keyed for sealed sources.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from refuge.crypto import blob_name
from refuge.evidence.sealed import SealedEvidenceStore
from refuge.evidence.store import LocalEvidenceStore
from refuge.web.keys import get_keyring


@dataclass(frozen=True)
class Kept:
    content_id: str  # the store's name for it: SHA-256, or its keyed hash when sealed
    size: int
    plain_sha256: str
    sealed: bool


def plain_store() -> LocalEvidenceStore:
    return LocalEvidenceStore(settings.EVIDENCE_DIR)


def sealed_store() -> SealedEvidenceStore:
    return SealedEvidenceStore(settings.EVIDENCE_DIR / "sealed", get_keyring())


def should_seal(content_class: str) -> bool:
    return content_class == "confidential" or bool(settings.SEAL_ALL_EVIDENCE)


def keep_original(data: bytes, *, content_class: str, max_bytes: int | None = None) -> Kept:
    """Store the original where its class says; the content id callers record."""
    if should_seal(content_class):
        blob, plain = sealed_store().put_sealed(data, max_bytes=max_bytes)
        return Kept(blob.sha256, blob.size, plain, True)
    blob = plain_store().put(data, max_bytes=max_bytes)
    return Kept(blob.sha256, blob.size, blob.sha256, False)


def text_digest(text: str, *, sealed: bool) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return blob_name(get_keyring(), digest) if sealed else digest


def read_original(source: Any) -> bytes:
    if source.sealed:
        return sealed_store().read(source.sha256, expected_sha256=source.original_sha256)
    return plain_store().get(source.sha256)


def original_intact(source: Any) -> bool:
    return (
        sealed_store().verify(source.sha256)
        if source.sealed
        else plain_store().verify(source.sha256)
    )


def text_intact(source: Any) -> bool:
    if not source.text_sha256:
        return True
    if source.sealed:
        digest = hashlib.sha256(source.text.encode("utf-8")).hexdigest()
        keyring = get_keyring()
        return any(
            blob_name(keyring, digest, version=v) == source.text_sha256 for v in keyring.versions
        )
    return bool(text_digest(source.text, sealed=False) == source.text_sha256)


def capture_payload(source: Any) -> dict[str, Any]:
    """The first custody entry's payload: binds the chain to this original.

    Sealed sources carry only keyed hashes: nothing in the chain can identify the document.
    """
    payload: dict[str, Any] = {
        "sha256": source.sha256,
        "archive_record_id": source.archive_record_id,
        "text_sha256": source.text_sha256,
        "size": source.size,
        "tool": source.capture_tool,
        "sealed": bool(source.sealed),
    }
    if not source.sealed:
        payload["original_filename"] = source.original_filename
        payload["url"] = source.url
    return payload
