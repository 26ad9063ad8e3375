"""Evidence bundles: one source's original, metadata and custody log, for hand-over.

A bundle is a folder an investigator can check without Refuge:

    original/<file name>   the original bytes, unchanged
    metadata.json          capture metadata (hashes, URL, outlet, capture time, ...)
    custody.json           the chain of custody, entries as stored (refuge.evidence.chain)
    manifest.json          SHA-256 and size of each file above, and the original's hash

Anyone can recompute the manifest's hashes with `sha256sum` and each custody entry's hash
from its canonical form (docs/evidence.md). ``verify_bundle`` does all of it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from refuge.errors import EvidenceError
from refuge.evidence.chain import ChainEntry, verify_chain
from refuge.evidence.hashing import sha256_bytes, sha256_file

MANIFEST = "manifest.json"
FORMAT = "refuge.evidence-bundle/1"


def _safe_name(name: str, fallback: str) -> str:
    base = os.path.basename(name.replace("\\", "/")).strip()
    if base in ("", ".", ".."):
        return fallback
    return base


def write_bundle(
    out: Path,
    *,
    original: bytes,
    original_name: str,
    metadata: Mapping[str, Any],
    entries: Sequence[ChainEntry],
    content_id: str | None = None,
) -> Path:
    """Write a bundle into ``out`` (created; must be empty); returns the manifest's path.

    ``content_id`` is the name the custody chain knows the original by, when it is not the
    plain SHA-256 (a sealed original is named by a keyed hash of it).
    """
    if out.exists() and any(out.iterdir()):
        raise EvidenceError(f"{out} is not empty; choose a new folder", code="R016")
    (out / "original").mkdir(parents=True, exist_ok=True)
    sha = sha256_bytes(original)
    name = _safe_name(original_name, sha)
    (out / "original" / name).write_bytes(original)
    (out / "metadata.json").write_text(
        json.dumps(dict(metadata), ensure_ascii=False, indent=1, sort_keys=True, default=str),
        encoding="utf-8",
    )
    (out / "custody.json").write_text(
        json.dumps(
            [
                {
                    "seq": e.seq,
                    "action": e.action,
                    "actor": e.actor,
                    "at": e.at,
                    "payload": e.payload,
                    "prev_hash": e.prev_hash,
                    "hash": e.hash,
                }
                for e in entries
            ],
            ensure_ascii=False,
            indent=1,
            sort_keys=True,
        ),
        encoding="utf-8",
    )
    files = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        rel = path.relative_to(out).as_posix()
        files[rel] = {"sha256": sha256_file(path), "size": path.stat().st_size}
    manifest = {
        "format": FORMAT,
        "original_sha256": sha,
        "original": f"original/{name}",
        "content_id": content_id or sha,
        "files": files,
    }
    target = out / MANIFEST
    target.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    return target


def verify_bundle(folder: Path) -> list[str]:
    """Every problem found in a bundle; empty when it is intact. EvidenceError if unreadable."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        files: dict[str, dict[str, Any]] = manifest["files"]
        original_rel: str = manifest["original"]
        original_sha: str = manifest["original_sha256"]
        content_id: str = manifest.get("content_id", original_sha)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise EvidenceError(
            f"{folder} is not a readable evidence bundle ({exc})", code="R039"
        ) from None
    problems: list[str] = []
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    for rel, expected in sorted(files.items()):
        path = folder / rel
        if rel not in present:
            problems.append(f"{rel}: missing")
        elif sha256_file(path) != expected.get("sha256"):
            problems.append(f"{rel}: content changed (hash differs from the manifest)")
    for rel in sorted(present - set(files) - {MANIFEST}):
        problems.append(f"{rel}: not listed in the manifest")
    if original_rel in present and sha256_file(folder / original_rel) != original_sha:
        problems.append(f"{original_rel}: is not the original named in the manifest")
    try:
        rows = json.loads((folder / "custody.json").read_text(encoding="utf-8"))
        entries = [ChainEntry(**row) for row in rows]
    except (OSError, ValueError, TypeError) as exc:
        problems.append(f"custody.json: unreadable ({exc})")
        return problems
    for problem in verify_chain(entries):
        problems.append(f"custody.json: entry {problem.seq}: {problem.kind} ({problem.detail})")
    captured = [e for e in entries if e.action == "captured"]
    if not captured or captured[0].payload.get("sha256") != content_id:
        problems.append("custody.json: its capture entry is not for this original")
    return problems


__all__ = ["verify_bundle", "write_bundle"]
