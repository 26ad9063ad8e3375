"""Evidence preservation: originals stored by SHA-256, and hash-chained custody logs.

Follows the Berkeley Protocol on Digital Open Source Investigations: what Refuge holds must be
provably what was received, with who handled it and when. See docs/evidence.md.

Error codes (``EvidenceError``):
- R031: an upload is larger than the allowed size; nothing was stored.
- R032: no evidence is stored under the given content id.
- R035: a checkpoint file is malformed.
- R033: no text can be read (empty, binary, image, unreadable).
- R034: a document is malformed or corrupt, or a password-protected PDF.
- R036: a string that should be a content id (64 lowercase hex digits) is not one.
- R037: reading a PDF went over its time or memory limit.
- R038: a page could not be captured (scheme, network, redirects, size).
- R039: an evidence bundle cannot be read.

Reading received files (type detection, decoding, HTML/PDF/DOCX/EML/WARC text) lives in
``refuge.evidence.text`` and its helpers; it is not imported here because its HTML reader is
slow to import and most callers of the store do not need it (see docs/intake.md).
"""

from refuge.evidence.chain import (
    CUSTODY_ACTIONS,
    GENESIS,
    ChainEntry,
    ChainProblem,
    Checkpoint,
    Digest,
    canonical_bytes,
    checkpoints_from_json,
    checkpoints_to_json,
    hmac_digest,
    make_entry,
    sha256_digest,
    utc_timestamp,
    verify_chain,
)
from refuge.evidence.hashing import sha256_bytes, sha256_file
from refuge.evidence.store import EvidenceStore, LocalEvidenceStore, StoredBlob

__all__ = [
    "CUSTODY_ACTIONS",
    "GENESIS",
    "ChainEntry",
    "ChainProblem",
    "Checkpoint",
    "Digest",
    "EvidenceStore",
    "LocalEvidenceStore",
    "StoredBlob",
    "canonical_bytes",
    "checkpoints_from_json",
    "checkpoints_to_json",
    "hmac_digest",
    "make_entry",
    "sha256_bytes",
    "sha256_digest",
    "sha256_file",
    "utc_timestamp",
    "verify_chain",
]
