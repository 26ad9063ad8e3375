"""Hash chains: append-only logs where each entry commits to the one before it.

One module serves both the custody log of each source and (later) the audit log. An entry's
hash is a digest of its canonical bytes, which include the previous entry's hash, so editing,
inserting, deleting or reordering entries breaks a hash or a link. Deleting the *newest*
entries leaves a shorter chain that is still valid; only a checkpoint kept elsewhere (entry
count and head hash, exported earlier) reveals it. The digest is pluggable: plain SHA-256,
which anyone can recompute, or HMAC-SHA-256 under a secret key, which someone who can write the
database but does not hold the key cannot forge.

Canonical bytes of an entry (what the digest is computed over), for outside auditors: the UTF-8
encoding of the JSON object with exactly the keys ``action``, ``actor``, ``at``, ``payload``,
``prev_hash`` and ``seq``, keys sorted at every level, no whitespace at all, non-ASCII characters
written as themselves (not ``\\u`` escapes). ``seq`` is an integer (the first entry is 1), ``at``
is UTC as ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (always six fractional digits), ``prev_hash`` is the
previous entry's hash or ``GENESIS`` (64 zeros) for the first. Payload values are null, booleans,
integers, strings, lists and objects with string keys; floats are refused because their text
form differs between languages. In Python: ``json.dumps(obj, sort_keys=True,
separators=(",", ":"), ensure_ascii=False).encode("utf-8")``. The hash is the lowercase hex
digest of those bytes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, TypeAlias

from refuge.errors import EvidenceError
from refuge.evidence.hashing import is_sha256

JSON: TypeAlias = bool | int | str | list["JSON"] | Mapping[str, "JSON"] | None

#: Turns canonical bytes into a lowercase hex string of 64 characters.
Digest: TypeAlias = Callable[[bytes], str]

#: The ``prev_hash`` of a chain's first entry.
GENESIS = "0" * 64

#: What can happen to a piece of evidence (Berkeley Protocol: who handled it, how, when).
CUSTODY_ACTIONS = ("captured", "viewed", "exported", "annotated", "transferred")

ProblemKind: TypeAlias = Literal[
    "hash_mismatch", "broken_link", "bad_sequence", "checkpoint_mismatch", "truncated"
]

# RFC 2104 advises keys no shorter than the digest output (32 bytes for SHA-256).
_MIN_HMAC_KEY_BYTES = 32

_UTC_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")


def sha256_digest(data: bytes) -> str:
    """Plain SHA-256: anyone can recompute it, so it catches mistakes and naive tampering."""
    return hashlib.sha256(data).hexdigest()


def hmac_digest(key: bytes) -> Digest:
    """HMAC-SHA-256 under ``key``: an entry can only be forged by someone holding the key."""
    if not isinstance(key, bytes) or len(key) < _MIN_HMAC_KEY_BYTES:
        raise ValueError(f"an HMAC key must be at least {_MIN_HMAC_KEY_BYTES} bytes")

    def digest(data: bytes) -> str:
        return hmac.new(key, data, hashlib.sha256).hexdigest()

    return digest


def utc_timestamp(at: datetime) -> str:
    """``at`` as it is written in an entry: UTC, microseconds, ``Z`` (naive times refused).

    A database that keeps microseconds (PostgreSQL, Django on SQLite) gives back a datetime
    that formats to the same string, so entries can be stored with a real timestamp column.
    """
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("a chain entry needs a timezone-aware time; naive times are ambiguous")
    return at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


@dataclass(frozen=True, slots=True)
class ChainEntry:
    """One entry of a chain, exactly as stored."""

    seq: int
    action: str
    actor: str
    at: str
    payload: Mapping[str, JSON]
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class ChainProblem:
    """One thing wrong with a chain; ``seq`` is the entry (or checkpoint count) concerned."""

    seq: int
    kind: ProblemKind
    detail: str


def canonical_bytes(
    seq: int, action: str, actor: str, at: str, payload: Mapping[str, JSON], prev_hash: str
) -> bytes:
    """The bytes an entry's hash is computed over (format in the module docstring).

    Raises ``ValueError`` for anything without one canonical form (floats, non-string keys,
    lone surrogates, wrong types).
    """
    _check_int(seq, "seq")
    for name, text in (("action", action), ("actor", actor), ("at", at)):
        if not isinstance(text, str):
            raise ValueError(f"{name} must be a string")
    if not isinstance(prev_hash, str):
        raise ValueError("prev_hash must be a string")
    if not isinstance(payload, Mapping):
        raise ValueError("payload must be a JSON object")
    _check_json(payload, "payload")
    document = {
        "action": action,
        "actor": actor,
        "at": at,
        "payload": payload,
        "prev_hash": prev_hash,
        "seq": seq,
    }
    text = json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_as_object
    )
    return text.encode("utf-8")


def make_entry(
    *,
    prev: ChainEntry | None,
    action: str,
    actor: str,
    at: datetime,
    payload: Mapping[str, JSON],
    digest: Digest = sha256_digest,
) -> ChainEntry:
    """The entry that follows ``prev`` (or the first entry, when ``prev`` is None).

    The payload is copied, so changing the caller's dict afterwards cannot change the entry.
    Whoever appends must hold a lock on the chain's head while doing so (a row lock on
    PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite): two entries made from the same ``prev`` fork it.
    """
    if not action or not isinstance(action, str):
        raise ValueError("a chain entry needs an action")
    if not actor or not isinstance(actor, str):
        raise ValueError("a chain entry needs an actor")
    seq = 1 if prev is None else prev.seq + 1
    prev_hash = GENESIS if prev is None else prev.hash
    at_text = utc_timestamp(at)
    data = canonical_bytes(seq, action, actor, at_text, payload, prev_hash)
    copied: Mapping[str, JSON] = json.loads(data)["payload"]
    return ChainEntry(
        seq=seq,
        action=action,
        actor=actor,
        at=at_text,
        payload=copied,
        prev_hash=prev_hash,
        hash=digest(data),
    )


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A chain's length and head hash at a moment, exported to be kept away from the database.

    Compared later, it shows whether the newest entries were deleted or the chain rewritten
    since: things a chain cannot show about itself.
    """

    chain: str
    count: int
    head_hash: str
    at: str

    def __post_init__(self) -> None:
        if not isinstance(self.chain, str) or not self.chain:
            raise _malformed("its chain name is missing")
        if isinstance(self.count, bool) or not isinstance(self.count, int) or self.count < 0:
            raise _malformed("its count is not a whole number of entries")
        if not is_sha256(self.head_hash):
            raise _malformed("its head hash is not 64 lowercase hex digits")
        if (self.count == 0) != (self.head_hash == GENESIS):
            raise _malformed("an empty chain, and only an empty chain, has the genesis hash")
        if not isinstance(self.at, str) or not _UTC_TIMESTAMP.fullmatch(self.at):
            raise _malformed("its time is not a UTC timestamp like 2024-01-31T09:00:00.000000Z")

    @classmethod
    def of(cls, chain: str, head: ChainEntry | None, *, at: datetime) -> Checkpoint:
        """The checkpoint of a chain whose newest entry is ``head`` (None when empty)."""
        if head is None:
            return cls(chain=chain, count=0, head_hash=GENESIS, at=utc_timestamp(at))
        return cls(chain=chain, count=head.seq, head_hash=head.hash, at=utc_timestamp(at))

    def to_json(self) -> str:
        return json.dumps(self._as_dict(), sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Checkpoint:
        """Parse ``to_json`` output; ``EvidenceError`` R035 if it is not a checkpoint."""
        return cls._from_object(_load_json(text))

    def _as_dict(self) -> dict[str, str | int]:
        return {
            "chain": self.chain,
            "count": self.count,
            "head_hash": self.head_hash,
            "at": self.at,
        }

    @classmethod
    def _from_object(cls, value: object) -> Checkpoint:
        keys = {"chain", "count", "head_hash", "at"}
        if not isinstance(value, dict) or set(value) != keys:
            raise _malformed(f"it must be an object with exactly the keys {sorted(keys)}")
        return cls(
            chain=value["chain"], count=value["count"], head_hash=value["head_hash"], at=value["at"]
        )


def checkpoints_to_json(checkpoints: Iterable[Checkpoint]) -> str:
    """Several chains' checkpoints (e.g. every source's custody chain) as one JSON file."""
    ordered = sorted(checkpoints, key=lambda checkpoint: checkpoint.chain)
    return json.dumps([c._as_dict() for c in ordered], sort_keys=True, ensure_ascii=False, indent=1)


def checkpoints_from_json(text: str) -> dict[str, Checkpoint]:
    """Checkpoints by chain name, from a list or from one ``Checkpoint.to_json``; R035 if not."""
    value = _load_json(text)
    items = value if isinstance(value, list) else [value]
    found: dict[str, Checkpoint] = {}
    for item in items:
        checkpoint = Checkpoint._from_object(item)
        if checkpoint.chain in found:
            raise _malformed(f"the chain {checkpoint.chain!r} appears twice")
        found[checkpoint.chain] = checkpoint
    return found


def verify_chain(
    entries: Iterable[ChainEntry],
    *,
    digest: Digest = sha256_digest,
    checkpoint: Checkpoint | None = None,
) -> list[ChainProblem]:
    """Every problem in ``entries`` (given in stored order, oldest first); empty when intact.

    Each entry is checked against the one actually before it, so one deleted or inserted entry
    shows up once rather than breaking every later comparison. ``entries`` is read once, so a
    database cursor over millions of rows is fine. The caller pairs the checkpoint with the
    right chain (``checkpoint.chain``).
    """
    problems: list[ChainProblem] = []
    prev: ChainEntry | None = None
    last_seq = 0
    hashes_at_checkpoint: list[str] = []
    for entry in entries:
        expected_seq = 1 if prev is None else prev.seq + 1
        if entry.seq != expected_seq:
            problems.append(
                ChainProblem(
                    entry.seq, "bad_sequence", f"expected entry {expected_seq}, found {entry.seq}"
                )
            )
        expected_prev = GENESIS if prev is None else prev.hash
        if entry.prev_hash != expected_prev:
            before = "the chain's start" if prev is None else f"entry {prev.seq}"
            problems.append(
                ChainProblem(
                    entry.seq,
                    "broken_link",
                    f"prev_hash {_short(entry.prev_hash)} does not match {before} "
                    f"({_short(expected_prev)}): an entry was removed, inserted or moved here",
                )
            )
        mismatch = _hash_problem(entry, digest)
        if mismatch is not None:
            problems.append(ChainProblem(entry.seq, "hash_mismatch", mismatch))
        if checkpoint is not None and entry.seq == checkpoint.count:
            hashes_at_checkpoint.append(entry.hash)
        last_seq = max(last_seq, entry.seq)
        prev = entry
    if checkpoint is not None and checkpoint.count > 0:
        problems.extend(_checkpoint_problems(checkpoint, hashes_at_checkpoint, last_seq))
    return problems


def _hash_problem(entry: ChainEntry, digest: Digest) -> str | None:
    try:
        data = canonical_bytes(
            entry.seq, entry.action, entry.actor, entry.at, entry.payload, entry.prev_hash
        )
    except ValueError as error:
        return f"the entry cannot be encoded canonically ({error}), so it was not written by us"
    recomputed = digest(data)
    if recomputed == entry.hash:
        return None
    return (
        f"stored hash {_short(entry.hash)} differs from recomputed {_short(recomputed)}: "
        "the entry was edited, or the digest key is wrong"
    )


def _checkpoint_problems(
    checkpoint: Checkpoint, hashes_at_checkpoint: list[str], last_seq: int
) -> list[ChainProblem]:
    count = checkpoint.count
    if last_seq < count:
        return [
            ChainProblem(
                count,
                "truncated",
                f"the checkpoint of {checkpoint.at} counted {count} entries; the chain now ends "
                f"at entry {last_seq}: the newest entries were deleted",
            )
        ]
    if checkpoint.head_hash in hashes_at_checkpoint:
        return []
    found = _short(hashes_at_checkpoint[-1]) if hashes_at_checkpoint else "no such entry"
    return [
        ChainProblem(
            count,
            "checkpoint_mismatch",
            f"entry {count} should have hash {_short(checkpoint.head_hash)} (checkpoint of "
            f"{checkpoint.at}) but has {found}: the chain was rewritten since",
        )
    ]


def _check_int(value: object, where: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{where} must be an integer")


def _check_json(value: object, where: str) -> None:
    if value is None or isinstance(value, bool | str):
        return
    if isinstance(value, int):
        _check_int(value, where)
        return
    if isinstance(value, float):
        raise ValueError(f"{where} is a float; store numbers as integers or strings")
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check_json(item, f"{where}[{index}]")
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"{where} has a key that is not a string: {key!r}")
            _check_json(item, f"{where}.{key}")
        return
    raise ValueError(f"{where} is a {type(value).__name__}, which JSON cannot hold")


def _as_object(value: object) -> Any:
    # json.dumps only knows dict; other mappings (already checked) are written as objects.
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def _load_json(text: str) -> object:
    try:
        value: object = json.loads(text)
    except (TypeError, ValueError) as error:
        raise _malformed(f"it is not JSON ({error})") from None
    return value


def _malformed(why: str) -> EvidenceError:
    return EvidenceError(
        f"the checkpoint is malformed: {why}; use the checkpoint file exactly as Refuge "
        "exported it",
        code="R035",
    )


def _short(digest_hex: str) -> str:
    return digest_hex[:12] + "…" if len(digest_hex) > 12 else digest_hex
